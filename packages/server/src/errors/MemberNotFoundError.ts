import { ErrorCode } from '@notebook-gallery/core';
import { GalleryError } from './GalleryError';

/** The user is not a member of the group. */
export class MemberNotFoundError extends GalleryError {
  constructor(group: string, username: string) {
    super(ErrorCode.MEMBER_NOT_FOUND, 404, `${username} is not a member of group "${group}"`, { group, username });
  }
}

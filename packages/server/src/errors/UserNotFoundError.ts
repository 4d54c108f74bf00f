import { ErrorCode } from '@notebook-gallery/core';
import { GalleryError } from './GalleryError';

/** No user with that name. */
export class UserNotFoundError extends GalleryError {
  constructor(username: string) {
    super(ErrorCode.USER_NOT_FOUND, 404, `No user "${username}"`, { username });
  }
}

import { ErrorCode } from '@notebook-gallery/core';
import { GalleryError } from './GalleryError';

/** A group name that is already taken. */
export class GroupExistsError extends GalleryError {
  constructor(name: string) {
    super(ErrorCode.GROUP_EXISTS, 409, `Group "${name}" already exists`, { group: name });
  }
}

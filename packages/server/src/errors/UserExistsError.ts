import { ErrorCode } from '@notebook-gallery/core';
import { GalleryError } from './GalleryError';

/** A username that is already taken. */
export class UserExistsError extends GalleryError {
  constructor(username: string) {
    super(ErrorCode.USER_EXISTS, 409, `User "${username}" already exists`, { username });
  }
}

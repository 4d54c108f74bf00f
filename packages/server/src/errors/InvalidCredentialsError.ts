import { ErrorCode } from '@notebook-gallery/core';
import { GalleryError } from './GalleryError';

/** Wrong username or password; one message for both so usernames cannot be probed. */
export class InvalidCredentialsError extends GalleryError {
  constructor() {
    super(ErrorCode.INVALID_CREDENTIALS, 401, 'Wrong username or password');
  }
}

import { ErrorCode } from '@notebook-gallery/core';
import { GalleryError } from './GalleryError';

/** Logged in, but not allowed to do this to this notebook. */
export class ForbiddenError extends GalleryError {
  constructor(message: string) {
    super(ErrorCode.FORBIDDEN, 403, message);
  }
}

import { ErrorCode } from '@notebook-gallery/core';
import { GalleryError } from './GalleryError';

/** Request fields that pass the schema but are still wrong (bad cursor, blank password). */
export class InvalidRequestError extends GalleryError {
  constructor(message: string) {
    super(ErrorCode.VALIDATION_FAILED, 400, message);
  }
}

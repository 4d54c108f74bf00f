import { ErrorCode } from '@notebook-gallery/core';
import { GalleryError } from './GalleryError';

/** Request fields that pass the schema but are still wrong (bad cursor, blank password); `field` names one when known. */
export class InvalidRequestError extends GalleryError {
  constructor(message: string, field?: string) {
    super(ErrorCode.VALIDATION_FAILED, 400, message, field === undefined ? {} : { field });
  }
}

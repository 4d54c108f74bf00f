import { ErrorCode } from '@notebook-gallery/core';
import { GalleryError } from './GalleryError';

/** A comment's anchor names a revision, cell or lines that do not exist; `field` is the part of the anchor. */
export class InvalidAnchorError extends GalleryError {
  constructor(message: string, field: string) {
    super(ErrorCode.INVALID_ANCHOR, 400, message, { field });
  }
}

import { ErrorCode } from '@notebook-gallery/core';
import { GalleryError } from './GalleryError';

/** `export` cannot read this data directory (no gallery, or a database of another schema version than this one). */
export class ExportRefusedError extends GalleryError {
  constructor(message: string) {
    super(ErrorCode.EXPORT_REFUSED, 409, message);
  }
}

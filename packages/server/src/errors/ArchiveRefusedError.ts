import { ErrorCode } from '@notebook-gallery/core';
import { GalleryError } from './GalleryError';

/** An export archive that cannot be imported: not ours, damaged, or of a newer format version. */
export class ArchiveRefusedError extends GalleryError {
  constructor(message: string) {
    super(ErrorCode.ARCHIVE_REFUSED, 422, message);
  }
}

import { ErrorCode } from '@notebook-gallery/core';
import { GalleryError } from './GalleryError';

/**
 * The data directory cannot be written (`EROFS`, `SQLITE_READONLY`, or `EACCES`/`EPERM` for the server's user), for
 * example a disk remounted read-only after errors. Nothing was written; reads keep working.
 */
export class StorageReadOnlyError extends GalleryError {
  constructor(
    /** The system error underneath, for the log. */
    readonly cause: unknown
  ) {
    super(
      ErrorCode.STORAGE_READ_ONLY,
      503,
      "The gallery's data directory is read-only, so nothing can be saved; ask your administrator"
    );
  }
}

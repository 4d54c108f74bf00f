import { ErrorCode } from '@notebook-gallery/core';
import { GalleryError } from './GalleryError';

/**
 * The data directory is gone while the server runs (an unmounted network disk, a deleted directory). Nothing was
 * written; the administrator brings the directory back (or restores a backup) and restarts the server.
 */
export class StorageMissingError extends GalleryError {
  /** What the administrator does, for the log line. */
  readonly remedy = 'bring the data directory back (or restore a backup), then restart the server';

  constructor(
    /** The system error underneath, for the log. */
    readonly cause: unknown
  ) {
    super(
      ErrorCode.STORAGE_MISSING,
      503,
      "The gallery's data directory is missing, so nothing can be saved; ask your administrator"
    );
  }
}

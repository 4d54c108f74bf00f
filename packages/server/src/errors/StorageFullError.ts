import { ErrorCode } from '@notebook-gallery/core';
import { GalleryError } from './GalleryError';

/**
 * The disk under the data directory is full (`ENOSPC`, `EDQUOT`, `SQLITE_FULL`). A save either lands whole or not at
 * all, so nothing was written; the same request works once the administrator frees space, without a restart.
 */
export class StorageFullError extends GalleryError {
  constructor(
    /** The system error underneath, for the log. */
    readonly cause: unknown
  ) {
    super(ErrorCode.STORAGE_FULL, 507, "The gallery's disk is full; ask your administrator");
  }
}

import { ErrorCode } from '@notebook-gallery/core';
import { GalleryError } from './GalleryError';
import type { StorageKind } from './StorageFullError';

/**
 * The data directory is gone while the server runs (an unmounted network disk, a deleted directory), or PostgreSQL's
 * database is (dropped: SQLSTATE 57P04, or 3D000 when connecting to it). Nothing was written; the administrator
 * brings it back (or restores a backup) and restarts the server. Unlike an unreachable database, it does not come
 * back by itself, so no Retry-After.
 */
export class StorageMissingError extends GalleryError {
  /** What the administrator does, for the log line. */
  readonly remedy: string;

  constructor(
    /** The system or driver error underneath, for the log. */
    readonly cause: unknown,
    readonly kind: StorageKind = 'data directory'
  ) {
    super(
      ErrorCode.STORAGE_MISSING,
      503,
      kind === 'database'
        ? "The gallery's database is missing, so nothing can be saved; ask your administrator"
        : "The gallery's data directory is missing, so nothing can be saved; ask your administrator"
    );
    this.remedy =
      kind === 'database'
        ? 'restore the database named in --database-url from a backup (or point --database-url at it), then restart the server'
        : 'bring the data directory back (or restore a backup), then restart the server';
  }
}

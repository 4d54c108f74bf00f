import { ErrorCode } from '@notebook-gallery/core';
import { GalleryError } from './GalleryError';
import type { StorageKind } from './StorageFullError';

/**
 * The data directory cannot be written (`EROFS`, `SQLITE_READONLY`, or `EACCES`/`EPERM` for the server's user), for
 * example a disk remounted read-only after errors; or PostgreSQL refuses writes (SQLSTATE 25006
 * read_only_sql_transaction: `--database-url` points at a hot standby, or the database has
 * `default_transaction_read_only` on). Nothing was written; reads keep working.
 */
export class StorageReadOnlyError extends GalleryError {
  /** What the administrator does, for the log line. */
  readonly remedy: string;

  constructor(
    /** The system or driver error underneath, for the log. */
    readonly cause: unknown,
    readonly kind: StorageKind = 'data directory'
  ) {
    super(
      ErrorCode.STORAGE_READ_ONLY,
      503,
      kind === 'database'
        ? "The gallery's database is read-only, so nothing can be saved; ask your administrator"
        : "The gallery's data directory is read-only, so nothing can be saved; ask your administrator"
    );
    this.remedy =
      kind === 'database'
        ? 'point --database-url at the primary (not a standby), or turn default_transaction_read_only off; saves resume on new connections'
        : 'remount the data directory writable (after a check, if the disk went read-only after errors) or fix its owner';
  }
}

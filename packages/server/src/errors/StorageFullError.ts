import { ErrorCode } from '@notebook-gallery/core';
import { GalleryError } from './GalleryError';

/** Which store failed: the data directory's disk (git, SQLite) or PostgreSQL's. */
export type StorageKind = 'data directory' | 'database';

/**
 * The disk under the data directory is full (`ENOSPC`, `EDQUOT`, `SQLITE_FULL`), or PostgreSQL's is (SQLSTATE 53100
 * disk_full). A save either lands whole or not at all, so nothing was written; the same request works once the
 * administrator frees space, without a restart.
 */
export class StorageFullError extends GalleryError {
  /** What the administrator does, for the log line. */
  readonly remedy: string;

  constructor(
    /** The system or driver error underneath, for the log. */
    readonly cause: unknown,
    readonly kind: StorageKind = 'data directory'
  ) {
    super(
      ErrorCode.STORAGE_FULL,
      507,
      kind === 'database'
        ? "The gallery's database has run out of disk space, so nothing was saved; ask your administrator"
        : "The gallery's disk is full; ask your administrator"
    );
    this.remedy =
      kind === 'database'
        ? "free space or grow the disk of PostgreSQL's data (or the tablespace named in the error); saves resume by themselves"
        : 'free space or grow the disk under the data directory; saves resume by themselves';
  }
}

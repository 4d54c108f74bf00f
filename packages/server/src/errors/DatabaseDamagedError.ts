import { ErrorCode } from '@notebook-gallery/core';
import { GalleryError } from './GalleryError';

/**
 * The gallery's SQLite database is damaged (a failed `PRAGMA quick_check`, a bad header, SQLITE_CORRUPT): the server
 * refuses to start on it, and a request that hits it mid-run answers 503 instead of a generic 500.
 */
export class DatabaseDamagedError extends GalleryError {
  constructor(file: string, detail: string) {
    super(
      ErrorCode.DATABASE_DAMAGED,
      503,
      `The gallery's database ${file} is damaged (${detail.replace(/\s+/g, ' ').trim()}). Stop the server, run "notebook-gallery fsck" to see ` +
        'what is affected, then restore the latest backup with "notebook-gallery restore".',
      {}
    );
  }
}

/** Whether an error of SQLite means the file itself is damaged (not busy, full or read-only). */
export function isDatabaseDamage(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && (code.startsWith('SQLITE_CORRUPT') || code === 'SQLITE_NOTADB');
}

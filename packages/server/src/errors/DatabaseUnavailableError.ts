import { ErrorCode } from '@notebook-gallery/core';
import { GalleryError } from './GalleryError';

/** Seconds a client waits before trying again: a PostgreSQL restart or failover takes a few. */
export const DATABASE_RETRY_AFTER_SECONDS = 5;

/**
 * Why the database cannot answer now: it cannot be `reached`, or it is `strained` (short of memory or another
 * resource).
 */
export type DatabaseUnavailableReason = 'unreachable' | 'strained';

/**
 * The PostgreSQL database cannot answer now: the connection was refused or cut, the server is shutting down or
 * starting (SQLSTATE 57P01, 57P02, 57P03, class 08), or it has no connection left for us (53300); or it is short of
 * memory or resources (53000, 53200, 53400). Answered 503 with Retry-After, like a busy server: unlike a read-only or
 * missing data folder, this usually passes by itself (a restart, a failover, a finished heavy query), and the pool
 * connects afresh on the next request, so no restart of the gallery is needed.
 */
export class DatabaseUnavailableError extends GalleryError {
  /** What the administrator does, for the log line. */
  readonly remedy: string;

  constructor(
    /** The driver's error underneath, for the log. */
    readonly cause: unknown,
    readonly reason: DatabaseUnavailableReason = 'unreachable'
  ) {
    super(
      ErrorCode.DATABASE_UNAVAILABLE,
      503,
      reason === 'strained'
        ? `The gallery's database is short of memory or resources right now; try again in ${DATABASE_RETRY_AFTER_SECONDS} seconds, and ask your administrator if it goes on`
        : `The gallery's database cannot be reached right now (it may be restarting); try again in ${DATABASE_RETRY_AFTER_SECONDS} seconds, and ask your administrator if it goes on`,
      { retryAfterSeconds: DATABASE_RETRY_AFTER_SECONDS }
    );
    this.remedy =
      reason === 'strained'
        ? "read PostgreSQL's log for the resource it lacks: give it more memory, or lower work_mem, max_connections or the gallery's pool; requests resume by themselves"
        : 'check that PostgreSQL runs and accepts connections at --database-url; saves resume by themselves';
  }
}

import { ErrorCode } from '@notebook-gallery/core';
import { GalleryError } from './GalleryError';

/** Seconds a client waits before trying again: a PostgreSQL restart or failover takes a few. */
export const DATABASE_RETRY_AFTER_SECONDS = 5;

/**
 * The PostgreSQL database cannot be reached now: the connection was refused or cut, the server is shutting down or
 * starting (SQLSTATE 57P01, 57P02, 57P03, class 08), or it has no connection left for us (53300). Answered 503 with
 * Retry-After, like a busy server: unlike a read-only or missing data folder, this usually passes by itself (a
 * restart, a failover), and the pool connects afresh on the next request, so no restart of the gallery is needed.
 */
export class DatabaseUnavailableError extends GalleryError {
  /** What the administrator does, for the log line. */
  readonly remedy = 'check that PostgreSQL runs and accepts connections at --database-url; saves resume by themselves';

  constructor(
    /** The driver's error underneath, for the log. */
    readonly cause: unknown
  ) {
    super(
      ErrorCode.DATABASE_UNAVAILABLE,
      503,
      `The gallery's database cannot be reached right now (it may be restarting); try again in ${DATABASE_RETRY_AFTER_SECONDS} seconds, and ask your administrator if it goes on`,
      { retryAfterSeconds: DATABASE_RETRY_AFTER_SECONDS }
    );
  }
}

import * as fs from 'node:fs';
import { DatabaseUnavailableError } from '../errors/DatabaseUnavailableError';
import type { GalleryError } from '../errors/GalleryError';
import { StorageFullError } from '../errors/StorageFullError';
import { StorageMissingError } from '../errors/StorageMissingError';
import { StorageReadOnlyError } from '../errors/StorageReadOnlyError';

/** System and SQLite error codes of a full disk (`SQLITE_FULL`; git and file writes: `ENOSPC`, `EDQUOT`). */
const FULL_CODES = new Set(['ENOSPC', 'EDQUOT', 'SQLITE_FULL']);

/** Codes of a data directory that cannot be written; SQLite's extended codes all start with `SQLITE_READONLY`. */
const READ_ONLY_CODES = new Set(['EROFS', 'EACCES', 'EPERM']);

/** PostgreSQL's SQLSTATE of a full disk under its data or a tablespace (53100 disk_full). */
const DATABASE_FULL_STATES = new Set(['53100']);

/** SQLSTATE of a write refused by a read-only server or session (25006 read_only_sql_transaction). */
const DATABASE_READ_ONLY_STATES = new Set(['25006']);

/**
 * SQLSTATEs of a PostgreSQL that is going away or not there yet: 57P01 admin_shutdown (a fast stop, or our session
 * terminated), 57P02 crash_shutdown, 57P03 cannot_connect_now (starting up, or in recovery), 53300
 * too_many_connections; the class 08 connection exceptions are matched by prefix.
 */
const DATABASE_UNAVAILABLE_STATES = new Set(['57P01', '57P02', '57P03', '53300']);

/**
 * SQLSTATEs of a PostgreSQL short of memory or another resource for the moment: 53000 insufficient_resources, 53200
 * out_of_memory (also "out of shared memory" for locks), 53400 configuration_limit_exceeded.
 */
const DATABASE_STRAINED_STATES = new Set(['53000', '53200', '53400']);

/**
 * SQLSTATEs of a database that is gone: 57P04 database_dropped, and 3D000 invalid_catalog_name, which is what a new
 * connection to a dropped database gets.
 */
const DATABASE_MISSING_STATES = new Set(['57P04', '3D000']);

/** `code` of PgConnectionFailure (db/postgres/pgConnectionFailure.ts): a connection to PostgreSQL failed or broke. */
const PG_CONNECTION_FAILED = 'PG_CONNECTION_FAILED';

/**
 * The storage failure underneath `error`, as the typed error the API answers with, or null when `error` is no
 * storage failure. Follows `cause` chains, since isomorphic-git and our stores may wrap the system error. A missing
 * file counts only when the data directory itself is gone: a missing notebook file is a different problem.
 * PostgreSQL's failures count too, so both backends answer a full disk, a read-only store and a store that cannot be
 * reached alike: by their SQLSTATE (in `code` of pg's DatabaseError, which alone has `severity`), and a failed
 * connection by PgDatabase's wrapper.
 */
export function storageFailureOf(error: unknown, dataDir: string): GalleryError | null {
  if (
    error instanceof StorageFullError ||
    error instanceof StorageReadOnlyError ||
    error instanceof StorageMissingError ||
    error instanceof DatabaseUnavailableError
  ) {
    return error;
  }
  // Duck-typed, not `instanceof Error`: errors of Node's internals can come from another realm (a vm context).
  for (let current = error, depth = 0; typeof current === 'object' && current !== null && depth < 5; depth++) {
    const code = (current as NodeJS.ErrnoException).code;
    if (typeof code === 'string' && typeof (current as { severity?: unknown }).severity === 'string') {
      // A DatabaseError: PostgreSQL answered with a SQLSTATE. Its 5 characters could pass for a system code (EROFS).
      if (DATABASE_FULL_STATES.has(code)) {
        return new StorageFullError(current, 'database');
      }
      if (DATABASE_READ_ONLY_STATES.has(code)) {
        return new StorageReadOnlyError(current, 'database');
      }
      if (DATABASE_UNAVAILABLE_STATES.has(code) || code.startsWith('08')) {
        return new DatabaseUnavailableError(current);
      }
      if (DATABASE_STRAINED_STATES.has(code)) {
        return new DatabaseUnavailableError(current, 'strained');
      }
      if (DATABASE_MISSING_STATES.has(code)) {
        return new StorageMissingError(current, 'database');
      }
    } else if (code === PG_CONNECTION_FAILED) {
      return new DatabaseUnavailableError(current);
    } else if (typeof code === 'string') {
      if (FULL_CODES.has(code)) {
        return new StorageFullError(current);
      }
      if (READ_ONLY_CODES.has(code) || code.startsWith('SQLITE_READONLY')) {
        return new StorageReadOnlyError(current);
      }
      if ((code === 'ENOENT' || code === 'SQLITE_CANTOPEN') && !fs.existsSync(dataDir)) {
        return new StorageMissingError(current);
      }
    }
    current = (current as { cause?: unknown }).cause;
  }
  return null;
}

/**
 * Says "the disk is full" at most once per `intervalMs` for each kind of failure: every failed save would
 * otherwise write the same error line, and a full disk fails many of them.
 */
export class StorageFailureLog {
  private readonly _lastLogged = new Map<string, number>();
  private readonly _suppressed = new Map<string, number>();

  constructor(
    private readonly _log: (failure: GalleryError, suppressed: number) => void,
    private readonly _intervalMs = 60_000,
    private readonly _now: () => number = Date.now
  ) {}

  /** Logs `failure` unless one of its kind was logged less than the interval ago; counts those it holds back. */
  report(failure: GalleryError): void {
    const now = this._now();
    const last = this._lastLogged.get(failure.code);
    if (last !== undefined && now - last < this._intervalMs) {
      this._suppressed.set(failure.code, (this._suppressed.get(failure.code) ?? 0) + 1);
      return;
    }
    this._lastLogged.set(failure.code, now);
    const suppressed = this._suppressed.get(failure.code) ?? 0;
    this._suppressed.delete(failure.code);
    this._log(failure, suppressed);
  }
}

import * as fs from 'node:fs';
import type { GalleryError } from '../errors/GalleryError';
import { StorageFullError } from '../errors/StorageFullError';
import { StorageMissingError } from '../errors/StorageMissingError';
import { StorageReadOnlyError } from '../errors/StorageReadOnlyError';

/** System and SQLite error codes of a full disk (`SQLITE_FULL`; git and file writes: `ENOSPC`, `EDQUOT`). */
const FULL_CODES = new Set(['ENOSPC', 'EDQUOT', 'SQLITE_FULL']);

/** Codes of a data directory that cannot be written; SQLite's extended codes all start with `SQLITE_READONLY`. */
const READ_ONLY_CODES = new Set(['EROFS', 'EACCES', 'EPERM']);

/**
 * The storage failure underneath `error`, as the typed error the API answers with, or null when `error` is no
 * storage failure. Follows `cause` chains, since isomorphic-git and our stores may wrap the system error. A missing
 * file counts only when the data directory itself is gone: a missing notebook file is a different problem.
 */
export function storageFailureOf(error: unknown, dataDir: string): GalleryError | null {
  if (
    error instanceof StorageFullError ||
    error instanceof StorageReadOnlyError ||
    error instanceof StorageMissingError
  ) {
    return error;
  }
  // Duck-typed, not `instanceof Error`: errors of Node's internals can come from another realm (a vm context).
  for (let current = error, depth = 0; typeof current === 'object' && current !== null && depth < 5; depth++) {
    const code = (current as NodeJS.ErrnoException).code;
    if (typeof code === 'string') {
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

import pg from 'pg';
import { asConnectionFailure } from '../../src/db/postgres/pgConnectionFailure';
import type { GalleryError } from '../../src/errors/GalleryError';
import { StorageFailureLog, storageFailureOf } from '../../src/storage/storageFailure';
import { makeDataDir } from '../helpers/testGallery';

/** An error PostgreSQL answered with, as the pg driver builds it: its SQLSTATE in `code`, and a severity. */
function databaseError(sqlState: string, severity = 'ERROR'): pg.DatabaseError {
  return Object.assign(new pg.DatabaseError(`${sqlState}: refused`, 0, 'error'), { code: sqlState, severity });
}

/** A system error as Node or better-sqlite3 throws it. */
function systemError(code: string): Error {
  return Object.assign(new Error(`${code}: something failed`), { code });
}

describe('storageFailureOf', () => {
  const dataDir = makeDataDir();

  it.each([
    ['ENOSPC', 507, 'STORAGE_FULL'],
    ['EDQUOT', 507, 'STORAGE_FULL'],
    ['SQLITE_FULL', 507, 'STORAGE_FULL'],
    ['EROFS', 503, 'STORAGE_READ_ONLY'],
    ['SQLITE_READONLY', 503, 'STORAGE_READ_ONLY'],
    ['SQLITE_READONLY_DBMOVED', 503, 'STORAGE_READ_ONLY'],
    ['EACCES', 503, 'STORAGE_READ_ONLY']
  ])('maps %s to %i %s', (code, status, errorCode) => {
    const failure = storageFailureOf(systemError(code), dataDir);
    expect([failure?.statusCode, failure?.code]).toEqual([status, errorCode]);
  });

  it('finds the system error under a wrapping error', () => {
    const wrapped = new Error('commit failed', { cause: systemError('ENOSPC') });
    expect(storageFailureOf(wrapped, dataDir)?.code).toBe('STORAGE_FULL');
  });

  it('takes a missing file for a missing data directory only when the directory is gone', () => {
    expect(storageFailureOf(systemError('ENOENT'), dataDir)).toBeNull();
    expect(storageFailureOf(systemError('ENOENT'), `${dataDir}-gone`)?.code).toBe('STORAGE_MISSING');
  });

  it.each([
    ['53100', 507, 'STORAGE_FULL', "The gallery's database has run out of disk space"],
    ['25006', 503, 'STORAGE_READ_ONLY', "The gallery's database is read-only"],
    ['57P01', 503, 'DATABASE_UNAVAILABLE', "The gallery's database cannot be reached"],
    ['57P03', 503, 'DATABASE_UNAVAILABLE', "The gallery's database cannot be reached"],
    ['08006', 503, 'DATABASE_UNAVAILABLE', "The gallery's database cannot be reached"],
    ['53300', 503, 'DATABASE_UNAVAILABLE', "The gallery's database cannot be reached"],
    ['53000', 503, 'DATABASE_UNAVAILABLE', "The gallery's database is short of memory or resources"],
    ['53200', 503, 'DATABASE_UNAVAILABLE', "The gallery's database is short of memory or resources"],
    ['53400', 503, 'DATABASE_UNAVAILABLE', "The gallery's database is short of memory or resources"],
    ['57P04', 503, 'STORAGE_MISSING', "The gallery's database is missing"],
    ['3D000', 503, 'STORAGE_MISSING', "The gallery's database is missing"]
  ])("maps PostgreSQL's SQLSTATE %s to %i %s, in words about the database", (sqlState, status, errorCode, words) => {
    const failure = storageFailureOf(databaseError(sqlState), dataDir);
    expect([failure?.statusCode, failure?.code]).toEqual([status, errorCode]);
    expect(failure?.message).toContain(words);
  });

  it('tells a failed connection to PostgreSQL from a failed file by who threw it, and says when to try again', () => {
    // No Unix socket: the same ENOENT a missing file gives. Only PgDatabase wraps its driver's errors.
    const noSocket = Object.assign(systemError('ENOENT'), {
      syscall: 'connect',
      address: '/run/postgresql/.s.PGSQL.5432'
    });
    expect(storageFailureOf(noSocket, dataDir)).toBeNull();
    const failure = storageFailureOf(asConnectionFailure(noSocket), dataDir);
    expect([failure?.statusCode, failure?.code, failure?.details]).toEqual([
      503,
      'DATABASE_UNAVAILABLE',
      { retryAfterSeconds: 5 }
    ]);
    expect(storageFailureOf(asConnectionFailure(new Error('Connection terminated unexpectedly')), dataDir)?.code).toBe(
      'DATABASE_UNAVAILABLE'
    );
    // What PostgreSQL answered is not a connection failure, whatever it was.
    expect(asConnectionFailure(databaseError('08006', 'FATAL'))).toBeInstanceOf(pg.DatabaseError);
  });

  it('leaves other errors alone', () => {
    expect(storageFailureOf(databaseError('42501'), dataDir)).toBeNull();
    expect(storageFailureOf(databaseError('23505'), dataDir)).toBeNull();
    expect(storageFailureOf(asConnectionFailure(new TypeError('bad parameter')), dataDir)).toBeNull();
    expect(storageFailureOf(systemError('EIO'), dataDir)).toBeNull();
    expect(storageFailureOf(new Error('plain'), dataDir)).toBeNull();
    expect(storageFailureOf('not an error', dataDir)).toBeNull();
  });
});

describe('StorageFailureLog', () => {
  it('logs each kind of failure once a minute, with how many it held back', () => {
    let now = 0;
    const lines: [string, number][] = [];
    const log = new StorageFailureLog(
      (failure, suppressed) => lines.push([failure.code, suppressed]),
      60_000,
      () => now
    );
    const full = storageFailureOf(systemError('ENOSPC'), '/') as GalleryError;
    const readOnly = storageFailureOf(systemError('EROFS'), '/') as GalleryError;
    log.report(full);
    log.report(full);
    log.report(readOnly);
    now = 59_999;
    log.report(full);
    expect(lines).toEqual([
      ['STORAGE_FULL', 0],
      ['STORAGE_READ_ONLY', 0]
    ]);
    now = 60_000;
    log.report(full);
    expect(lines).toEqual([
      ['STORAGE_FULL', 0],
      ['STORAGE_READ_ONLY', 0],
      ['STORAGE_FULL', 2]
    ]);
  });
});

import type { GalleryError } from '../../src/errors/GalleryError';
import { StorageFailureLog, storageFailureOf } from '../../src/storage/storageFailure';
import { makeDataDir } from '../helpers/testGallery';

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

  it('leaves other errors alone', () => {
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

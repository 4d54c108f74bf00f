import * as fs from 'node:fs';
import * as path from 'node:path';
import { openGallery, sqliteDatabase } from '../../src/compositionRoot';
import { ConfigError } from '../../src/errors/ConfigError';
import type { ILogger } from '../../src/logger';
import { sampleNotebook } from '../helpers/fixtures';
import { makeDataDir, startTestGallery } from '../helpers/testGallery';

/*
 * gallery.sqlite holds password and token hashes: on a shared machine nobody but the gallery's user may read it.
 */

let parent: string;

beforeEach(() => {
  parent = makeDataDir();
});

afterEach(() => {
  fs.rmSync(parent, { recursive: true, force: true });
});

function modeOf(file: string): number {
  return fs.statSync(file).mode & 0o777;
}

function capturingLogger(): ILogger & { warnings: string[] } {
  const warnings: string[] = [];
  return { warnings, warn: (_details, message) => warnings.push(message), error: () => undefined };
}

describe('a new data directory', () => {
  it('is created 0700 with its database, WAL, shared-memory and secret files 0600', async () => {
    const dataDir = path.join(parent, 'nested', 'gallery');
    const gallery = await startTestGallery({}, dataDir);
    try {
      const token = await gallery.login('ann');
      const saved = await gallery.request(token, {
        method: 'POST',
        url: '/api/notebooks',
        payload: { notebook: sampleNotebook('private'), title: 'Private' }
      });
      expect(saved.statusCode).toBe(201);
      expect(modeOf(dataDir)).toBe(0o700);
      for (const file of ['gallery.sqlite', 'gallery.sqlite-wal', 'gallery.sqlite-shm', 'jwt-secret']) {
        expect([file, modeOf(path.join(dataDir, file))]).toEqual([file, 0o600]);
      }
    } finally {
      await gallery.close();
    }
  });

  it('gives no warning', async () => {
    const log = capturingLogger();
    await (await openGallery({ dataDir: path.join(parent, 'fresh'), fsync: false, log })).close();
    expect(log.warnings).toEqual([]);
  });
});

describe('an existing data directory', () => {
  it('that other users can enter is named at start, with its mode and the fix', async () => {
    const dataDir = path.join(parent, 'shared');
    fs.mkdirSync(dataDir);
    fs.chmodSync(dataDir, 0o755);
    const log = capturingLogger();
    await (await openGallery({ dataDir, fsync: false, log })).close();
    expect(log.warnings).toHaveLength(1);
    expect(log.warnings[0]).toContain(`data directory ${dataDir} has mode 0755`);
    expect(log.warnings[0]).toContain(`chmod 700 ${dataDir}`);
    expect(modeOf(dataDir)).toBe(0o755);
  });

  it('that is private gives no warning', async () => {
    const dataDir = path.join(parent, 'mine');
    fs.mkdirSync(dataDir, { mode: 0o700 });
    const log = capturingLogger();
    await (await openGallery({ dataDir, fsync: false, log })).close();
    expect(log.warnings).toEqual([]);
  });
});

describe('openGallery', () => {
  it('checks its options with a clear message', async () => {
    await expect(openGallery({ dataDir: 'relative/dir', fsync: true })).rejects.toThrow(
      new ConfigError('dataDir must be an absolute path, got "relative/dir"')
    );
    await expect(openGallery({ dataDir: parent, fsync: 'yes' as unknown as boolean })).rejects.toThrow(
      new ConfigError('fsync must be true or false, got "yes"')
    );
  });

  it('runs SQLite at synchronous FULL with fsync and NORMAL without', async () => {
    for (const [fsync, level] of [
      [true, 2],
      [false, 1]
    ] as const) {
      const gallery = await openGallery({ dataDir: path.join(parent, String(fsync)), fsync });
      try {
        expect(sqliteDatabase(gallery).pragma('synchronous', { simple: true })).toBe(level);
      } finally {
        await gallery.close();
      }
    }
  });
});

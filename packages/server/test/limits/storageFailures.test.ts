import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { sampleNotebook } from '../helpers/fixtures';
import { notesRequests } from '../helpers/notesRequests';
import { fsck, repositoryIds } from '../helpers/git';
import { fillDisk, makeReadOnly, makeWritable, mountSmallDisk, unmountSmallDisk } from '../helpers/smallDisk';
import { makeDataDir, startTestGallery, type ITestGallery, SETUP_TIMEOUT_MS } from '../helpers/testGallery';

/*
 * Storage that fails under the server, made the real way: a small tmpfs filled to the last byte, a read-only bind
 * mount over the data directory, and a data directory deleted while the server runs. Each answers its own code with a sentence for
 * the user, writes nothing half, is logged at `error` once a minute however many saves fail, and saves work again
 * once the disk is fixed, without a restart.
 */

interface ILogLine {
  level: number;
  msg: string;
  statusCode?: number;
  error?: string;
}

let mountPoint: string;
let gallery: ITestGallery;
let ann: string;
let log: ILogLine[];

beforeEach(async () => {
  mountPoint = fs.mkdtempSync(path.join(os.tmpdir(), 'gallery-small-disk-'));
  mountSmallDisk(mountPoint, 24);
  log = [];
  gallery = await startTestGallery(
    { 'log-level': 'warn', 'default-visibility': 'public' },
    path.join(mountPoint, 'data'),
    { logStream: { write: line => log.push(JSON.parse(line)) } }
  );
  ann = await gallery.login('ann');
}, SETUP_TIMEOUT_MS);

afterEach(async () => {
  await gallery.close();
  unmountSmallDisk(mountPoint);
});

const { create, save, read } = notesRequests(
  () => gallery,
  () => ann
);

/** Every repository passes `git fsck --strict`. */
function expectRepositoriesIntact(): void {
  const dataDir = gallery.dataDir;
  for (const id of repositoryIds(dataDir)) {
    const result = fsck(gallery.repo(id));
    expect([id, result.status, result.output]).toEqual([id, 0, expect.anything()]);
  }
}

function storageErrorLines(): ILogLine[] {
  return log.filter(line => line.level === 50);
}

it(
  'answers 507 STORAGE_FULL when the disk is full, loses nothing, logs it once, and saves again once space is freed',
  async () => {
    const created = await create('kept');
    expect(created.statusCode).toBe(201);
    const { id, revision } = created.json();
    const filler = fillDisk(mountPoint);

    const failures = [
      await save(id, revision, 'lost 1'),
      await save(id, revision, 'lost 2'),
      await create('never made'),
      await save(id, revision, 'lost 3')
    ];
    for (const failure of failures) {
      expect(failure.statusCode).toBe(507);
      expect(failure.json()).toEqual({
        error: 'STORAGE_FULL',
        message: "The gallery's disk is full; ask your administrator"
      });
    }
    // Writes that touch only SQLite (a token, a star) fail as SQLITE_FULL or find room in its write-ahead log: never a 500.
    for (let i = 0; i < 10; i++) {
      const token = await gallery.request(ann, { method: 'POST', url: '/api/tokens', payload: { name: `t${i}` } });
      const star = await gallery.request(ann, { method: 'PUT', url: `/api/notebooks/${id}/star` });
      expect(
        [token.statusCode, star.statusCode].filter(status => status !== 201 && status !== 200 && status !== 507)
      ).toEqual([]);
    }
    // Nothing half-written: the notebook is as it was, the failed creation left no notebook.
    expect(await read(id)).toMatchObject({ revision, text: expect.stringContaining('kept') });
    const listed = await gallery.request(ann, { method: 'GET', url: '/api/notebooks' });
    expect(listed.json().items.map((item: { id: string }) => item.id)).toEqual([id]);
    // One line at `error` for four failures; each request is at `warn`, with its code.
    expect(storageErrorLines()).toEqual([
      expect.objectContaining({ msg: expect.stringContaining("storage failure: The gallery's disk is full") })
    ]);
    expect(log.filter(line => line.statusCode === 507).length).toBeGreaterThanOrEqual(4);
    expect(log.filter(line => line.statusCode === 507).every(line => line.level === 40)).toBe(true);

    fs.rmSync(filler);
    const saved = await save(id, revision, 'after the admin freed space');
    expect(saved.statusCode).toBe(200);
    expect(await read(id)).toMatchObject({
      revision: saved.json().revision,
      text: expect.stringContaining('after the admin freed space')
    });
    expect((await create('new one')).statusCode).toBe(201);
    expectRepositoriesIntact();
  },
  SETUP_TIMEOUT_MS
);

it(
  'answers 503 STORAGE_READ_ONLY when the data directory is read-only, and saves again once it is writable',
  async () => {
    const created = await create('kept');
    const { id, revision } = created.json();
    makeReadOnly(gallery.dataDir);
    try {
      const failed = await save(id, revision, 'not now');
      expect(failed.statusCode).toBe(503);
      expect(failed.json()).toEqual({
        error: 'STORAGE_READ_ONLY',
        message: "The gallery's data directory is read-only, so nothing can be saved; ask your administrator"
      });
      expect((await create('nor this')).statusCode).toBe(503);
      // Reading still works.
      expect(await read(id)).toMatchObject({ revision, text: expect.stringContaining('kept') });
    } finally {
      makeWritable(gallery.dataDir);
    }
    expect(storageErrorLines()).toHaveLength(1);
    const saved = await save(id, revision, 'writable again');
    expect(saved.statusCode).toBe(200);
    expectRepositoriesIntact();
  },
  SETUP_TIMEOUT_MS
);

describe('a data directory deleted while the server runs', () => {
  let plain: ITestGallery;

  afterEach(async () => {
    await plain.close();
  });

  it(
    'answers 503 STORAGE_MISSING for a save',
    async () => {
      plain = await startTestGallery({ 'log-level': 'silent' }, makeDataDir());
      const token = await plain.login('bob');
      const created = await plain.request(token, {
        method: 'POST',
        url: '/api/notebooks',
        payload: { notebook: sampleNotebook('first'), title: 'First' }
      });
      expect(created.statusCode).toBe(201);
      fs.rmSync(plain.dataDir, { recursive: true, force: true });
      const failed = await plain.request(token, {
        method: 'PUT',
        url: `/api/notebooks/${created.json().id}`,
        payload: { notebook: sampleNotebook('second'), baseRevision: created.json().revision }
      });
      expect(failed.statusCode).toBe(503);
      expect(failed.json()).toEqual({
        error: 'STORAGE_MISSING',
        message: "The gallery's data directory is missing, so nothing can be saved; ask your administrator"
      });
    },
    SETUP_TIMEOUT_MS
  );
});

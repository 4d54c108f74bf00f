import { sqliteDatabase } from '../../src/compositionRoot';
import * as fs from 'node:fs';
import type { SavePoint } from '../../src/storage/saveHooks';
import { sampleNotebook } from '../helpers/fixtures';
import { fsck, git } from '../helpers/git';
import { makeDataDir, startTestGallery, type ITestGallery, SETUP_TIMEOUT_MS } from '../helpers/testGallery';

/*
 * A disk that fails at one step of a save, injected through the save hook: a save SQLite committed is acknowledged
 * with its new revision even when the branch cannot move, and a delete whose repository cannot move changes nothing.
 */

let dataDir: string;
let gallery: ITestGallery;
let token: string;
/** How many more times the hook fails at `failAt`. */
let failures = 0;
let failAt: SavePoint | null = null;

beforeEach(async () => {
  dataDir = makeDataDir();
  failures = 0;
  failAt = null;
  gallery = await startTestGallery({ 'default-visibility': 'public' }, dataDir, {
    saveHook: point => {
      if (point === failAt && failures > 0) {
        failures--;
        throw Object.assign(new Error(`injected failure at ${point}`), { code: 'EIO' });
      }
    }
  });
  token = await gallery.login('ann');
}, SETUP_TIMEOUT_MS);

afterEach(async () => {
  await gallery.close();
});

function failNext(point: SavePoint, times: number): void {
  failAt = point;
  failures = times;
}

async function create(text: string) {
  return gallery.request(token, {
    method: 'POST',
    url: '/api/notebooks',
    payload: { notebook: sampleNotebook(text), title: 'Fragile' }
  });
}

async function update(id: string, baseRevision: string, text: string) {
  return gallery.request(token, {
    method: 'PUT',
    url: `/api/notebooks/${id}`,
    payload: { notebook: sampleNotebook(text), baseRevision }
  });
}

function journalSize(): number {
  return (sqliteDatabase(gallery.app.gallery).prepare('SELECT count(*) AS n FROM save_journal').get() as { n: number })
    .n;
}

/** Closes the app and builds a new one on the same data directory, which runs startup repair. */
async function restart(): Promise<void> {
  await gallery.app.close();
  gallery = await startTestGallery({ 'default-visibility': 'public' }, dataDir);
  token = await gallery.login('bob', { admin: true });
}

describe('a ref that cannot be moved after the transaction committed', () => {
  it('is retried at once, and the save is acknowledged', async () => {
    const first = (await create('v1')).json();
    failNext('before-ref', 1);
    const response = await update(first.id, first.revision, 'v2');
    expect(response.statusCode).toBe(200);
    const saved = response.json();
    expect(saved).toMatchObject({ revisionNumber: 2, changed: true });
    expect(git(gallery.repo(first.id), 'rev-parse', 'main')).toBe(saved.revision);
    expect(journalSize()).toBe(0);
  });

  it('still acknowledges the save when the retry fails, and startup repair moves the ref', async () => {
    const first = (await create('v1')).json();
    failNext('before-ref', 2);
    const response = await update(first.id, first.revision, 'v2');
    expect(response.statusCode).toBe(200);
    const saved = response.json();
    expect(saved).toMatchObject({ revisionNumber: 2, changed: true });
    expect(saved.revision).not.toBe(first.revision);
    expect(git(gallery.repo(first.id), 'rev-parse', 'main')).toBe(first.revision);
    expect(journalSize()).toBe(1);
    const content = await gallery.request(token, { method: 'GET', url: `/api/notebooks/${first.id}/content` });
    expect(content.json().cells[0].source).toEqual(['v2']);

    await restart();
    expect(git(gallery.repo(first.id), 'rev-parse', 'main')).toBe(saved.revision);
    expect(git(gallery.repo(first.id), 'log', '--format=%H', 'main').split('\n')).toEqual([
      saved.revision,
      first.revision
    ]);
    expect(fsck(gallery.repo(first.id)).status).toBe(0);
    expect(journalSize()).toBe(0);
  });

  it('acknowledges a create the same way', async () => {
    failNext('before-ref', 2);
    const response = await create('new');
    expect(response.statusCode).toBe(201);
    const saved = response.json();
    expect(journalSize()).toBe(1);

    await restart();
    expect(git(gallery.repo(saved.id), 'rev-parse', 'main')).toBe(saved.revision);
    expect(journalSize()).toBe(0);
  });
});

describe('a delete whose repository cannot be moved to the trash', () => {
  it('fails and leaves the notebook whole and readable', async () => {
    const saved = (await create('keep me')).json();
    failNext('before-trash', 1);
    const response = await gallery.request(token, { method: 'DELETE', url: `/api/notebooks/${saved.id}` });
    expect(response.statusCode).toBe(500);

    const summary = await gallery.request(token, { method: 'GET', url: `/api/notebooks/${saved.id}` });
    expect(summary.statusCode).toBe(200);
    const content = await gallery.request(token, { method: 'GET', url: `/api/notebooks/${saved.id}/content` });
    expect(content.json().cells[0].source).toEqual(['keep me']);
    const found = await gallery.request(token, { method: 'GET', url: '/api/notebooks?q=keep' });
    expect(found.json().items.map((item: { id: string }) => item.id)).toEqual([saved.id]);
    expect(git(gallery.repo(saved.id), 'rev-parse', 'main')).toBe(saved.revision);
    expect(fs.existsSync(`${dataDir}/trash`) ? fs.readdirSync(`${dataDir}/trash`) : []).toEqual([]);
    expect(journalSize()).toBe(0);

    const again = await gallery.request(token, { method: 'DELETE', url: `/api/notebooks/${saved.id}` });
    expect(again.statusCode).toBe(204);
    expect(fs.readdirSync(`${dataDir}/trash`)).toHaveLength(1);
  });
});

describe('startup repair of a delete a crash interrupted', () => {
  function journalDelete(id: string): void {
    sqliteDatabase(gallery.app.gallery)
      .prepare("INSERT INTO save_journal (notebook_id, kind, created_at) VALUES (?, 'delete', ?)")
      .run(id, new Date().toISOString());
  }

  it('finishes it when the repository already went to the trash', async () => {
    const saved = (await create('going')).json();
    journalDelete(saved.id);
    fs.mkdirSync(`${dataDir}/trash`);
    fs.renameSync(gallery.repo(saved.id), `${dataDir}/trash/${saved.id}-1.git`);

    await restart();
    const response = await gallery.request(token, { method: 'GET', url: `/api/notebooks/${saved.id}` });
    expect(response.statusCode).toBe(404);
    const found = await gallery.request(token, { method: 'GET', url: '/api/notebooks?q=going' });
    expect(found.json().items).toEqual([]);
    expect(journalSize()).toBe(0);
  });

  it('drops it when the repository never moved, keeping the notebook', async () => {
    const saved = (await create('staying')).json();
    journalDelete(saved.id);

    await restart();
    const content = await gallery.request(token, { method: 'GET', url: `/api/notebooks/${saved.id}/content` });
    expect(content.json().cells[0].source).toEqual(['staying']);
    expect(git(gallery.repo(saved.id), 'rev-parse', 'main')).toBe(saved.revision);
    expect(journalSize()).toBe(0);
  });
});

import Database from 'better-sqlite3';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { sampleNotebook } from '../helpers/fixtures';
import { buildServer, runCli } from '../helpers/cliProcess';
import { fsck as gitFsck, git } from '../helpers/git';
import { makeDataDir, SETUP_TIMEOUT_MS, startTestGallery, type ITestGallery } from '../helpers/testGallery';

/*
 * Damage made for real to a real gallery (git repositories and a SQLite file), one kind per test: what the server does
 * at start, what the damaged notebook answers (and that a healthy one keeps working), what fsck finds, and what
 * fsck --repair leaves. No save may build on a missing object.
 */

jest.setTimeout(120_000);

interface IWorld {
  dataDir: string;
  damaged: { id: string; revisions: string[] };
  healthy: { id: string; revision: string };
}

const repo = (dataDir: string, id: string): string => path.join(dataDir, 'repos', id.slice(0, 2), `${id}.git`);

let world: IWorld;
let gallery: ITestGallery | undefined;
let logLines: string[];

beforeAll(() => buildServer(), SETUP_TIMEOUT_MS);

afterEach(async () => {
  await gallery?.app.close();
  gallery = undefined;
  fs.rmSync(world.dataDir, { recursive: true, force: true });
});

/** Starts the app on the world's data directory, keeping its warnings and errors in `logLines`. */
async function start(): Promise<ITestGallery> {
  logLines = [];
  gallery = await startTestGallery({ 'log-level': 'warn' }, world.dataDir, {
    logStream: { write: (line: string) => logLines.push(line) }
  });
  return gallery;
}

async function stop(): Promise<void> {
  await gallery?.app.close();
  gallery = undefined;
}

/**
 * alice's "Damaged notebook" with three revisions (the first two packed with `git repack` when `pack`), and
 * "Healthy notebook" beside it; the app is stopped at the end, so the database is checkpointed.
 */
async function makeWorld(options: { pack?: boolean } = {}): Promise<void> {
  world = { dataDir: makeDataDir(), damaged: { id: '', revisions: [] }, healthy: { id: '', revision: '' } };
  const app = await start();
  const token = await app.login('alice');
  const created = await app.request(token, {
    method: 'POST',
    url: '/api/notebooks',
    payload: { notebook: sampleNotebook('v1'), title: 'Damaged notebook' }
  });
  expect(created.statusCode).toBe(201);
  const id = created.json().id as string;
  const revisions = [created.json().revision as string];
  for (const text of ['v2', 'v3']) {
    if (text === 'v3' && options.pack) {
      git(repo(world.dataDir, id), 'repack', '-a', '-d', '-q');
    }
    const saved = await app.request(token, {
      method: 'PUT',
      url: `/api/notebooks/${id}`,
      payload: { notebook: sampleNotebook(text), baseRevision: revisions[revisions.length - 1] }
    });
    expect(saved.statusCode).toBe(200);
    revisions.push(saved.json().revision);
  }
  const healthy = await app.request(token, {
    method: 'POST',
    url: '/api/notebooks',
    payload: { notebook: sampleNotebook('fine'), title: 'Healthy notebook' }
  });
  world.damaged = { id, revisions };
  world.healthy = { id: healthy.json().id, revision: healthy.json().revision };
  await stop();
}

/** The loose object file of `oid` in the damaged notebook's repository. */
function looseObject(oid: string): string {
  return path.join(repo(world.dataDir, world.damaged.id), 'objects', oid.slice(0, 2), oid.slice(2));
}

function packFiles(): string[] {
  const dir = path.join(repo(world.dataDir, world.damaged.id), 'objects', 'pack');
  return fs.readdirSync(dir).map(name => path.join(dir, name));
}

function headBlob(): string {
  return git(repo(world.dataDir, world.damaged.id), 'rev-parse', `${world.damaged.revisions[2]}:notebook.ipynb`);
}

function fsckCli(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  return runCli(['fsck', '--data-dir', world.dataDir, ...args]);
}

/** A new login of alice, whom {@link makeWorld} added. */
async function aliceToken(app: ITestGallery): Promise<string> {
  const response = await app.app.inject({
    method: 'POST',
    url: '/api/auth/login',
    payload: { username: 'alice', password: 'alice-password' }
  });
  return response.json().token as string;
}

/** What the damaged and the healthy notebook answer to a read and a save once the app runs. */
async function notebookReplies(app: ITestGallery): Promise<{ read: any; save: any; healthy: number[] }> {
  const alice = await aliceToken(app);
  const record = (await app.request(alice, { method: 'GET', url: `/api/notebooks/${world.damaged.id}` })).json();
  const read = await app.request(alice, { method: 'GET', url: `/api/notebooks/${world.damaged.id}/content` });
  const save = await app.request(alice, {
    method: 'PUT',
    url: `/api/notebooks/${world.damaged.id}`,
    payload: { notebook: sampleNotebook('after damage'), baseRevision: record.revision }
  });
  const healthyRead = await app.request(alice, { method: 'GET', url: `/api/notebooks/${world.healthy.id}/content` });
  const healthySave = await app.request(alice, {
    method: 'PUT',
    url: `/api/notebooks/${world.healthy.id}`,
    payload: { notebook: sampleNotebook('still fine'), baseRevision: world.healthy.revision }
  });
  return {
    read: { status: read.statusCode, body: read.json() },
    save: { status: save.statusCode, body: save.json() },
    healthy: [healthyRead.statusCode, healthySave.statusCode]
  };
}

/** The damaged notebook's branch has not moved: nothing was committed on top of the damage. */
function expectBranchUnmoved(expected: string): void {
  const ref = path.join(repo(world.dataDir, world.damaged.id), 'refs', 'heads', 'main');
  expect(fs.readFileSync(ref, 'utf8').trim()).toBe(expected);
}

const STORAGE_DAMAGED = {
  status: 409,
  body: {
    error: 'STORAGE_DAMAGED',
    id: expect.any(String),
    message: expect.stringMatching(/^Notebook "Damaged notebook" \(.+\) is damaged: .+notebook-gallery fsck --repair/)
  }
};

/** After --repair the notebook reads and saves again, and the next save gets a number never given before. */
async function expectWorksAfterRepair(expectedText: string, minimumNumber: number): Promise<void> {
  const app = await start();
  const alice = await aliceToken(app);
  const record = (await app.request(alice, { method: 'GET', url: `/api/notebooks/${world.damaged.id}` })).json();
  const content = await app.request(alice, { method: 'GET', url: `/api/notebooks/${world.damaged.id}/content` });
  expect(content.statusCode).toBe(200);
  expect(content.json().cells[0].source).toEqual([expectedText]);
  const saved = await app.request(alice, {
    method: 'PUT',
    url: `/api/notebooks/${world.damaged.id}`,
    payload: { notebook: sampleNotebook('saved after repair'), baseRevision: record.revision }
  });
  expect(saved.statusCode).toBe(200);
  expect(saved.json().revisionNumber).toBeGreaterThanOrEqual(minimumNumber);
  await stop();
}

describe('a deleted loose blob (the latest notebook file)', () => {
  it('is refused at read and save, found by fsck and repaired onto the newest intact revision', async () => {
    await makeWorld();
    fs.rmSync(looseObject(headBlob()));

    const app = await start();
    expect(logLines.join('')).not.toMatch(/"level":50/);
    const replies = await notebookReplies(app);
    expect(replies.read).toEqual(STORAGE_DAMAGED);
    expect(replies.read.body.message).toMatch(/latest revision's notebook file \(blob [0-9a-f]{7}\) is missing/);
    expect(replies.save).toEqual(STORAGE_DAMAGED);
    expect(replies.healthy).toEqual([200, 200]);
    await stop();
    expectBranchUnmoved(world.damaged.revisions[2]);

    const found = fsckCli('--quiet');
    expect(found.status).toBe(1);
    expect(found.stdout).toMatch(
      new RegExp(
        `REVISION_LOST  notebook ${world.damaged.id} "Damaged notebook" \\(alice\\): .*revision 3 \\(its notebook file`
      )
    );

    const repaired = fsckCli('--repair', '--quiet');
    expect(repaired.stdout).toMatch(
      /revision 3 .*repair commit \(revision 4\) on top of revision 2.*notebook of revision 2.*\[repaired\]/
    );
    expect(repaired.status).toBe(3);
    expect(fsckCli('--quiet').status).toBe(0);
    expect(gitFsck(repo(world.dataDir, world.damaged.id)).status).toBe(0);
    await expectWorksAfterRepair('v2', 5);
  });
});

describe('a deleted head commit', () => {
  it('still reads, refuses saves, and is repaired keeping the surviving notebook file', async () => {
    await makeWorld();
    fs.rmSync(looseObject(world.damaged.revisions[2]));

    const app = await start();
    const replies = await notebookReplies(app);
    expect(replies.read.status).toBe(200);
    expect(replies.save).toEqual(STORAGE_DAMAGED);
    expect(replies.save.body.message).toMatch(/latest revision's commit [0-9a-f]{7} is missing/);
    expect(replies.healthy).toEqual([200, 200]);
    await stop();
    expectBranchUnmoved(world.damaged.revisions[2]);

    const found = fsckCli('--quiet');
    expect(found.status).toBe(1);
    expect(found.stdout).toMatch(/REVISION_LOST .*"Damaged notebook" \(alice\): .*revision 3 \(its commit/);
    const repaired = fsckCli('--repair', '--quiet');
    expect(repaired.stdout).toMatch(/notebook of revision 3.*\[repaired\]/);
    expect(repaired.status).toBe(3);
    expect(fsckCli('--quiet').status).toBe(0);
    expect(gitFsck(repo(world.dataDir, world.damaged.id)).status).toBe(0);
    await expectWorksAfterRepair('v3', 5);
  });
});

describe('a deleted pack (revisions 1 and 2 were packed)', () => {
  it('refuses saves on the broken history; fsck starts a new history from the intact latest revision', async () => {
    await makeWorld({ pack: true });
    for (const file of packFiles()) {
      fs.rmSync(file);
    }

    const app = await start();
    const replies = await notebookReplies(app);
    expect(replies.read.status).toBe(200);
    expect(replies.save).toEqual(STORAGE_DAMAGED);
    expect(replies.save.body.message).toMatch(/the commit [0-9a-f]{7} before its latest revision is missing/);
    expect(replies.healthy).toEqual([200, 200]);
    await stop();
    expectBranchUnmoved(world.damaged.revisions[2]);

    const found = fsckCli('--quiet');
    expect(found.status).toBe(1);
    expect(found.stdout).toMatch(
      /REVISION_LOST .*"Damaged notebook" \(alice\): .*revision 2 \(its commit.*revision 1 \(its commit/
    );
    const repaired = fsckCli('--repair', '--quiet');
    expect(repaired.stdout).toMatch(/starts a new history, with the notebook of revision 3.*\[repaired\]/);
    expect(repaired.status).toBe(3);
    expect(fsckCli('--quiet').status).toBe(0);
    expect(gitFsck(repo(world.dataDir, world.damaged.id)).status).toBe(0);
    await expectWorksAfterRepair('v3', 5);
  });
});

describe('a truncated pack', () => {
  it('is found as a damaged pack; repair makes the notebook saveable and says the pack stays damaged', async () => {
    await makeWorld({ pack: true });
    const pack = packFiles().find(file => file.endsWith('.pack'))!;
    fs.truncateSync(pack, Math.floor(fs.statSync(pack).size / 2));

    const app = await start();
    const replies = await notebookReplies(app);
    expect(replies.save).toEqual(STORAGE_DAMAGED);
    expect(replies.healthy).toEqual([200, 200]);
    await stop();
    expectBranchUnmoved(world.damaged.revisions[2]);

    const found = fsckCli('--quiet');
    expect(found.status).toBe(1);
    expect(found.stdout).toMatch(
      /PACK_DAMAGED  notebook .* "Damaged notebook" \(alice\): pack .* is truncated or damaged/
    );
    const repaired = fsckCli('--repair', '--quiet');
    expect(repaired.stdout).toMatch(/REVISION_LOST .*\[repaired\]/);
    // The pack itself cannot be mended from what survives: fsck keeps saying so.
    expect(repaired.status).toBe(1);
    expect(fsckCli('--quiet').stdout).toMatch(/PACK_DAMAGED/);
    await expectWorksAfterRepair('v3', 5);
  });
});

describe('a truncated branch ref', () => {
  it('is repaired at start (nothing lost), after fsck reported it', async () => {
    await makeWorld();
    const ref = path.join(repo(world.dataDir, world.damaged.id), 'refs', 'heads', 'main');
    fs.truncateSync(ref, 12);

    const found = fsckCli('--quiet');
    expect(found.status).toBe(1);
    expect(found.stdout).toMatch(
      /BRANCH_DAMAGED .*"Damaged notebook" \(alice\): its branch ref .* does not hold a commit id/
    );

    const app = await start();
    expect(logLines.join('')).toMatch(/BRANCH_DAMAGED.*pointed at the latest revision the database acknowledged/);
    const replies = await notebookReplies(app);
    expect(replies.read.status).toBe(200);
    expect(replies.save.status).toBe(200);
    expect(replies.healthy).toEqual([200, 200]);
    await stop();
    expect(fsckCli('--repair', '--quiet').status).toBe(0);
    expect(gitFsck(repo(world.dataDir, world.damaged.id)).status).toBe(0);
  });
});

describe('an empty HEAD', () => {
  it('does not stop the gallery; fsck finds it and --repair rewrites it so stock git works again', async () => {
    await makeWorld();
    fs.writeFileSync(path.join(repo(world.dataDir, world.damaged.id), 'HEAD'), '');
    expect(gitFsck(repo(world.dataDir, world.damaged.id)).status).not.toBe(0);

    const app = await start();
    const replies = await notebookReplies(app);
    expect([replies.read.status, replies.save.status]).toEqual([200, 200]);
    await stop();

    const found = fsckCli('--quiet');
    expect(found.status).toBe(1);
    expect(found.stdout).toMatch(/HEAD_DAMAGED  notebook .* "Damaged notebook" \(alice\): its HEAD file/);
    const repaired = fsckCli('--repair', '--quiet');
    expect(repaired.status).toBe(3);
    expect(fsckCli('--quiet').status).toBe(0);
    expect(gitFsck(repo(world.dataDir, world.damaged.id)).status).toBe(0);
  });
});

describe('a damaged database', () => {
  function overwrite(offset: () => number, length: number): void {
    const at = offset();
    const file = path.join(world.dataDir, 'gallery.sqlite');
    const fd = fs.openSync(file, 'r+');
    fs.writeSync(fd, Buffer.alloc(length, 0x5a), 0, length, at);
    fs.closeSync(fd);
  }

  /**
   * Where a table's first page starts in the file: for these small tables, the page that holds their rows. (The
   * file's last page may be a free page since other tables' queues empty themselves, and damage there harms nothing.)
   */
  function firstPageOf(table: string): number {
    const db = new Database(path.join(world.dataDir, 'gallery.sqlite'), { readonly: true, fileMustExist: true });
    try {
      const { rootpage } = db.prepare('SELECT rootpage FROM sqlite_master WHERE name = ?').get(table) as {
        rootpage: number;
      };
      return (rootpage - 1) * (db.pragma('page_size', { simple: true }) as number);
    } finally {
      db.close();
    }
  }

  const notebooksPage = (): number => firstPageOf('notebooks');

  it.each([
    ['an overwritten page of the notebooks table', () => notebooksPage(), 4096],
    ['an overwritten header', () => 0, 100]
  ])('%s stops the start with a message naming fsck and restore, and fsck exits 4', async (_name, offset, length) => {
    await makeWorld();
    expect(fs.existsSync(path.join(world.dataDir, 'gallery.sqlite-wal'))).toBe(false);
    overwrite(offset, length);

    await expect(start()).rejects.toThrow(
      /database .*gallery\.sqlite is damaged \(.+\)\. Stop the server, run "notebook-gallery fsck".*"notebook-gallery restore"/
    );
    const served = runCli(['serve', '--port', '0', '--data-dir', world.dataDir, '--log-level', 'silent']);
    expect(served.status).toBe(1);
    expect(served.stderr).toMatch(/notebook-gallery serve: The gallery's database .* is damaged .*fsck.*restore/);
    expect(served.stderr).not.toMatch(/\n\s+at /);

    const found = fsckCli('--quiet');
    expect(found.status).toBe(4);
    expect(found.stdout).toMatch(/DATABASE_DAMAGED/);
    expect(fsckCli('--repair', '--quiet').status).toBe(4);
  });

  it('a damaged page of a derived search table lets the server start and serve the notebooks; fsck finds it', async () => {
    // The start checks the tables only the database knows, not the ones rebuild-index derives (at 100,000 notebooks
    // FTS5's own check alone held the start 18 s); fsck's full check still reads everything.
    await makeWorld();
    overwrite(() => firstPageOf('topk_postings'), 4096);

    const app = await start();
    const alice = await aliceToken(app);
    const listed = await app.request(alice, { method: 'GET', url: '/api/notebooks' });
    expect(listed.statusCode).toBe(200);
    expect(
      listed
        .json()
        .items.map((item: { title: string }) => item.title)
        .sort()
    ).toEqual(['Damaged notebook', 'Healthy notebook']);
    const content = await app.request(alice, { method: 'GET', url: `/api/notebooks/${world.healthy.id}/content` });
    expect(content.statusCode).toBe(200);
    // A search reads the damaged page, and says so as a damaged database would at any time, not as a 500.
    const searched = await app.request(alice, { method: 'GET', url: '/api/notebooks?q=fine' });
    expect([searched.statusCode, searched.json().error]).toEqual([503, 'DATABASE_DAMAGED']);
    await stop();

    const found = fsckCli('--quiet');
    expect(found.status).toBe(4);
    expect(found.stdout).toMatch(/DATABASE_DAMAGED/);
  });
});

describe("a deleted loose blob of a change request's proposal", () => {
  it('answers 409 STORAGE_DAMAGED for the proposal, while the notebook itself keeps working; fsck names it', async () => {
    await makeWorld();
    const app = await start();
    const alice = await aliceToken(app);
    const proposed = await app.request(alice, {
      method: 'POST',
      url: `/api/notebooks/${world.damaged.id}/change-requests`,
      payload: { notebook: sampleNotebook('proposed'), baseRevision: world.damaged.revisions[2], message: 'Idea' }
    });
    expect(proposed.statusCode).toBe(201);
    const request = proposed.json();
    const blob = git(
      repo(world.dataDir, world.damaged.id),
      'rev-parse',
      `refs/change-requests/${request.id}:notebook.ipynb`
    );
    fs.rmSync(looseObject(blob));

    const read = await app.request(alice, {
      method: 'GET',
      url: `/api/notebooks/${world.damaged.id}/change-requests/${request.id}/content`
    });
    expect([read.statusCode, read.json().error]).toEqual([409, 'STORAGE_DAMAGED']);
    expect(read.json().message).toMatch(/notebook file proposed by change request .* is missing or unreadable/);
    const notebook = await app.request(alice, { method: 'GET', url: `/api/notebooks/${world.damaged.id}/content` });
    expect(notebook.statusCode).toBe(200);
    await stop();

    // fsck names it (restore runs the same check); nothing can repair a lost proposal, so --repair still exits 1.
    const found = fsckCli('--quiet');
    expect(found.stdout).toContain(
      `PROPOSAL_DAMAGED  notebook ${world.damaged.id} "Damaged notebook" (alice): change request ${request.id} ` +
        `(open, by alice): its proposed notebook file (blob ${blob.slice(0, 7)}) is missing or damaged`
    );
    expect(found.status).toBe(1);
    expect(fsckCli('--repair', '--quiet').status).toBe(1);
  });
});

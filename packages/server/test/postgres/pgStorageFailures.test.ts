import * as crypto from 'node:crypto';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import pg from 'pg';
import { sampleNotebook } from '../helpers/fixtures';
import { notesRequests } from '../helpers/notesRequests';
import { fsck, git } from '../helpers/git';
import { POSTGRES_START_TIMEOUT_MS } from '../helpers/postgresCluster';
import { startCluster, startInitialised, stopCluster, stopClusterKeepingData } from '../helpers/postgresProcess';
import { fillDisk, mountSmallDisk, unmountSmallDisk } from '../helpers/smallDisk';
import { makeDataDir, SETUP_TIMEOUT_MS, startTestGallery, type ITestGallery } from '../helpers/testGallery';

/*
 * PostgreSQL failing under a running gallery answers as SQLite's storage failures do: a database that refuses writes
 * (read-only), one that is stopped, and one whose disk is full. Each is made the real way on a cluster of this file's
 * own (it is stopped and started here, so not the process's shared one): `default_transaction_read_only` on the
 * database, `pg_ctl stop -m fast`, and a tablespace on a small tmpfs filled to the last byte. Each answers its code and
 * a sentence that names the database, writes nothing (the previous revision is intact and git's refs are as they were),
 * and the same server saves again once the database is fixed, without a restart.
 */

interface ILogLine {
  level: number;
  msg: string;
  remedy?: string;
}

let clusterDir: string;
let dataDir: string;
let gallery: ITestGallery;
let ann: string;
let log: ILogLine[];
const databaseName = `failing_${process.pid}`;

const adminUrl = (database: string): string => `postgres://postgres@${encodeURIComponent(clusterDir)}/${database}`;

/** Runs `sql` as the superuser on the `postgres` database of this file's cluster. */
async function admin(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl('postgres') });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** Ends the gallery's sessions, so its pools connect afresh (and take the database's new settings). */
async function endGallerySessions(): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl('postgres') });
  await client.connect();
  try {
    await client.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1', [databaseName]);
    // Terminated backends leave pg_stat_activity once they have told their client and exited.
    for (;;) {
      const { rows } = await client.query<{ n: number }>(
        'SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1',
        [databaseName]
      );
      if (rows[0].n === 0) {
        break;
      }
      await new Promise(resolve => setTimeout(resolve, 10));
    }
  } finally {
    await client.end();
  }
  // The gallery's pools have read the news of their ended sessions (a message and a closed socket) by the next turn.
  await new Promise(resolve => setTimeout(resolve, 50));
}

beforeAll(async () => {
  clusterDir = startCluster();
  await admin(`CREATE DATABASE ${databaseName}`);
  dataDir = makeDataDir();
  log = [];
  gallery = await startTestGallery(
    { 'database-url': adminUrl(databaseName), 'log-level': 'warn', 'default-visibility': 'public' },
    dataDir,
    { logStream: { write: line => log.push(JSON.parse(line)) } }
  );
  ann = await gallery.login('ann');
}, SETUP_TIMEOUT_MS + POSTGRES_START_TIMEOUT_MS);

afterAll(async () => {
  await gallery?.close();
  if (clusterDir) {
    stopCluster(clusterDir);
  }
});

const { create, save, read } = notesRequests(
  () => gallery,
  () => ann
);

/** Every ref of the notebook's repository with what it points at: a failed save must leave none behind. */
function refsOf(id: string): string {
  return git(gallery.repo(id), 'for-each-ref', '--format=%(refname) %(objectname)');
}

/** A notebook created and saved once, with its revision and refs. */
async function aNotebook(text: string): Promise<{ id: string; revision: string; refs: string }> {
  const created = await create(text);
  expect(created.statusCode).toBe(201);
  const { id } = created.json();
  const saved = await save(id, created.json().revision, `${text}, saved`);
  expect(saved.statusCode).toBe(200);
  return { id, revision: saved.json().revision, refs: refsOf(id) };
}

function expectUnchanged(before: { id: string; revision: string; refs: string }, text: string) {
  return async (): Promise<void> => {
    expect(await read(before.id)).toEqual({ revision: before.revision, text: expect.stringContaining(text) });
    expect(refsOf(before.id)).toBe(before.refs);
    expect(fsck(gallery.repo(before.id)).status).toBe(0);
  };
}

it('answers a save on a read-only database 503 STORAGE_READ_ONLY, loses nothing, and saves once it is writable', async () => {
  const notebook = await aNotebook('kept while read-only');
  await admin(`ALTER DATABASE ${databaseName} SET default_transaction_read_only = on`);
  await endGallerySessions();

  const refused = await save(notebook.id, notebook.revision, 'refused');
  expect(refused.statusCode).toBe(503);
  expect(refused.json()).toEqual({
    error: 'STORAGE_READ_ONLY',
    message: "The gallery's database is read-only, so nothing can be saved; ask your administrator"
  });
  const neverMade = await create('never made');
  expect(neverMade.statusCode).toBe(503);
  expect(neverMade.json().error).toBe('STORAGE_READ_ONLY');
  await expectUnchanged(notebook, 'kept while read-only, saved')();
  // The log tells the administrator what is wrong and what to do.
  expect(log).toContainEqual(
    expect.objectContaining({
      level: 50,
      msg: expect.stringContaining("storage failure: The gallery's database is read-only"),
      remedy: expect.stringContaining('default_transaction_read_only')
    })
  );

  await admin(`ALTER DATABASE ${databaseName} RESET default_transaction_read_only`);
  await endGallerySessions();
  const saved = await save(notebook.id, notebook.revision, 'saved again');
  expect(saved.statusCode).toBe(200);
  expect((await read(notebook.id)).text).toContain('saved again');
});

it(
  'answers 503 DATABASE_UNAVAILABLE with Retry-After while PostgreSQL is stopped, is not ready, and saves once it is back',
  async () => {
    const notebook = await aNotebook('kept while stopped');
    stopClusterKeepingData(clusterDir);

    const refused = await save(notebook.id, notebook.revision, 'refused');
    expect(refused.statusCode).toBe(503);
    expect(refused.json()).toEqual({
      error: 'DATABASE_UNAVAILABLE',
      message:
        "The gallery's database cannot be reached right now (it may be restarting); try again in 5 seconds, and ask your administrator if it goes on",
      retryAfterSeconds: 5
    });
    expect(refused.headers['retry-after']).toBe('5');
    // Reads fail alike: the same answer, not a 500 or a stack.
    const list = await gallery.request(ann, { method: 'GET', url: '/api/notebooks' });
    expect([list.statusCode, list.json().error, list.headers['retry-after']]).toEqual([
      503,
      'DATABASE_UNAVAILABLE',
      '5'
    ]);
    // A page says it in words too, and what to do, not "unexpected error".
    const page = await gallery.request(ann, {
      method: 'GET',
      url: `/n/${notebook.id}`,
      headers: { accept: 'text/html' }
    });
    expect(page.statusCode).toBe(503);
    expect(page.body).toContain('Not available right now');
    expect(page.body).toContain('cannot be reached right now (it may be restarting)');
    expect(page.body).not.toContain('unexpected error');
    const ready = await gallery.request(null, { method: 'GET', url: '/readyz' });
    expect(ready.statusCode).toBe(503);
    expect(ready.json().checks.database.status).toBe('failed');
    expect(ready.json().checks.volume.status).toBe('ok');
    expect(refsOf(notebook.id)).toBe(notebook.refs);

    startInitialised(clusterDir);
    // The same server, not restarted: its pools connect afresh.
    const saved = await save(notebook.id, notebook.revision, 'saved after the restart');
    expect(saved.statusCode).toBe(200);
    expect((await gallery.request(null, { method: 'GET', url: '/readyz' })).statusCode).toBe(200);
    await expectUnchanged(
      { ...notebook, revision: saved.json().revision, refs: refsOf(notebook.id) },
      'after the restart'
    )();
  },
  POSTGRES_START_TIMEOUT_MS
);

describe('a full disk under the database', () => {
  let mountPoint: string;
  let full: ITestGallery;
  let bob: string;
  const smallName = `small_${process.pid}`;

  beforeAll(async () => {
    // A tablespace on a small tmpfs, and a database in it: its tables and indexes grow there; the write-ahead log
    // stays in the cluster's folder, as on a server whose data disk fills while its WAL disk has room.
    mountPoint = fs.mkdtempSync(path.join(os.tmpdir(), 'gallery-pg-small-disk-'));
    mountSmallDisk(mountPoint, 48);
    const tablespace = path.join(mountPoint, 'tablespace');
    fs.mkdirSync(tablespace);
    if (process.getuid?.() === 0) {
      execFileSync('chown', ['-R', 'postgres:', mountPoint]);
      fs.chmodSync(mountPoint, 0o755);
    }
    await admin(`CREATE TABLESPACE ${smallName} LOCATION '${tablespace}'`);
    await admin(`CREATE DATABASE ${smallName} TABLESPACE ${smallName}`);
    full = await startTestGallery(
      { 'database-url': adminUrl(smallName), 'log-level': 'silent', 'default-visibility': 'public' },
      makeDataDir()
    );
    bob = await full.login('bob');
  }, SETUP_TIMEOUT_MS);

  afterAll(async () => {
    try {
      await full?.close();
      await admin(`DROP DATABASE IF EXISTS ${smallName} WITH (FORCE)`);
      await admin(`DROP TABLESPACE IF EXISTS ${smallName}`);
    } finally {
      // Also when the cluster is down after a failed test: a tmpfs left mounted outlives the run.
      unmountSmallDisk(mountPoint);
    }
  });

  it('answers 507 STORAGE_FULL naming the database, loses nothing, and saves once space is freed', async () => {
    const created = await full.request(bob, {
      method: 'POST',
      url: '/api/notebooks',
      payload: { notebook: sampleNotebook('kept on a full disk'), title: 'Kept' }
    });
    expect(created.statusCode).toBe(201);
    const { id, revision } = created.json();
    const refs = git(full.repo(id), 'for-each-ref', '--format=%(refname) %(objectname)');
    const filler = fillDisk(mountPoint);

    // Words the search index has never seen, so the save must grow the database's tables and indexes.
    const fresh = (): string =>
      Array.from({ length: 4000 }, () => `w${crypto.randomBytes(6).toString('hex')}`).join(' ');
    const refused = await full.request(bob, {
      method: 'PUT',
      url: `/api/notebooks/${id}`,
      payload: { notebook: sampleNotebook(fresh()), baseRevision: revision }
    });
    expect(refused.statusCode).toBe(507);
    expect(refused.json()).toEqual({
      error: 'STORAGE_FULL',
      message: "The gallery's database has run out of disk space, so nothing was saved; ask your administrator"
    });
    const meta = await full.request(bob, { method: 'GET', url: `/api/notebooks/${id}` });
    expect(meta.json().revision).toBe(revision);
    expect(git(full.repo(id), 'for-each-ref', '--format=%(refname) %(objectname)')).toBe(refs);

    fs.rmSync(filler);
    const saved = await full.request(bob, {
      method: 'PUT',
      url: `/api/notebooks/${id}`,
      payload: { notebook: sampleNotebook(fresh()), baseRevision: revision }
    });
    expect(saved.statusCode).toBe(200);
  });
});

describe('a database dropped under the gallery', () => {
  let gone: ITestGallery;
  let cy: string;
  const goneLog: ILogLine[] = [];
  const goneName = `dropped_${process.pid}`;

  beforeAll(async () => {
    await admin(`CREATE DATABASE ${goneName}`);
    gone = await startTestGallery(
      { 'database-url': adminUrl(goneName), 'log-level': 'warn', 'default-visibility': 'public' },
      makeDataDir(),
      { logStream: { write: line => goneLog.push(JSON.parse(line)) } }
    );
    cy = await gone.login('cy');
  }, SETUP_TIMEOUT_MS);

  afterAll(async () => {
    await gone?.close();
  });

  it('answers 503 STORAGE_MISSING naming the database, without Retry-After, and leaves git as it was', async () => {
    const created = await gone.request(cy, {
      method: 'POST',
      url: '/api/notebooks',
      payload: { notebook: sampleNotebook('kept in git'), title: 'Kept' }
    });
    expect(created.statusCode).toBe(201);
    const { id, revision } = created.json();
    const refs = git(gone.repo(id), 'for-each-ref', '--format=%(refname) %(objectname)');
    // FORCE ends the gallery's sessions first; its pools then reconnect to a database that no longer exists.
    await admin(`DROP DATABASE ${goneName} WITH (FORCE)`);
    await new Promise(resolve => setTimeout(resolve, 50));

    const refused = await gone.request(cy, {
      method: 'PUT',
      url: `/api/notebooks/${id}`,
      payload: { notebook: sampleNotebook('refused'), baseRevision: revision }
    });
    expect(refused.statusCode).toBe(503);
    expect(refused.json()).toEqual({
      error: 'STORAGE_MISSING',
      message: "The gallery's database is missing, so nothing can be saved; ask your administrator"
    });
    // It does not pass by itself, so the client is not told to try again soon.
    expect(refused.headers['retry-after']).toBeUndefined();
    const list = await gone.request(cy, { method: 'GET', url: '/api/notebooks' });
    expect([list.statusCode, list.json().error]).toEqual([503, 'STORAGE_MISSING']);
    expect(git(gone.repo(id), 'for-each-ref', '--format=%(refname) %(objectname)')).toBe(refs);
    expect(goneLog).toContainEqual(
      expect.objectContaining({
        level: 50,
        msg: expect.stringContaining("storage failure: The gallery's database is missing"),
        remedy: expect.stringContaining('restore the database named in --database-url')
      })
    );
  });
});

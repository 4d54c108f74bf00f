import type { INotebook } from '@notebook-gallery/core';
import * as fs from 'node:fs';
import type { ICaller } from '../../src/auth/permissions';
import { openGallery, type IGallery } from '../../src/compositionRoot';
import { PgDatabase } from '../../src/db/postgres/pgDatabase';
import { repositoryPath } from '../../src/storage/repositoryLayout';
import type { SavePoint } from '../../src/storage/saveHooks';
import { sampleNotebook } from '../helpers/fixtures';
import { git } from '../helpers/git';
import { postgresCluster, POSTGRES_START_TIMEOUT_MS } from '../helpers/postgresCluster';
import { someoneWaitsForALock, until } from '../helpers/postgresWaits';
import { makeDataDir } from '../helpers/testGallery';

/*
 * Crash repair with two galleries on one PostgreSQL database and one data directory, as two replicas: a replica's
 * start-up repair waits for a save another replica is making instead of undoing it, and the next write to a notebook
 * repairs what a failed replica left in the journal.
 */

let dataDir: string;
let url: string;
let probe: PgDatabase;
const opened: IGallery[] = [];
const ann: ICaller = { user: { username: 'ann', isAdmin: false }, groups: new Map() };

beforeEach(async () => {
  dataDir = makeDataDir();
  url = await postgresCluster().createDatabase('repair');
  probe = PgDatabase.connect(url, { applicationName: 'probe' });
}, POSTGRES_START_TIMEOUT_MS);

afterEach(async () => {
  for (const gallery of opened.splice(0)) {
    await gallery.close();
  }
  await probe.close();
  await postgresCluster().dropDatabase(url);
  fs.rmSync(dataDir, { recursive: true, force: true });
});

async function replica(saveHook?: (point: SavePoint) => void | Promise<void>): Promise<IGallery> {
  const gallery = await openGallery({ dataDir, databaseUrl: url, fsync: false, readWorkers: 1, saveHook });
  opened.push(gallery);
  return gallery;
}

async function journalEntries(): Promise<string[]> {
  const rows = await probe.query<{ notebook_id: string }>('SELECT notebook_id FROM save_journal ORDER BY seq');
  return rows.map(row => row.notebook_id);
}

it("waits for another replica's create in flight instead of rolling it back", async () => {
  let release!: () => void;
  const released = new Promise<void>(resolve => (release = resolve));
  let paused = false;
  const saving = await replica(async point => {
    if (point === 'after-objects') {
      paused = true;
      await released;
    }
  });
  await saving.accounts.add('ann', 'ann-password');
  const create = saving.notebooks.create(ann, { notebook: sampleNotebook('v1') as INotebook, title: 'In flight' });
  await until(() => paused);
  const [id] = await journalEntries();
  expect(id).toBeDefined();

  const starting = await replica();
  const repair = starting.reconcile();
  // The starting replica has reached the notebook's lock and waits there for the save to let go.
  await until(() => someoneWaitsForALock(probe));
  release();
  const created = await create;
  const report = await repair;

  expect(created.id).toBe(id);
  expect(report.createsRolledBack).toBe(0);
  expect(fs.existsSync(repositoryPath(dataDir, id))).toBe(true);
  expect(git(repositoryPath(dataDir, id), 'rev-parse', 'refs/heads/main').trim()).toBe(created.revision);
  expect((await starting.notebooks.get(ann, id)).revision).toBe(created.revision);
  expect(await journalEntries()).toEqual([]);
});

it('repairs what a replica left in the journal before the next write to that notebook', async () => {
  let refMoves = true;
  const failing = await replica(point => {
    if (point === 'before-ref' && !refMoves) {
      throw new Error('the volume went away');
    }
  });
  await failing.accounts.add('ann', 'ann-password');
  const created = await failing.notebooks.create(ann, { notebook: sampleNotebook('v1') as INotebook, title: 'Left' });
  refMoves = false;
  const second = await failing.notebooks.saveRevision(ann, created.id, {
    notebook: sampleNotebook('v2') as INotebook,
    baseRevision: created.revision
  });
  const gitdir = repositoryPath(dataDir, created.id);
  // Acknowledged, but the branch still names the first revision and the journal keeps the entry for repair.
  expect(await journalEntries()).toEqual([created.id]);
  expect(git(gitdir, 'rev-parse', 'refs/heads/main').trim()).toBe(created.revision);

  const other = await replica();
  await other.notebooks.patch(ann, created.id, { title: 'Touched' });

  expect(await journalEntries()).toEqual([]);
  expect(git(gitdir, 'rev-parse', 'refs/heads/main').trim()).toBe(second.revision);
});

it('runs a gallery-wide job (hub group sync, start-up queues) on one replica at a time; the other skips it', async () => {
  const [first, second] = [await replica(), await replica()];
  let release!: () => void;
  const released = new Promise<void>(resolve => (release = resolve));
  let started = false;
  const running = first.onlyOneReplica('hub-group-sync', async () => {
    started = true;
    await released;
    return 'first';
  });
  await until(() => started);
  let ranSecond = false;
  const skipped = await second.onlyOneReplica('hub-group-sync', async () => {
    ranSecond = true;
    return 'second';
  });
  expect(skipped).toBeUndefined();
  expect(ranSecond).toBe(false);
  // Another job is not held up by this one.
  expect(await second.onlyOneReplica('start-up-queues', async () => 'queues')).toEqual({ ran: true, value: 'queues' });
  release();
  expect(await running).toEqual({ ran: true, value: 'first' });
  expect(await second.onlyOneReplica('hub-group-sync', async () => 'second')).toEqual({ ran: true, value: 'second' });
});

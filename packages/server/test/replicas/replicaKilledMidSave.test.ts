import * as fs from 'node:fs';
import { PgDatabase } from '../../src/db/postgres/pgDatabase';
import { repositoryPath } from '../../src/storage/repositoryLayout';
import { buildServer, runCli, startServer, type IServerProcess } from '../helpers/cliProcess';
import { fsck, git } from '../helpers/git';
import { postgresCluster, POSTGRES_START_TIMEOUT_MS } from '../helpers/postgresCluster';
import { ServerClient } from '../helpers/serverClient';
import { makeDataDir, SETUP_TIMEOUT_MS } from '../helpers/testGallery';
import { sampleNotebook } from '../helpers/fixtures';

/*
 * Two real server processes on one PostgreSQL database and one data directory. One is killed with SIGKILL in the
 * middle of a save, after the database recorded it and before the branch moved. The other keeps serving, and the
 * next save to that notebook through it repairs what the dead one left: no acknowledged save is lost.
 */

jest.setTimeout(180_000);

let dataDir: string;
let url: string;
let probe: PgDatabase;
const servers: IServerProcess[] = [];

beforeAll(async () => {
  buildServer();
  dataDir = makeDataDir();
  url = await postgresCluster().createDatabase('killed');
  probe = PgDatabase.connect(url, { applicationName: 'probe' });
  const added = runCli(['user', 'add', 'ann', '--password', 'pw', '--data-dir', dataDir, '--database-url', url]);
  expect(added.status).toBe(0);
}, SETUP_TIMEOUT_MS + POSTGRES_START_TIMEOUT_MS);

afterAll(async () => {
  for (const server of servers) {
    if (server.child.exitCode === null && server.child.signalCode === null) {
      await server.kill('SIGTERM');
    }
  }
  await probe?.close();
  if (url) {
    await postgresCluster().dropDatabase(url);
  }
  fs.rmSync(dataDir, { recursive: true, force: true });
});

it('keeps serving through the other replica, which repairs the notebook before its next save', async () => {
  const dying = await startServer(dataDir, { args: ['--database-url', url], crashAt: 'after-commit-db' });
  const survivor = await startServer(dataDir, { args: ['--database-url', url] });
  servers.push(dying, survivor);
  const viaSurvivor = new ServerClient(() => survivor.url, 60_000);
  await viaSurvivor.login('ann', 'pw');
  const viaDying = new ServerClient(() => dying.url, 60_000);
  viaDying.token = viaSurvivor.token;

  const created = await viaSurvivor.call('POST', '/api/notebooks', { notebook: sampleNotebook('v1'), title: 'Kept' });
  expect(created.status).toBe(201);
  const first = (await created.json()) as { id: string; revision: string };
  const second = await viaSurvivor.call('PUT', `/api/notebooks/${first.id}`, {
    notebook: sampleNotebook('v2'),
    baseRevision: first.revision
  });
  expect(second.status).toBe(200);
  const acknowledged = [first.revision, ((await second.json()) as { revision: string }).revision];

  // The save through the dying replica is recorded in the database, then the process is killed before it answers.
  await expect(
    viaDying.call('PUT', `/api/notebooks/${first.id}`, {
      notebook: sampleNotebook('v3'),
      baseRevision: acknowledged[1]
    })
  ).rejects.toThrow();
  expect(await dying.exited).toBe('SIGKILL');
  const left = await probe.query<{ notebook_id: string }>('SELECT notebook_id FROM save_journal');
  expect(left.map(row => row.notebook_id)).toEqual([first.id]);

  // The survivor still serves, and the next save to the notebook repairs the branch first.
  expect((await fetch(`${survivor.url}/healthz`)).status).toBe(200);
  const current = (await (await viaSurvivor.call('GET', `/api/notebooks/${first.id}`)).json()) as { revision: string };
  const after = await viaSurvivor.call('PUT', `/api/notebooks/${first.id}`, {
    notebook: sampleNotebook('v4'),
    baseRevision: current.revision
  });
  expect(after.status).toBe(200);
  const latest = (await after.json()) as { revision: string };
  acknowledged.push(latest.revision);

  expect(await probe.query('SELECT notebook_id FROM save_journal')).toEqual([]);
  const history = (await (await viaSurvivor.call('GET', `/api/notebooks/${first.id}/revisions`)).json()) as {
    items: { revision: string; revisionNumber?: number }[];
  };
  const listed = history.items.map(item => item.revision);
  for (const revision of acknowledged) {
    expect(listed).toContain(revision);
  }
  const gitdir = repositoryPath(dataDir, first.id);
  expect(git(gitdir, 'rev-parse', 'refs/heads/main')).toBe(latest.revision);
  for (const revision of acknowledged) {
    expect(git(gitdir, 'merge-base', '--is-ancestor', revision, 'main')).toBe('');
  }
  expect(fsck(gitdir)).toMatchObject({ status: 0 });
  const check = runCli(['fsck', '--quiet', '--data-dir', dataDir, '--database-url', url]);
  expect({ status: check.status, output: `${check.stdout}${check.stderr}` }).toEqual({
    status: 0,
    output: expect.any(String)
  });
});

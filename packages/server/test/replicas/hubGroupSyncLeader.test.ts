import * as fs from 'node:fs';
import { PgDatabase } from '../../src/db/postgres/pgDatabase';
import { hubEnvironment, PREFIX } from '../hub/hubGallery';
import { StandInHub } from '../hub/standInHub';
import { buildServer, runCli, startServer, type IServerProcess } from '../helpers/cliProcess';
import { postgresCluster, POSTGRES_START_TIMEOUT_MS } from '../helpers/postgresCluster';
import { until } from '../helpers/postgresWaits';
import { makeDataDir, SETUP_TIMEOUT_MS } from '../helpers/testGallery';
import { freePort } from '../helpers/freePort';

/*
 * Two hub-mode replicas on one PostgreSQL database, each syncing the hub's groups every second: one replica leads the
 * sync and is the only one that asks the hub and applies its groups, every round; when it is killed, the other takes
 * over and applies what the hub says from then on.
 *
 * The hub is the stand-in of the hub tests (test/hub/standInHub.ts), not a real JupyterHub: what is under test is
 * which replica syncs, which the gallery decides alone, and the stand-in lets the test change the hub's groups between
 * rounds. Starting a real hub with two external gallery services adds a Python process and its proxy for no more
 * coverage: the gallery's calls to a real hub's /groups are covered by the JupyterHub browser tests.
 */

jest.setTimeout(180_000);

const SYNC_LINE = /synced (\d+) hub group\(s\) for (\d+) user\(s\)/g;

let hub: StandInHub;
let dataDir: string;
let url: string;
let db: PgDatabase;
const replicas: IServerProcess[] = [];

/** The group counts of every full sync a replica logged, in order. */
function syncsOf(replica: IServerProcess): number[] {
  return [...replica.output().matchAll(SYNC_LINE)].map(match => Number(match[1]));
}

const groupRequests = (): number => hub.requests.filter(path => path === '/hub/api/groups').length;

/** Every synced membership in the database, as `group:user:role`, sorted. */
async function syncedMemberships(): Promise<string[]> {
  const rows = await db.query<{ group_name: string; username: string; role: string }>(
    "SELECT group_name, username, role FROM group_members WHERE source = 'hub' ORDER BY group_name, username"
  );
  return rows.map(row => `${row.group_name}:${row.username}:${row.role}`);
}

beforeAll(async () => {
  buildServer();
  hub = new StandInHub('service-token');
  await hub.start();
  dataDir = makeDataDir();
  url = await postgresCluster().createDatabase('hubsync');
  for (const user of ['alice', 'bob']) {
    expect(runCli(['user', 'add', user, '--password', 'pw', '--data-dir', dataDir, '--database-url', url]).status).toBe(
      0
    );
  }
  hub.addMember('physics', 'alice');
  hub.addMember('physics', 'bob');
  hub.addMember('chemistry', 'alice');
  hub.addMember('instructors', 'bob');
  db = PgDatabase.connect(url, { maxConnections: 2 });
}, SETUP_TIMEOUT_MS + POSTGRES_START_TIMEOUT_MS);

afterAll(async () => {
  for (const replica of replicas) {
    if (replica.child.exitCode === null && replica.child.signalCode === null) {
      await replica.kill('SIGTERM');
    }
  }
  await db?.close();
  await hub?.stop();
  if (url) {
    await postgresCluster().dropDatabase(url);
  }
  fs.rmSync(dataDir, { recursive: true, force: true });
});

it('syncs the hub groups from one replica only, every round, and from the other once the first is killed', async () => {
  const ports = [await freePort(), await freePort()];
  // Started together, as a Deployment's pods are: both race for the lead on their first round.
  replicas.push(
    ...(await Promise.all(
      ports.map(port =>
        startServer(dataDir, {
          env: { ...hubEnvironment(hub), JUPYTERHUB_SERVICE_URL: `http://127.0.0.1:${port}` },
          args: [
            '--database-url',
            url,
            '--hub-sync-interval',
            '1s',
            '--hub-group-roles',
            'instructors=editor:course-101',
            '--log-level',
            'info'
          ]
        })
      )
    ))
  );
  expect(replicas.map(replica => replica.url)).toEqual(ports.map(port => `http://127.0.0.1:${port}`));

  // Several rounds of both replicas' timers.
  await until(() => syncsOf(replicas[0]).length + syncsOf(replicas[1]).length >= 4);
  const leader = syncsOf(replicas[0]).length > 0 ? 0 : 1;
  const follower = 1 - leader;
  expect(syncsOf(replicas[follower])).toEqual([]);
  // The follower does not even ask the hub: one request for the groups per round (one page), all the leader's; the
  // leader may have asked for a round it has not logged yet.
  const leaderRounds = syncsOf(replicas[leader]).length;
  expect(groupRequests() - leaderRounds).toBeGreaterThanOrEqual(0);
  expect(groupRequests() - leaderRounds).toBeLessThanOrEqual(1);
  expect(syncsOf(replicas[leader]).every(groups => groups === 4)).toBe(true);
  expect(await syncedMemberships()).toEqual([
    'chemistry:alice:member',
    'course-101:bob:editor',
    'instructors:bob:member',
    'physics:alice:member',
    'physics:bob:member'
  ]);

  // The leader dies mid-stride; the hub's groups change.
  await replicas[leader].kill('SIGKILL');
  hub.groups.get('chemistry')!.delete('alice');
  hub.addMember('biology', 'bob');
  const before = groupRequests();
  await until(async () => syncsOf(replicas[follower]).length >= 2);
  expect(groupRequests()).toBeGreaterThan(before);
  expect(syncsOf(replicas[follower]).every(groups => groups === 5)).toBe(true);
  expect(await syncedMemberships()).toEqual([
    'biology:bob:member',
    'course-101:bob:editor',
    'instructors:bob:member',
    'physics:alice:member',
    'physics:bob:member'
  ]);
  // The survivor still serves.
  const live = await fetch(`${replicas[follower].url}${PREFIX}/livez`, { signal: AbortSignal.timeout(10_000) });
  expect(live.status).toBe(200);
});

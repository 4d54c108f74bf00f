import * as fs from 'node:fs';
import { sampleNotebook } from '../helpers/fixtures';
import { buildServer, runCli, startServer, type IServerProcess } from '../helpers/cliProcess';
import { postgresCluster, POSTGRES_START_TIMEOUT_MS } from '../helpers/postgresCluster';
import { ServerClient } from '../helpers/serverClient';
import { makeDataDir, SETUP_TIMEOUT_MS } from '../helpers/testGallery';

/*
 * Two replicas (two real server processes) on one PostgreSQL database and one data directory, as behind a Kubernetes
 * Service: a client whose requests are spread over both gets the limits once, not once per replica. Failed logins
 * and saves alternate between the replicas; the request one past the limit is refused, whichever replica gets it.
 */

jest.setTimeout(120_000);

/** The pair limit (failed logins per address and username) and the save limit per user, small enough to reach. */
const LOGINS = 4;
const SAVES = 4;

let dataDir: string;
let url: string;
const replicas: IServerProcess[] = [];

beforeAll(async () => {
  buildServer();
  dataDir = makeDataDir();
  url = await postgresCluster().createDatabase('limits');
  expect(runCli(['user', 'add', 'ann', '--password', 'pw', '--data-dir', dataDir, '--database-url', url]).status).toBe(
    0
  );
  const args = [
    '--database-url',
    url,
    '--login-rate-limit',
    `${LOGINS}/1m`,
    '--save-rate-limit',
    `${SAVES}/1m`,
    '--default-visibility',
    'public'
  ];
  // One after the other: the first applies the migrations, the second finds them done.
  replicas.push(await startServer(dataDir, { args }));
  replicas.push(await startServer(dataDir, { args }));
}, SETUP_TIMEOUT_MS + POSTGRES_START_TIMEOUT_MS);

afterAll(async () => {
  for (const replica of replicas) {
    await replica.kill('SIGTERM');
  }
  if (url) {
    await postgresCluster().dropDatabase(url);
  }
  fs.rmSync(dataDir, { recursive: true, force: true });
});

const client = (index: number): ServerClient => new ServerClient(() => replicas[index % 2].url, 30_000);

it('counts failed logins spread over both replicas against one limit', async () => {
  for (let attempt = 0; attempt < LOGINS; attempt++) {
    const refused = await client(attempt).call('POST', '/api/auth/login', { username: 'ann', password: 'wrong' });
    expect({ attempt, status: refused.status }).toEqual({ attempt, status: 401 });
  }
  // Counted per replica, each would have let LOGINS more through.
  for (const index of [0, 1]) {
    const limited = await client(index).call('POST', '/api/auth/login', { username: 'ann', password: 'wrong' });
    expect(limited.status).toBe(429);
    const body = (await limited.json()) as { error: string; limit: string };
    expect([body.error, body.limit]).toEqual(['RATE_LIMITED', 'login']);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
  }
});

it("counts one user's saves spread over both replicas against one limit", async () => {
  const writer = new ServerClient(() => replicas[0].url, 30_000);
  // The right password from another address would do; here the pair limit above is spent, so log in as a new user.
  expect(runCli(['user', 'add', 'bo', '--password', 'pw', '--data-dir', dataDir, '--database-url', url]).status).toBe(
    0
  );
  await writer.login('bo', 'pw');
  const statuses: number[] = [];
  for (let save = 0; save <= SAVES; save++) {
    const other = client(save);
    other.token = writer.token;
    const created = await other.call('POST', '/api/notebooks', {
      notebook: sampleNotebook(`save ${save}`),
      title: `Save ${save}`
    });
    statuses.push(created.status);
  }
  expect(statuses).toEqual([...Array<number>(SAVES).fill(201), 429]);
});

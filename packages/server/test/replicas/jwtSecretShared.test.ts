import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { JWT_SECRET_FILE } from '../../src/auth/jwtSecret';
import { buildServer, runCli, startServer, type IServerProcess } from '../helpers/cliProcess';
import { postgresCluster, POSTGRES_START_TIMEOUT_MS } from '../helpers/postgresCluster';
import { ServerClient } from '../helpers/serverClient';
import { makeDataDir, SETUP_TIMEOUT_MS } from '../helpers/testGallery';

/*
 * Two replicas started at the same moment on a fresh data directory (a Deployment's first rollout: no jwt-secret yet)
 * must sign with one secret, or a token issued by one is refused by the other and users are logged out at random as
 * the Service balances their requests. Each round starts both together on a new data directory and a new database,
 * logs in through each and uses each token on the other.
 */

jest.setTimeout(240_000);

const ROUNDS = 3;

const started: IServerProcess[] = [];
const dataDirs: string[] = [];
const urls: string[] = [];

beforeAll(() => {
  buildServer();
}, SETUP_TIMEOUT_MS);

afterAll(async () => {
  for (const server of started) {
    if (server.child.exitCode === null && server.child.signalCode === null) {
      await server.kill('SIGTERM');
    }
  }
  for (const url of urls) {
    await postgresCluster().dropDatabase(url);
  }
  for (const dir of dataDirs) {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

/** Logs in through `issuer` and reads the user's own profile with that token on `verifier`. */
async function tokenOfOneWorksOnOther(issuer: IServerProcess, verifier: IServerProcess): Promise<number> {
  const login = new ServerClient(() => issuer.url, 30_000);
  await login.login('ann', 'pw');
  const other = new ServerClient(() => verifier.url, 30_000);
  other.token = login.token;
  const me = await other.call('GET', '/api/auth/me');
  return me.status;
}

it(
  `gives two replicas started together on a fresh data directory one signing secret (${ROUNDS} rounds)`,
  async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const dataDir = makeDataDir();
      dataDirs.push(dataDir);
      const url = await postgresCluster().createDatabase(`jwt${round}`);
      urls.push(url);
      expect(
        runCli(['user', 'add', 'ann', '--password', 'pw', '--data-dir', dataDir, '--database-url', url]).status
      ).toBe(0);
      // Adding a user touches only the database: the secret is still to be made, by the servers below.
      expect(fs.existsSync(path.join(dataDir, JWT_SECRET_FILE))).toBe(false);

      const pair = await Promise.all([0, 1].map(() => startServer(dataDir, { args: ['--database-url', url] })));
      started.push(...pair);
      expect({ round, firstOnSecond: await tokenOfOneWorksOnOther(pair[0], pair[1]) }).toEqual({
        round,
        firstOnSecond: 200
      });
      expect({ round, secondOnFirst: await tokenOfOneWorksOnOther(pair[1], pair[0]) }).toEqual({
        round,
        secondOnFirst: 200
      });
      // One secret file, no drafts left behind by the replica that lost the race.
      expect(fs.readdirSync(dataDir).filter(name => name.startsWith(JWT_SECRET_FILE))).toEqual([JWT_SECRET_FILE]);
      for (const server of pair) {
        await server.kill('SIGTERM');
      }
    }
  },
  ROUNDS * (SETUP_TIMEOUT_MS + 20_000) + POSTGRES_START_TIMEOUT_MS
);

/** The compiled module the servers load (buildServer above compiles it). */
const COMPILED_SECRET_MODULE = path.join(__dirname, '..', '..', 'lib', 'auth', 'jwtSecret.js');
const RACERS = 8;

it(`gives ${RACERS} processes reading the secret in the same millisecond one secret`, async () => {
  // Server starts jitter by hundreds of milliseconds, so the round above rarely puts two replicas' first reads of
  // the file within the few microseconds that matter. Here every process spins until one agreed moment and only
  // then reads or creates the secret, so a check-then-write implementation hands out several secrets.
  for (let round = 0; round < ROUNDS; round++) {
    const dataDir = makeDataDir();
    dataDirs.push(dataDir);
    const at = Date.now() + 1_500;
    const script =
      `const { loadOrCreateJwtSecret } = require(${JSON.stringify(COMPILED_SECRET_MODULE)});` +
      `while (Date.now() < ${at}) {}` +
      `process.stdout.write(loadOrCreateJwtSecret(${JSON.stringify(dataDir)}));`;
    const secrets = await Promise.all(
      Array.from(
        { length: RACERS },
        () =>
          new Promise<string>((resolve, reject) => {
            const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
            let out = '';
            child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
            child.once('error', reject);
            child.once('exit', code => (code === 0 ? resolve(out) : reject(new Error(`racer exited ${code}`))));
          })
      )
    );
    expect({ round, distinct: new Set(secrets).size }).toEqual({ round, distinct: 1 });
    expect(secrets[0]).toBe(fs.readFileSync(path.join(dataDir, JWT_SECRET_FILE), 'utf8').trim());
    expect(fs.readdirSync(dataDir).filter(name => name.startsWith(JWT_SECRET_FILE))).toEqual([JWT_SECRET_FILE]);
  }
}, 60_000);

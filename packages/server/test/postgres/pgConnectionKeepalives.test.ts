import { advisoryKey, PgDatabase } from '../../src/db/postgres/pgDatabase';
import { POSTGRES_START_TIMEOUT_MS } from '../helpers/postgresCluster';
import { until } from '../helpers/postgresWaits';
import { startCluster, startInitialised, stopCluster, stopClusterKeepingData } from '../helpers/postgresProcess';
import { freePort } from '../helpers/freePort';

/*
 * The gallery's connections ask PostgreSQL for TCP keepalives, so the session of a replica whose machine vanished
 * (with the notebook lock or transaction it held) ends in about 25 s rather than hours (docs/admin-guide.md,
 * Replicas). PostgreSQL applies them to TCP sessions only (on a Unix socket they read 0), so this file's own cluster
 * also listens on a port of 127.0.0.1, and the gallery connects there as it would to a database server.
 */

let clusterDir: string;
let db: PgDatabase;
let url: string;

beforeAll(async () => {
  clusterDir = startCluster();
  stopClusterKeepingData(clusterDir);
  const port = await freePort();
  startInitialised(clusterDir, port);
  url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  db = PgDatabase.connect(url);
}, 2 * POSTGRES_START_TIMEOUT_MS);

afterAll(async () => {
  await db?.close();
  if (clusterDir) {
    stopCluster(clusterDir);
  }
});

it('asks the server to probe an idle connection after 10 s, every 5 s, and to drop it after 3 lost probes or 30 s unacknowledged', async () => {
  const row = await db.queryOne(
    `SELECT current_setting('tcp_keepalives_idle') AS idle, current_setting('tcp_keepalives_interval') AS interval,
            current_setting('tcp_keepalives_count') AS count, current_setting('tcp_user_timeout') AS user_timeout,
            inet_client_addr() IS NOT NULL AS over_tcp`
  );
  // Seconds, seconds, a count, and milliseconds: as PostgreSQL reads them back.
  expect(row).toEqual({ idle: '10', interval: '5', count: '3', user_timeout: '30000', over_tcp: true });
});

it('leaves the session timeout to leaders: other connections never get it, and a follower keeps none', async () => {
  expect(await db.queryOne("SELECT current_setting('idle_session_timeout') AS timeout")).toEqual({ timeout: '0' });
  const key = advisoryKey('leader', 'keepalive-test');
  expect(await db.asLeader(key, async () => 'led')).toEqual({ ran: true, value: 'led' });
  const follower = PgDatabase.connect(url, { applicationName: 'a follower' });
  try {
    expect(await follower.asLeader(key, async () => 'stolen')).toBeUndefined();
    // Its connection took the leaders' session timeout with the lock attempt, so it is closed at once, not pooled
    // where a save's lock could inherit it (a pooled one would stay for the pool's idle time, 10 s).
    const asked = Date.now();
    const followerSessions = async (): Promise<number> =>
      (await db.queryOne<{ n: number }>(
        "SELECT count(*) AS n FROM pg_stat_activity WHERE application_name = 'a follower'"
      ))!.n;
    await until(async () => (await followerSessions()) === 0 || Date.now() - asked > 5_000);
    expect(await followerSessions()).toBe(0);
  } finally {
    await follower.close();
  }
});

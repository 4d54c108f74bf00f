import { InProcessRateWindows, type IRateWindows } from '../../src/auth/rateWindows';
import { PG_MIGRATIONS } from '../../src/db/postgres/pgMigrations';
import { migratePostgres } from '../../src/db/postgres/pgMigrate';
import { PgDatabase } from '../../src/db/postgres/pgDatabase';
import { PgRateWindows } from '../../src/repositories/postgres/pgRateWindows';
import { postgresCluster, POSTGRES_START_TIMEOUT_MS } from '../helpers/postgresCluster';

/*
 * The rate windows behind the login and write limits, the same on both implementations: counts that concurrent
 * callers never lose (with PostgreSQL those callers are replicas), windows that end and start afresh, and members that
 * belong to one window only.
 */

let db: PgDatabase;
let url: string;

beforeAll(async () => {
  url = await postgresCluster().createDatabase('ratewindows');
  db = PgDatabase.connect(url);
  await migratePostgres(db, PG_MIGRATIONS);
}, POSTGRES_START_TIMEOUT_MS);

afterAll(async () => {
  await db?.close();
  if (url) {
    await postgresCluster().dropDatabase(url);
  }
});

const MINUTE = 60_000;
const T0 = 1_700_000_000_000;

describe.each([
  ['PostgreSQL', (): IRateWindows => new PgRateWindows(db)],
  ['in memory', (): IRateWindows => new InProcessRateWindows()]
])('rate windows (%s)', (_name, make) => {
  it('counts every one of 20 concurrent adds once', async () => {
    const windows = make();
    const counts = await Promise.all(Array.from({ length: 20 }, () => windows.add('burst', MINUTE, T0)));
    expect(counts.map(window => window.count).sort((a, b) => a - b)).toEqual(
      Array.from({ length: 20 }, (_, index) => index + 1)
    );
    expect((await windows.read('burst', MINUTE, T0)).count).toBe(20);
  });

  it('starts afresh once a window has ended, and forgives no lower than 0', async () => {
    const windows = make();
    await windows.add('k', MINUTE, T0);
    await windows.add('k', MINUTE, T0 + 1000);
    expect(await windows.read('k', MINUTE, T0 + 2000)).toMatchObject({ count: 2, resetAt: T0 + MINUTE });
    const next = await windows.add('k', MINUTE, T0 + MINUTE);
    expect([next.count, next.resetAt]).toEqual([1, T0 + 2 * MINUTE]);
    await windows.forgive('k', T0 + MINUTE + 1);
    await windows.forgive('k', T0 + MINUTE + 2);
    expect((await windows.read('k', MINUTE, T0 + MINUTE + 3)).count).toBe(0);
    expect((await windows.read('never', MINUTE, T0)).count).toBe(0);
  });

  it("keeps a window's members to that window, and forgets a forgiven one", async () => {
    const windows = make();
    await windows.add('u', MINUTE, T0, '10.0.0.1');
    await windows.add('u', MINUTE, T0, '10.0.0.2');
    expect(await windows.read('u', MINUTE, T0, '10.0.0.1')).toMatchObject({ members: 2, isMember: true });
    await windows.forgive('u', T0, '10.0.0.1');
    expect(await windows.read('u', MINUTE, T0, '10.0.0.1')).toMatchObject({ count: 1, members: 1, isMember: false });
    await windows.add('u', MINUTE, T0 + MINUTE, '10.0.0.3');
    expect(await windows.read('u', MINUTE, T0 + MINUTE, '10.0.0.2')).toMatchObject({
      count: 1,
      members: 1,
      isMember: false
    });
  });
});

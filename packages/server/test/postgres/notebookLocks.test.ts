import { PgDatabase } from '../../src/db/postgres/pgDatabase';
import { PgNotebookWriteLock } from '../../src/repositories/postgres/pgNotebookWriteLock';
import { KeyedMutex } from '../../src/storage/keyedMutex';
import { postgresCluster, POSTGRES_START_TIMEOUT_MS } from '../helpers/postgresCluster';
import { until } from '../helpers/postgresWaits';

/** A replica's store: its in-process queue per notebook, then the lock shared with other replicas (as notebookStore.ts). */
class ReplicaLocks {
  private readonly _queue = new KeyedMutex();
  private readonly _shared: PgNotebookWriteLock;

  constructor(db: PgDatabase) {
    this._shared = new PgNotebookWriteLock(db);
  }

  run<T>(id: string, task: () => Promise<T>): Promise<T> {
    return this._queue.run(id, () => this._shared.run(id, task));
  }
}

describe('notebook write locks shared by replicas (real PostgreSQL)', () => {
  let url: string;
  const pools: PgDatabase[] = [];

  /** A replica's connection pool: each replica is its own pool, as each server process has. */
  function replica(): PgDatabase {
    const db = PgDatabase.connect(url, { applicationName: `replica-${pools.length}` });
    pools.push(db);
    return db;
  }

  beforeAll(async () => {
    url = await postgresCluster().createDatabase('locks');
  }, POSTGRES_START_TIMEOUT_MS);

  afterAll(async () => {
    await Promise.all(pools.map(pool => pool.close()));
    if (url) {
      await postgresCluster().dropDatabase(url);
    }
  });

  it('lets one replica write a notebook at a time, and the other replica then goes on', async () => {
    const [a, b] = [new ReplicaLocks(replica()), new ReplicaLocks(replica())];
    const events: string[] = [];
    let release!: () => void;
    const held = new Promise<void>(resolve => (release = resolve));
    const first = a.run('nb-1', async () => {
      events.push('a in');
      await held;
      events.push('a out');
    });
    await until(() => events.length === 1);
    const second = b.run('nb-1', async () => {
      events.push('b in');
    });
    const elsewhere = b.run('nb-2', async () => {
      events.push('b in nb-2');
    });
    await elsewhere;
    await until(async () => {
      const waiting = await pools[0].queryOne<{ n: number }>(
        "SELECT count(*) AS n FROM pg_locks WHERE locktype = 'advisory' AND NOT granted"
      );
      return waiting?.n === 1;
    });
    expect(events).toEqual(['a in', 'b in nb-2']);
    release();
    await Promise.all([first, second]);
    expect(events).toEqual(['a in', 'b in nb-2', 'a out', 'b in']);
  });

  it('frees the notebook when the replica holding it dies (its session ends), so another replica can repair it', async () => {
    const dying = replica();
    const survivor = new ReplicaLocks(replica());
    let holding = false;
    let wake!: () => void;
    const stuck = new Promise<void>(resolve => (wake = resolve));
    // The dead replica's save never finishes on its own; the test wakes it only after the survivor repaired, so that
    // its pool can be closed (a checked-out client is never returned otherwise).
    const abandoned = new ReplicaLocks(dying)
      .run('nb-3', async () => {
        holding = true;
        await stuck;
      })
      .catch(() => undefined);
    await until(() => holding);
    let repaired = false;
    const repair = survivor.run('nb-3', async () => {
      repaired = true;
    });
    await until(async () => {
      const waiting = await pools[0].queryOne<{ n: number }>(
        "SELECT count(*) AS n FROM pg_locks WHERE locktype = 'advisory' AND NOT granted"
      );
      return waiting?.n === 1;
    });
    expect(repaired).toBe(false);
    // What kill -9 does to the dead replica's sessions: PostgreSQL ends them and releases their locks.
    await pools[pools.length - 1].query(
      `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1`,
      [`replica-${pools.indexOf(dying)}`]
    );
    await repair;
    expect(repaired).toBe(true);
    wake();
    await abandoned;
  });

  it('saves many notebooks at once without running out of connections (locks hold connections of their own)', async () => {
    // Fewer statement connections than notebooks being written: were the locks held on the statements' pool, every
    // connection would end up holding a lock while its save waits for a connection to run a statement on.
    const db = PgDatabase.connect(url, { maxConnections: 2, maxLocks: 4 });
    pools.push(db);
    const locks = new ReplicaLocks(db);
    const written: string[] = [];
    await Promise.all(
      Array.from({ length: 12 }, (_, index) =>
        locks.run(`busy-${index}`, async () => {
          await db.transaction(async () => {
            await db.query('SELECT pg_sleep(0.01)');
            await db.query('SELECT 1');
          });
          written.push(`busy-${index}`);
        })
      )
    );
    expect(written.sort()).toEqual(Array.from({ length: 12 }, (_, index) => `busy-${index}`).sort());
  });
});

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { openDatabase } from '../../src/db/database';
import { PG_MIGRATIONS } from '../../src/db/postgres/pgMigrations';
import { migratePostgres, schemaVersion, type IPgMigration } from '../../src/db/postgres/pgMigrate';
import { SchemaTooNewError } from '../../src/errors/SchemaTooNewError';
import { advisoryKey, PgDatabase } from '../../src/db/postgres/pgDatabase';
import { postgresCluster, POSTGRES_START_TIMEOUT_MS } from '../helpers/postgresCluster';
import { until } from '../helpers/postgresWaits';

describe('the PostgreSQL connection (real server)', () => {
  let url: string;
  let db: PgDatabase;

  beforeAll(async () => {
    url = await postgresCluster().createDatabase('pgdb');
    db = PgDatabase.connect(url);
    await db.execute('CREATE TABLE things (id integer PRIMARY KEY, name text NOT NULL)');
  }, POSTGRES_START_TIMEOUT_MS);

  afterAll(async () => {
    await db?.close();
    if (url) {
      await postgresCluster().dropDatabase(url);
    }
  });

  beforeEach(() => db.execute('DELETE FROM things'));

  it("connects without JIT compilation, which costs the gallery's short queries more than it saves", async () => {
    expect(await db.queryOne('SHOW jit')).toEqual({ jit: 'off' });
  });

  it('commits a transaction that resolves, and undoes one that throws, with the error passed on', async () => {
    await db.transaction(async () => {
      await db.execute("INSERT INTO things VALUES (1, 'kept')");
    });
    await expect(
      db.transaction(async () => {
        await db.execute("INSERT INTO things VALUES (2, 'undone')");
        throw new Error('save failed');
      })
    ).rejects.toThrow('save failed');
    expect(await db.query('SELECT id, name FROM things ORDER BY id')).toEqual([{ id: 1, name: 'kept' }]);
  });

  it('runs a nested transaction inside the outer one, so an error deep inside undoes everything', async () => {
    await expect(
      db.transaction(async () => {
        await db.execute("INSERT INTO things VALUES (1, 'outer')");
        await db.transaction(async () => {
          expect(db.inTransaction).toBe(true);
          await db.execute("INSERT INTO things VALUES (2, 'inner')");
        });
        throw new Error('later step failed');
      })
    ).rejects.toThrow('later step failed');
    expect(await db.query('SELECT id FROM things')).toEqual([]);
  });

  it('keeps an open transaction to its own async path: other requests do not see its rows until it commits', async () => {
    let inserted = false;
    let release!: () => void;
    const held = new Promise<void>(resolve => (release = resolve));
    const transaction = db.transaction(async () => {
      await db.execute("INSERT INTO things VALUES (1, 'pending')");
      inserted = true;
      await held;
    });
    await until(() => inserted);
    expect(db.inTransaction).toBe(false);
    expect(await db.query('SELECT id FROM things')).toEqual([]);
    release();
    await transaction;
    expect(await db.query('SELECT id FROM things')).toEqual([{ id: 1 }]);
  });

  it('runs statements a transaction issues at once one after another on its client, with each its own result', async () => {
    const results = await db.transaction(() =>
      Promise.all([1, 2, 3, 4].map(n => db.queryOne<{ n: number }>('SELECT $1::int AS n, pg_sleep(0.005)', [n])))
    );
    expect(results.map(row => row?.n)).toEqual([1, 2, 3, 4]);
  });

  it('reads counts as numbers, as the SQLite repositories return them', async () => {
    await db.execute("INSERT INTO things VALUES (1, 'a'), (2, 'b')");
    expect(await db.queryOne('SELECT count(*) AS n, sum(id)::numeric AS total FROM things')).toEqual({
      n: 2,
      total: 3
    });
  });

  it('makes a second writer of the same notebook wait for the first (advisory lock per notebook)', async () => {
    const key = advisoryKey('notebook', 'nb-1');
    const order: string[] = [];
    let release!: () => void;
    const held = new Promise<void>(resolve => (release = resolve));
    const first = db.lockedTransaction(key, async () => {
      order.push('first in');
      await held;
      order.push('first out');
    });
    await until(() => order.length === 1);
    const second = db.lockedTransaction(key, async () => {
      order.push('second in');
    });
    const other = db.lockedTransaction(advisoryKey('notebook', 'nb-2'), async () => {
      order.push('other notebook in');
    });
    await other;
    // The second writer is queued on the lock inside PostgreSQL: it shows in pg_locks as not granted.
    await until(async () =>
      Boolean(await db.queryOne("SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND NOT granted"))
    );
    expect(order).toEqual(['first in', 'other notebook in']);
    release();
    await Promise.all([first, second]);
    expect(order).toEqual(['first in', 'other notebook in', 'first out', 'second in']);
  });

  it('runs work that only one replica may do at a time once, and tells the other it did not run', async () => {
    const key = advisoryKey('gallery', 'test-leader');
    const other = PgDatabase.connect(url);
    try {
      let release!: () => void;
      const held = new Promise<void>(resolve => (release = resolve));
      let started = false;
      const leader = db.ifLockFree(key, async () => {
        started = true;
        await held;
        return 'synced';
      });
      await until(() => started);
      expect(await other.ifLockFree(key, async () => 'also synced')).toBeUndefined();
      release();
      expect(await leader).toEqual({ ran: true, value: 'synced' });
      expect(await other.ifLockFree(key, async () => 'next run')).toEqual({ ran: true, value: 'next run' });
    } finally {
      await other.close();
    }
  });

  it('keeps the lead of a periodic job with the first process to ask until its connection ends', async () => {
    const key = advisoryKey('leader', 'test-periodic');
    const first = PgDatabase.connect(url);
    const second = PgDatabase.connect(url);
    try {
      expect(await first.asLeader(key, async () => 'round 1')).toEqual({ ran: true, value: 'round 1' });
      // Between the leader's rounds, the lock stays held: the other process never runs the job.
      expect(await second.asLeader(key, async () => 'stolen')).toBeUndefined();
      expect(await first.asLeader(key, async () => 'round 2')).toEqual({ ran: true, value: 'round 2' });
      expect(await second.asLeader(key, async () => 'stolen')).toBeUndefined();
      // PostgreSQL ends the leader's session (as when its process is killed): the lock goes with it.
      await db.execute(
        "SELECT pg_terminate_backend(pid) FROM pg_locks WHERE locktype = 'advisory' AND objid = ($1::bigint & 4294967295)",
        [key.toString()]
      );
      await until(async () => (await second.asLeader(key, async () => 'taken over')) !== undefined);
      // The old leader sees its connection gone and follows from now on.
      expect(await first.asLeader(key, async () => 'round 3')).toBeUndefined();
      // Closing the leader gives the lead up at once.
      await second.close();
      expect(await first.asLeader(key, async () => 'back')).toEqual({ ran: true, value: 'back' });
    } finally {
      await first.close();
      await second.close().catch(() => undefined);
    }
  });

  it('gives every notebook id a stable key and different ids different keys', () => {
    expect(advisoryKey('notebook', 'abc')).toBe(advisoryKey('notebook', 'abc'));
    expect(advisoryKey('notebook', 'abc')).not.toBe(advisoryKey('notebook', 'abd'));
    expect(advisoryKey('notebook', 'abc')).not.toBe(advisoryKey('group', 'abc'));
    const key = advisoryKey('notebook', 'abc');
    expect(key >= -(2n ** 63n) && key < 2n ** 63n).toBe(true);
  });
});

describe('PostgreSQL migrations (real server)', () => {
  // Fails if run twice (no IF NOT EXISTS), so a double migration shows as an error.
  const MIGRATIONS: IPgMigration[] = [
    { version: 1, name: 'notebooks', sql: 'CREATE TABLE notebooks (id text PRIMARY KEY)' },
    { version: 2, name: 'stars', sql: 'CREATE TABLE stars (notebook_id text REFERENCES notebooks(id))' }
  ];
  const databases: string[] = [];
  const pools: PgDatabase[] = [];

  async function freshDatabase(): Promise<PgDatabase> {
    const url = await postgresCluster().createDatabase('pgmig');
    databases.push(url);
    const db = PgDatabase.connect(url);
    pools.push(db);
    return db;
  }

  afterAll(async () => {
    await Promise.all(pools.map(pool => pool.close()));
    for (const url of databases) {
      await postgresCluster().dropDatabase(url);
    }
  });

  it(
    'migrates an empty database, and a second start finds nothing to do',
    async () => {
      const db = await freshDatabase();
      expect(await migratePostgres(db, MIGRATIONS)).toEqual({ from: 0, to: 2 });
      expect(await migratePostgres(db, MIGRATIONS)).toEqual({ from: 2, to: 2 });
      expect(await db.query('SELECT version, name FROM gallery_schema ORDER BY version')).toEqual([
        { version: 1, name: 'notebooks' },
        { version: 2, name: 'stars' }
      ]);
    },
    POSTGRES_START_TIMEOUT_MS
  );

  it(
    'migrates once when several replicas start together',
    async () => {
      const first = await freshDatabase();
      const replicas = [first, ...[0, 1, 2].map(() => PgDatabase.connect(databases[databases.length - 1]))];
      pools.push(...replicas.slice(1));
      const reports = await Promise.all(replicas.map(replica => migratePostgres(replica, MIGRATIONS)));
      expect(reports.filter(report => report.from === 0)).toHaveLength(1);
      expect(reports.every(report => report.to === 2)).toBe(true);
      expect(await schemaVersion(first.pool)).toBe(2);
    },
    POSTGRES_START_TIMEOUT_MS
  );

  it(
    'refuses a database a newer server migrated, without changing it',
    async () => {
      const db = await freshDatabase();
      await migratePostgres(db, MIGRATIONS);
      const older = MIGRATIONS.slice(0, 1);
      const refusal = migratePostgres(db, older, 'gallery@db');
      await expect(refusal).rejects.toBeInstanceOf(SchemaTooNewError);
      await expect(refusal).rejects.toThrow(
        /gallery@db has schema version 2, but this notebook-gallery only knows up to 1/
      );
      expect(await schemaVersion(db.pool)).toBe(2);
    },
    POSTGRES_START_TIMEOUT_MS
  );

  it(
    'leaves nothing of a migration that fails halfway, so the next start retries it whole',
    async () => {
      const db = await freshDatabase();
      const broken: IPgMigration[] = [
        MIGRATIONS[0],
        { version: 2, name: 'half', sql: 'CREATE TABLE half (id int); CREATE TABLE half (id int)' }
      ];
      await expect(migratePostgres(db, broken)).rejects.toThrow(/already exists/);
      expect(await schemaVersion(db.pool)).toBe(1);
      expect(await db.queryOne("SELECT to_regclass('half') AS t")).toEqual({ t: null });
      expect(await migratePostgres(db, MIGRATIONS)).toEqual({ from: 1, to: 2 });
    },
    POSTGRES_START_TIMEOUT_MS
  );
});

describe('the PostgreSQL schema', () => {
  it(
    'migrates an empty database to the gallery schema, with the same tables as SQLite has outside search',
    async () => {
      const url = await postgresCluster().createDatabase('pgschema');
      const db = PgDatabase.connect(url);
      try {
        expect(await migratePostgres(db, PG_MIGRATIONS)).toEqual({
          from: 0,
          to: PG_MIGRATIONS[PG_MIGRATIONS.length - 1].version
        });
        const tables = (
          await db.query<{ name: string }>(
            `SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public'
             AND table_name NOT IN ('notebook_search', 'search_terms', 'notebook_embedding_writes')
             ORDER BY 1`
          )
        ).map(row => row.name);
        // SQLite's tables, less each backend's search tables (FTS5's; pgSearchIndex.ts's and the embeddings' write
        // record), plus PostgreSQL's version table and the rate windows replicas share (one SQLite process counts in
        // memory). Both have the top-k engine's topk_* tables.
        const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gallery-schema-'));
        const sqlite = openDatabase(dataDir, { fsync: false });
        const sqliteTables = sqlite
          .prepare(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'notebook_search%' ORDER BY 1"
          )
          .all()
          .map(row => (row as { name: string }).name);
        sqlite.close();
        fs.rmSync(dataDir, { recursive: true, force: true });
        expect(tables).toEqual([...sqliteTables, 'gallery_schema', 'rate_window_members', 'rate_windows'].sort());
      } finally {
        await db.close();
        await postgresCluster().dropDatabase(url);
      }
    },
    POSTGRES_START_TIMEOUT_MS
  );
});

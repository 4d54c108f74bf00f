import { copyGalleryToPostgres } from '@notebook-gallery/server/lib/compositionRoot';
import { PgDatabase } from '@notebook-gallery/server/lib/db/postgres/pgDatabase';
import { PgSearchIndex } from '@notebook-gallery/server/lib/repositories/postgres/pgSearchIndex';
import { PG_MIGRATIONS } from '@notebook-gallery/server/lib/db/postgres/pgMigrations';
import pg from 'pg';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { IGeneratedGallery } from './generatedGallery';
import { fixed, now } from './measure';

/** The test helper that starts a throwaway cluster on a Unix socket (CommonJS, next to the compiled tests' helpers). */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const postgresProcess = require(path.join(__dirname, '..', '..', 'test', 'helpers', 'postgresProcess.js')) as {
  startPersistentCluster(dir: string): string;
  stopClusterKeepingData(dir: string): void;
};

/** Where the bench's own cluster keeps its data between runs (the cached copies of generated galleries). */
export const BENCH_CLUSTER_DIR = path.join(os.tmpdir(), 'gallery-bench-postgres');

/** A PostgreSQL server the bench makes its databases in. */
export interface IBenchPostgres {
  /** A new, empty database; returns its URL. */
  createDatabase(name: string): Promise<string>;
  /** Whether database `name` exists. */
  exists(name: string): Promise<boolean>;
  /** A new database copied from database `template` (nobody may be connected to it); returns its URL. */
  copyDatabase(template: string, name: string): Promise<string>;
  /** Renames a database nobody is connected to. */
  renameDatabase(from: string, to: string): Promise<void>;
  /** Drops a database if it exists. */
  dropDatabase(name: string): Promise<void>;
  /** The databases whose names start with `prefix`. */
  databasesStartingWith(prefix: string): Promise<string[]>;
  /** Drops the databases {@link createDatabase} and {@link copyDatabase} made, and stops the bench's cluster. */
  stop(): Promise<void>;
}

/**
 * `--postgres=URL`: databases are made on that server (URL names any database the user may CREATE DATABASE from).
 * Without it: the bench's own cluster in {@link BENCH_CLUSTER_DIR} (the tests' helper, test/helpers/postgresProcess.js,
 * on a Unix socket with fsync off, as the API tests run it), created on the first run and started and stopped by each,
 * keeping its data: the copies of generated galleries cached in it are reused by later runs.
 */
export function benchPostgres(url: string | undefined): IBenchPostgres {
  const dir = url === undefined ? postgresProcess.startPersistentCluster(BENCH_CLUSTER_DIR) : null;
  const serverUrl = (database: string): string => {
    if (dir !== null) {
      return `postgres://postgres@${encodeURIComponent(dir)}/${database}`;
    }
    const parsed = new URL(url!);
    parsed.pathname = `/${database}`;
    return parsed.toString();
  };
  let made = 0;
  const runDatabases: string[] = [];
  const admin = async <T>(work: (client: pg.Client) => Promise<T>): Promise<T> => {
    const client = new pg.Client({ connectionString: dir !== null ? serverUrl('postgres') : url });
    await client.connect();
    try {
      return await work(client);
    } finally {
      await client.end();
    }
  };
  const dropDatabase = async (name: string): Promise<void> => {
    await admin(client => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
  };
  return {
    async createDatabase(name) {
      const database = `${name}_${process.pid}_${++made}`;
      await admin(client => client.query(`CREATE DATABASE ${database}`));
      runDatabases.push(database);
      return serverUrl(database);
    },
    async exists(name) {
      return admin(async client => {
        const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
        return found.rowCount === 1;
      });
    },
    async copyDatabase(template, name) {
      const database = `${name}_${process.pid}_${++made}`;
      await admin(client => client.query(`CREATE DATABASE ${database} TEMPLATE ${template}`));
      runDatabases.push(database);
      return serverUrl(database);
    },
    async renameDatabase(from, to) {
      await admin(client => client.query(`ALTER DATABASE ${from} RENAME TO ${to}`));
      const index = runDatabases.indexOf(from);
      if (index >= 0) {
        runDatabases.splice(index, 1);
      }
    },
    dropDatabase,
    async databasesStartingWith(prefix) {
      return admin(async client => {
        const found = await client.query<{ datname: string }>('SELECT datname FROM pg_database');
        return found.rows.map(row => row.datname).filter(name => name.startsWith(prefix));
      });
    },
    async stop() {
      for (const database of runDatabases) {
        await dropDatabase(database);
      }
      if (dir !== null) {
        postgresProcess.stopClusterKeepingData(dir);
      }
    }
  };
}

/**
 * The name of the cached copy of `generated`: the generator's version, the SQLite schema, the text scale and the size
 * are in its data directory's name; its generation time tells a regenerated gallery (new ids for the real notebooks)
 * from the one copied; PostgreSQL's schema version is added, so a copy under an older schema is not measured.
 */
function cachedCopyName(generated: IGeneratedGallery): string {
  const generatedAt = fs.statSync(path.join(generated.dataDir, 'generated.json')).mtimeMs;
  const schema = PG_MIGRATIONS[PG_MIGRATIONS.length - 1].version;
  const key = crypto
    .createHash('sha256')
    .update(`${generated.dataDir}\u0000${generatedAt}\u0000${schema}`)
    .digest('hex')
    .slice(0, 12);
  return `bench_cache_n${generated.size}_pg${schema}_${key}`;
}

/**
 * The generated SQLite gallery in PostgreSQL, in a new database of this run (the saves write to it); returns its URL.
 * It is copied (CREATE DATABASE … TEMPLATE, seconds) from a cached copy named by {@link cachedCopyName}, which is
 * made first when missing: written under a temporary name and renamed once complete, so a run stopped halfway leaves
 * nothing that a later run would take for a whole copy.
 */
export async function postgresCopy(
  postgres: IBenchPostgres,
  generated: IGeneratedGallery,
  log: (line: string) => void
): Promise<string> {
  const cached = cachedCopyName(generated);
  if (await postgres.exists(cached)) {
    log(`  reusing the cached PostgreSQL copy ${cached}`);
  } else {
    const building = `${cached}_building`;
    // What a run killed while building left behind.
    for (const leftover of await postgres.databasesStartingWith(building)) {
      await postgres.dropDatabase(leftover);
    }
    const url = await postgres.createDatabase(building);
    await copyGenerated(url, generated, log);
    await postgres.renameDatabase(new URL(url).pathname.slice(1), cached);
    log(`  cached it as ${cached} for later runs`);
  }
  const start = now();
  const url = await postgres.copyDatabase(cached, 'gallery_bench');
  log(`  this run's database copied from the cache in ${fixed((now() - start) / 1000, 1)} s`);
  return url;
}

/**
 * The generated SQLite gallery, copied into the empty PostgreSQL database `url` by `migrate-to-postgres`'s copier
 * (copyGalleryToPostgres). The git repositories stay in its data directory, as after a real migration. The copier
 * queues every notebook for PostgreSQL's search index, which a server start fills from git; the generated notebooks
 * have no git, so they are indexed here from the generator, through PgSearchIndex as a save would, and taken off the
 * queue (the few real notebooks stay queued: the first server start indexes them from git).
 */
async function copyGenerated(url: string, generated: IGeneratedGallery, log: (line: string) => void): Promise<void> {
  const start = now();
  let reported = 0;
  await copyGalleryToPostgres(generated.dataDir, url, (table, done, total) => {
    if ((done === total && total > 0) || now() - reported > 10_000) {
      reported = now();
      log(`  ${table}: copied ${done} of ${total} rows`);
    }
  });
  await indexGenerated(url, generated, log);
  // Fresh statistics, as autovacuum would gather soon after a migration: the planner's choices are what is measured.
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('ANALYZE');
  } finally {
    await client.end();
  }
  log(`  copied the generated gallery to PostgreSQL in ${fixed((now() - start) / 1000, 1)} s`);
}

/** Writes PostgreSQL's search index of the generated notebooks, in transactions of 500, and clears their queue entries. */
async function indexGenerated(url: string, generated: IGeneratedGallery, log: (line: string) => void): Promise<void> {
  const db = PgDatabase.connect(url, { maxConnections: 1 });
  try {
    const search = new PgSearchIndex(db);
    const seqs = new Map(
      (await db.query<{ id: string; seq: number }>('SELECT id, seq FROM notebooks')).map(row => [row.id, row.seq])
    );
    const start = now();
    let reported = now();
    const batch = 500;
    for (let first = 0; first < generated.size; first += batch) {
      await db.transaction(async () => {
        const ids: string[] = [];
        for (let index = first; index < Math.min(generated.size, first + batch); index++) {
          const { id, entry, text } = generated.sample(index);
          await search.put(seqs.get(id)!, entry, text);
          ids.push(id);
        }
        await db.execute('DELETE FROM search_reindex_queue WHERE notebook_id = ANY($1)', [ids]);
      });
      if (now() - reported > 10_000) {
        reported = now();
        log(`  indexed ${first + batch} of ${generated.size} notebooks for PostgreSQL's search`);
      }
    }
    log(`  indexed ${generated.size} notebooks for PostgreSQL's search in ${fixed((now() - start) / 1000, 1)} s`);
  } finally {
    await db.close();
  }
}

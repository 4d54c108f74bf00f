import { copyGalleryToPostgres } from '@notebook-gallery/server/lib/compositionRoot';
import { PgDatabase } from '@notebook-gallery/server/lib/db/postgres/pgDatabase';
import { PgSearchIndex } from '@notebook-gallery/server/lib/repositories/postgres/pgSearchIndex';
import pg from 'pg';
import * as path from 'node:path';
import type { IGeneratedGallery } from './generatedGallery';
import { fixed, now } from './measure';

/** The test helper that starts a throwaway cluster on a Unix socket (CommonJS, next to the compiled tests' helpers). */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const postgresProcess = require(path.join(__dirname, '..', '..', 'test', 'helpers', 'postgresProcess.js')) as {
  startCluster(): string;
  stopCluster(dir: string): void;
};

/** A PostgreSQL server the bench makes its databases in. */
export interface IBenchPostgres {
  /** A new, empty database; returns its URL. */
  createDatabase(name: string): Promise<string>;
  /** Stops the throwaway cluster (nothing for a server given with --postgres). */
  stop(): void;
}

/**
 * `--postgres=URL`: databases are made on that server (URL names any database the user may CREATE DATABASE from).
 * Without it: a throwaway cluster from the tests' helper (test/helpers/postgresProcess.js), on a Unix socket with
 * fsync off, as the API tests run it; stopped at the end of the run.
 */
export function benchPostgres(url: string | undefined): IBenchPostgres {
  const dir = url === undefined ? postgresProcess.startCluster() : null;
  const serverUrl = (database: string): string => {
    if (dir !== null) {
      return `postgres://postgres@${encodeURIComponent(dir)}/${database}`;
    }
    const parsed = new URL(url!);
    parsed.pathname = `/${database}`;
    return parsed.toString();
  };
  let made = 0;
  return {
    async createDatabase(name) {
      const database = `${name}_${process.pid}_${++made}`;
      const client = new pg.Client({ connectionString: dir !== null ? serverUrl('postgres') : url });
      await client.connect();
      try {
        await client.query(`CREATE DATABASE ${database}`);
      } finally {
        await client.end();
      }
      return serverUrl(database);
    },
    stop() {
      if (dir !== null) {
        postgresProcess.stopCluster(dir);
      }
    }
  };
}

/**
 * The generated SQLite gallery, copied into a new PostgreSQL database by `migrate-to-postgres`'s copier
 * (copyGalleryToPostgres); returns its URL. The git repositories stay in its data directory, as after a real
 * migration. The copier queues every notebook for PostgreSQL's search index, which a server start fills from git; the
 * generated notebooks have no git, so they are indexed here from the generator, through PgSearchIndex as a save
 * would, and taken off the queue (the few real notebooks stay queued: the first server start indexes them from git).
 */
export async function postgresCopy(
  postgres: IBenchPostgres,
  generated: IGeneratedGallery,
  log: (line: string) => void
): Promise<string> {
  const url = await postgres.createDatabase('gallery_bench');
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
  return url;
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

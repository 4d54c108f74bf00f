import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { openDatabase, type GalleryDatabase } from '../../src/db/database';
import { PgDatabase } from '../../src/db/postgres/pgDatabase';
import { migratePostgres } from '../../src/db/postgres/pgMigrate';
import { PG_MIGRATIONS } from '../../src/db/postgres/pgMigrations';
import { postgresCluster } from './postgresCluster';

/** The database backends every repository has an implementation for; contract tests run once per backend. */
export const BACKENDS = ['sqlite', 'postgres'] as const;
export type BackendName = (typeof BACKENDS)[number];

/** A fresh, migrated, empty database of one backend, for one contract test file (or one test). */
export type IBackendDatabase =
  | { backend: 'sqlite'; sqlite: GalleryDatabase; close(): Promise<void> }
  | { backend: 'postgres'; pg: PgDatabase; url: string; close(): Promise<void> };

/**
 * Opens a new empty gallery database: SQLite in a temporary data directory, or PostgreSQL as a new database of this
 * process's throwaway cluster (helpers/postgresCluster.ts; pass POSTGRES_START_TIMEOUT_MS to the hook that calls
 * this, the first call starts the cluster). Both are migrated to the current schema.
 */
export async function openBackendDatabase(backend: BackendName): Promise<IBackendDatabase> {
  if (backend === 'sqlite') {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gallery-contract-'));
    const sqlite = openDatabase(dataDir, { fsync: false });
    return {
      backend,
      sqlite,
      async close() {
        sqlite.close();
        fs.rmSync(dataDir, { recursive: true, force: true });
      }
    };
  }
  const url = await postgresCluster().createDatabase('contract');
  const pg = PgDatabase.connect(url);
  await migratePostgres(pg, PG_MIGRATIONS);
  return {
    backend,
    pg,
    url,
    async close() {
      await pg.close();
      await postgresCluster().dropDatabase(url);
    }
  };
}

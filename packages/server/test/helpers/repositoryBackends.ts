import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { openDatabase, type GalleryDatabase } from '../../src/db/database';
import { PgDatabase } from '../../src/db/postgres/pgDatabase';
import { migratePostgres } from '../../src/db/postgres/pgMigrate';
import { PG_MIGRATIONS } from '../../src/db/postgres/pgMigrations';
import { postgresCluster, POSTGRES_START_TIMEOUT_MS } from './postgresCluster';

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

/** What {@link backendForTests} opens for a describe block: set before its tests, read in hooks and tests only. */
export interface ITestBackend<R> {
  readonly database: IBackendDatabase;
  /** What the describe block's `repositories` built over {@link database}. */
  readonly repos: R;
}

/**
 * For one describe block: before its tests, opens a fresh database of `backend` ({@link openBackendDatabase}, within
 * the time the first start of the PostgreSQL cluster takes), builds `repositories` over it and lets `seed` write what
 * every test reads; after them, closes the database.
 */
export function backendForTests<R>(
  backend: BackendName,
  repositories: (database: IBackendDatabase) => R,
  seed?: (repos: R, database: IBackendDatabase) => Promise<void>
): ITestBackend<R> {
  const opened: { database?: IBackendDatabase; repos?: R } = {};
  beforeAll(async () => {
    const database = await openBackendDatabase(backend);
    opened.database = database;
    opened.repos = repositories(database);
    await seed?.(opened.repos, database);
  }, POSTGRES_START_TIMEOUT_MS);
  afterAll(() => opened.database?.close());
  return opened as ITestBackend<R>;
}

/** What {@link postgresReplicasForTests} opens: one PostgreSQL database and two more pools on it, two replicas. */
export interface ITestReplicas {
  readonly database: IBackendDatabase & { backend: 'postgres' };
  readonly replicaA: PgDatabase;
  readonly replicaB: PgDatabase;
}

/**
 * For one describe block of PostgreSQL concurrency tests (SQLite has one connection: nothing interleaves): before its
 * tests, a fresh PostgreSQL database and two connection pools on it as two replicas would have, then `seed`; after
 * them, closes all three.
 */
export function postgresReplicasForTests(
  seed?: (database: IBackendDatabase & { backend: 'postgres' }) => Promise<void>
): ITestReplicas {
  const opened: {
    database?: IBackendDatabase & { backend: 'postgres' };
    replicaA?: PgDatabase;
    replicaB?: PgDatabase;
  } = {};
  beforeAll(async () => {
    const database = (await openBackendDatabase('postgres')) as IBackendDatabase & { backend: 'postgres' };
    opened.database = database;
    opened.replicaA = PgDatabase.connect(database.url);
    opened.replicaB = PgDatabase.connect(database.url);
    await seed?.(database);
  }, POSTGRES_START_TIMEOUT_MS);
  afterAll(async () => {
    await opened.replicaA?.close();
    await opened.replicaB?.close();
    await opened.database?.close();
  });
  return opened as ITestReplicas;
}

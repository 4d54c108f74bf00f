import { PgDatabase } from '../../src/db/postgres/pgDatabase';
import type { IChangeRequestRepository } from '../../src/repositories/changeRequestRepository';
import type { IDatabaseCheck } from '../../src/repositories/databaseCheckRepository';
import type { IEnvironmentRepository } from '../../src/repositories/environmentRepository';
import type { IExportSnapshotRepository } from '../../src/repositories/exportSnapshotRepository';
import type { IHealthRepository } from '../../src/repositories/healthRepository';
import type { IImportRepository } from '../../src/repositories/importRepository';
import type { INewNotebook, INotebookRepository, IRevisionRow } from '../../src/repositories/notebookRepository';
import { PgChangeRequestRepository } from '../../src/repositories/postgres/pgChangeRequestRepository';
import { PgDatabaseCheck } from '../../src/repositories/postgres/pgDatabaseCheck';
import { PgEnvironmentRepository } from '../../src/repositories/postgres/pgEnvironmentRepository';
import { PgExportSnapshot } from '../../src/repositories/postgres/pgExportSnapshot';
import { PgHealthRepository } from '../../src/repositories/postgres/pgHealthRepository';
import { PgImportRepository } from '../../src/repositories/postgres/pgImportRepository';
import { PgNotebookRepository } from '../../src/repositories/postgres/pgNotebookRepository';
import { PgSaveJournal } from '../../src/repositories/postgres/pgSaveJournal';
import { PgSecretAllowlistRepository } from '../../src/repositories/postgres/pgSecretAllowlistRepository';
import { PgSignalRepository } from '../../src/repositories/postgres/pgSignalRepository';
import type { ISaveJournalRepository } from '../../src/repositories/saveJournalRepository';
import type { ISecretAllowlistRepository } from '../../src/repositories/secretAllowlistRepository';
import type { ISignalRepository } from '../../src/repositories/signalRepository';
import { SqliteChangeRequestRepository } from '../../src/repositories/sqlite/sqliteChangeRequestRepository';
import { SqliteDatabaseCheck } from '../../src/repositories/sqlite/sqliteDatabaseCheck';
import { SqliteEnvironmentRepository } from '../../src/repositories/sqlite/sqliteEnvironmentRepository';
import { SqliteExportSnapshot } from '../../src/repositories/sqlite/sqliteExportSnapshot';
import { SqliteHealthRepository } from '../../src/repositories/sqlite/sqliteHealthRepository';
import { SqliteImportRepository } from '../../src/repositories/sqlite/sqliteImportRepository';
import { SqliteNotebookRepository } from '../../src/repositories/sqlite/sqliteNotebookRepository';
import { SqliteSaveJournal } from '../../src/repositories/sqlite/sqliteSaveJournal';
import { SqliteSecretAllowlistRepository } from '../../src/repositories/sqlite/sqliteSecretAllowlistRepository';
import { SqliteSignalRepository } from '../../src/repositories/sqlite/sqliteSignalRepository';
import { insertUsers, runSql } from '../helpers/backendSql';
import { openBackendDatabase, type BackendName, type IBackendDatabase } from '../helpers/repositoryBackends';

/** The repositories the concurrency tests use from two replicas. */
export type IReplicaRepositories = Pick<
  INotebookBackend,
  'notebooks' | 'signals' | 'changeRequests' | 'allowlist' | 'imports'
>;

/** Every repository of the notebook side, on one fresh database of one backend. */
export interface INotebookBackend {
  database: IBackendDatabase;
  notebooks: INotebookRepository;
  signals: ISignalRepository;
  journal: ISaveJournalRepository;
  changeRequests: IChangeRequestRepository;
  allowlist: ISecretAllowlistRepository;
  imports: IImportRepository;
  environments: IEnvironmentRepository;
  health: IHealthRepository;
  exportSnapshot: IExportSnapshotRepository;
  databaseCheck: IDatabaseCheck;
  /** Runs `sql` with `?` placeholders (written for both backends) and returns its rows; for setting up and looking. */
  sql(sql: string, ...params: unknown[]): Promise<Record<string, unknown>[]>;
  /**
   * The repositories as a second replica sees them: over another connection pool to the same PostgreSQL database;
   * for SQLite (one process writes) the same repositories. Closed by {@link close}.
   */
  replica(): IReplicaRepositories;
  /** Closes the repositories' connections and drops the database. */
  close(): Promise<void>;
}

/**
 * The permission-filtered reads belong to the listing (tested in its own contract tests); here they must not be
 * reached, so a call fails the test that made it.
 */
const NOT_HERE = (): never => {
  throw new Error('listing reads are tested with the listing, not here');
};
const NO_LISTING = { list: NOT_HERE, listForks: NOT_HERE };
const NO_READABLE = { facets: NOT_HERE, tags: NOT_HERE, alsoOpened: NOT_HERE };

/** A fresh migrated database of `backend` with every repository of this contract over it. */
export async function openNotebookBackend(backend: BackendName): Promise<INotebookBackend> {
  const database = await openBackendDatabase(backend);
  if (database.backend === 'sqlite') {
    const db = database.sqlite;
    const notebooks = new SqliteNotebookRepository(db);
    const repositories: IReplicaRepositories = {
      notebooks: notebooks,
      signals: new SqliteSignalRepository(db, notebooks),
      changeRequests: new SqliteChangeRequestRepository(db),
      allowlist: new SqliteSecretAllowlistRepository(db),
      imports: new SqliteImportRepository(db)
    };
    return {
      database,
      ...repositories,
      journal: new SqliteSaveJournal(db),
      environments: new SqliteEnvironmentRepository(db),
      health: new SqliteHealthRepository(db),
      exportSnapshot: new SqliteExportSnapshot(db),
      databaseCheck: new SqliteDatabaseCheck(db),
      // One process writes a SQLite database: the "other replica" is the same repositories.
      replica: () => repositories,
      sql: (sql, ...params) => runSql(database, sql, params),
      close: () => database.close()
    };
  }
  const db = database.pg;
  const replicas: PgDatabase[] = [];
  return {
    database,
    ...pgRepositories(db),
    journal: new PgSaveJournal(db),
    environments: new PgEnvironmentRepository(db),
    health: new PgHealthRepository(db),
    exportSnapshot: new PgExportSnapshot(db),
    databaseCheck: new PgDatabaseCheck(db),
    sql: (sql, ...params) => runSql(database, sql, params),
    replica() {
      const other = PgDatabase.connect(database.url);
      replicas.push(other);
      return pgRepositories(other);
    },
    async close() {
      await Promise.all(replicas.map(other => other.close()));
      await database.close();
    }
  };
}

function pgRepositories(db: PgDatabase): IReplicaRepositories {
  return {
    notebooks: new PgNotebookRepository(db, NO_LISTING),
    signals: new PgSignalRepository(db, NO_READABLE),
    changeRequests: new PgChangeRequestRepository(db),
    allowlist: new PgSecretAllowlistRepository(db),
    imports: new PgImportRepository(db)
  };
}

/** Adds accounts (what notebooks, stars and opens reference). */
export async function addUsers(backend: INotebookBackend, ...names: string[]): Promise<void> {
  await insertUsers(backend.database, names);
}

/** Adds a group with members and their roles. */
export async function addGroup(
  backend: INotebookBackend,
  name: string,
  members: Record<string, 'owner' | 'editor' | 'member'>
): Promise<void> {
  await backend.sql('INSERT INTO groups (name, created_at) VALUES (?, ?)', name, '2026-01-01T00:00:00.000Z');
  for (const [username, role] of Object.entries(members)) {
    await backend.sql('INSERT INTO group_members (group_name, username, role) VALUES (?, ?, ?)', name, username, role);
  }
}

/** A new notebook owned by `owner`, public, with one revision `sha-<id>-1` made at `at`. */
export function newNotebook(id: string, owner: string, overrides: Partial<INewNotebook> = {}): INewNotebook {
  const at = overrides.revision?.createdAt ?? '2026-02-01T10:00:00.000Z';
  return {
    id,
    title: `Notebook ${id}`,
    description: `About ${id}`,
    tags: [],
    ownerKind: 'user',
    owner,
    visibility: 'public',
    group: null,
    parent: null,
    revision: {
      number: 1,
      sha: `sha-${id}-1`,
      blobSha: `blob-${id}-1`,
      author: owner,
      message: 'First',
      createdAt: at
    },
    ...overrides
  };
}

/** Revision `number` of notebook `id`: commit `sha-<id>-<number>` by ann, made on 2 February (or the `number`th). */
export function revisionRow(id: string, number: number, overrides: Partial<IRevisionRow> = {}): IRevisionRow {
  return {
    number,
    sha: `sha-${id}-${number}`,
    blobSha: `blob-${id}-${number}`,
    author: 'ann',
    message: `Save ${number}`,
    createdAt: `2026-02-0${number}T00:00:00.000Z`,
    ...overrides
  };
}

/** Records {@link revisionRow} as the notebook's new head; resolves to its SHA. */
export async function addRevision(b: INotebookBackend, id: string, number: number): Promise<string> {
  const revision = revisionRow(id, number);
  await b.notebooks.addRevision(id, revision);
  return revision.sha;
}

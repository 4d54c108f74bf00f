import type { Visibility } from '@notebook-gallery/core';
import * as os from 'node:os';
import * as path from 'node:path';
import * as fs from 'node:fs';
import { DATABASE_FILE, openDatabase, openReadOnlyDatabase, type GalleryDatabase } from './db/database';
import { MIGRATIONS } from './db/migrations';
import { backupDatabase } from './db/databaseBackup';
import { ConfigError } from './errors/ConfigError';
import { ExportRefusedError } from './errors/ExportRefusedError';
import type { IExportSnapshotRepository } from './repositories/exportSnapshotRepository';
import { SqliteExportSnapshot } from './repositories/sqlite/sqliteExportSnapshot';
import { PgExportSnapshot } from './repositories/postgres/pgExportSnapshot';
import { stderrLogger, type ILogger } from './logger';
import type { IAuditLogRepository } from './repositories/auditLogRepository';
import { SqliteNotebookRepository } from './repositories/sqlite/sqliteNotebookRepository';
import { openSqliteRepositories, type ISqliteRepositories } from './repositories/sqlite/sqliteRepositories';
import { describeDatabaseUrl, openPostgresRepositories } from './repositories/postgres/pgRepositories';
import { PgDatabase } from './db/postgres/pgDatabase';
import type { OnlyOneProcess, OnlyTheLeader } from './repositories/notebookWriteLock';
import { migratePostgres, schemaVersion as pgSchemaVersion, type IPgMigrationReport } from './db/postgres/pgMigrate';
import { PG_MIGRATIONS } from './db/postgres/pgMigrations';
import { copySqliteToPostgres, type CopyProgress, type ISqliteCopyReport } from './db/postgres/sqliteToPostgres';
import type { DatabaseBackend, IGalleryRepositories } from './repositories/galleryRepositories';
import { SecretCheck, SERVER_SCAN_BUDGET_MS } from './services/secretCheck';
import { scanGallerySecrets, type IGallerySecretReport } from './services/secretScan';
import { withSimilarity } from './repositories/searchWithSimilarity';
import { EmbeddingQueue, withEmbeddings } from './repositories/searchWithEmbeddings';
import { loadEmbeddingModel } from './search/embedding/embeddingThread';
import { AccountService } from './services/accountService';
import { ChangeRequestService } from './services/changeRequestService';
import { CommentService } from './services/commentService';
import { GroupService } from './services/groupService';
import { HealthService, refreshHealth } from './services/healthService';
import { HubGroupSync, type IHubRoleMapping } from './services/hubGroupSync';
import { ArchiveExtrasService } from './services/archiveExtrasService';
import { ImportService } from './services/importService';
import { InboxService } from './services/inboxService';
import { NotebookService } from './services/notebookService';
import { NotebookSummaries } from './services/notebookSummary';
import { PrincipalDirectory } from './services/principalDirectory';
import { RevisionService } from './services/revisionService';
import { SignalService } from './services/signalService';
import { SimilarityService } from './services/similarityService';
import { WebhookDispatcher, type IWebhookDispatcherOptions } from './services/webhookDispatcher';
import { WebhookSettings } from './services/webhookSettings';
import { ChangeRequestStore } from './storage/changeRequestStore';
import { prepareDataDirectory } from './storage/dataDirectory';
import { backfillEnvironments } from './storage/environmentBackfill';
import type { IDatabaseBackup } from './storage/galleryBackup';
import { gitIo } from './storage/gitRepository';
import {
  journaledChangeRequests,
  journaledComments,
  journaledNotebooks,
  journaledSecretAllowlist,
  journaledSignals
} from './storage/journaledRepositories';
import { rebuildIndex, type IRebuildReport, type RebuildProgress } from './storage/indexRebuild';
import { NotebookStore } from './storage/notebookStore';
import { alignWithGit, type IAlignmentReport } from './storage/gitAlignment';
import { RecordJournal } from './storage/recordJournal';
import { backfillRecordJournals } from './storage/recordJournalBackfill';
import { reconcile, repairingWriteLock, type IReconcileReport } from './storage/saveRecovery';
import { checkStorage, type FsckProgress, type IFsckReport } from './storage/storageCheck';
import type { IDatabaseCheck } from './repositories/databaseCheckRepository';
import type { IRateWindows } from './auth/rateWindows';
import { NO_SAVE_HOOK, type SaveHook } from './storage/saveHooks';
import { fillRankingTables, reindexPendingText } from './storage/searchReindex';
import { reindexPendingVectors } from './storage/similarityReindex';

/** What a gallery is opened with; the server takes these from its config, the CLI and the bench pass their own. */
export interface IGalleryOptions {
  /** Absolute path of the data directory; created (mode 0700) when missing. */
  dataDir: string;
  /** Flush saves to disk before acknowledging them. */
  fsync: boolean;
  /** Visibility of a new notebook when the save does not choose one; `private` when absent. */
  defaultVisibility?: Visibility;
  /** Lifetime of a personal API token whose creator chooses none, in seconds; 90 days when absent. */
  apiTokenTtlSeconds?: number;
  /** Caps on what one user may have (API tokens, open change requests); none when absent. */
  caps?: IUserCaps;
  /** In a JupyterHub: hub groups that give a higher role in a gallery group; none when absent. */
  hubGroupRoles?: readonly IHubRoleMapping[];
  /** Runs at each step of a save; tests use it to fail or kill a save midway. No-op when absent. */
  saveHook?: SaveHook;
  /** Where warnings go; one JSON line each on stderr when absent. */
  log?: ILogger;
  /** Days without a complete successful run after which a notebook's health is stale; 90 when absent. */
  healthStaleDays?: number;
  /** The clock of stars, activity, health reports and staleness, in milliseconds; `Date.now` when absent (tests pass their own). */
  now?: () => number;
  /** How inbox events reach webhooks; no site-wide webhook, 10 s timeout, 8 attempts from 30 s on when absent. */
  webhooks?: IWebhookDispatcherOptions;
  /** Worker threads that run listings and searches, each with its own connection; one per core (2 to 4) when absent. */
  readWorkers?: number;
  /** How long a listing or search may take before it is answered 503 with Retry-After; 10 s when absent. */
  queryBudgetMs?: number;
  /**
   * A `postgres://` URL: the rows live in that PostgreSQL database (migrated on open, shared by replicas) instead of
   * `gallery.sqlite` in the data directory. Absent or null: SQLite.
   */
  databaseUrl?: string | null;
  /**
   * The embedding model's directory: search ranks by meaning as well as words, and saves keep the notebooks'
   * embeddings. Null or missing files: words alone, said once through `log` (the server). Absent: words alone,
   * silently (a command that does not search).
   */
  embeddingModel?: string | null;
}

/** How many of each thing one user may have; the server takes these from its config. */
export interface IUserCaps {
  tokensPerUser: number;
  openChangeRequestsPerNotebook: number;
  openChangeRequestsPerUser: number;
}

/** The gallery's services and stores over one data directory. */
export interface IGallery {
  /** SQLite's connection (tests and the bench read it); null on PostgreSQL. */
  db: GalleryDatabase | null;
  /** Which database holds the rows. */
  backend: DatabaseBackend;
  /** Where the rows are, for messages: the SQLite file, or the PostgreSQL database without its password. */
  databaseLocation: string;
  /** The secret check every save path runs (imports too): check before committing, record after. */
  secrets: SecretCheck;
  /** `notebook-gallery scan`: the secret check over every revision of every notebook. */
  scanSecrets(progress?: (done: number, total: number) => void): Promise<IGallerySecretReport>;
  notebooks: NotebookService;
  /** Diffs, restores and lineage. */
  revisions: RevisionService;
  changeRequests: ChangeRequestService;
  accounts: AccountService;
  groups: GroupService;
  /** Users and groups by the start of their name, for sharing. */
  principals: PrincipalDirectory;
  /** Keeps gallery groups in step with JupyterHub's (used in hub mode only). */
  hubGroups: HubGroupSync;
  audit: IAuditLogRepository;
  /** Stars, activity, facets and tags. */
  signals: SignalService;
  /**
   * Runs a gallery-wide job (hub group sync, the start-up queues) unless another replica on the same PostgreSQL
   * database runs it now; then resolves to undefined. With SQLite the job always runs.
   */
  onlyOneReplica: OnlyOneProcess;
  /**
   * Runs a periodic gallery-wide job (hub group sync) only in the replica that leads it: the first to ask, until its
   * session with PostgreSQL ends (it stopped or died); then the next to ask takes over. The others resolve to
   * undefined. With SQLite the job always runs.
   */
  onlyTheLeader: OnlyTheLeader;
  /** Finishes or undoes the saves a crash cut short; run before serving. */
  reconcile(): Promise<IReconcileReport>;
  /**
   * What makes the storage consistent before the gallery serves, in the one order that works: {@link reconcile},
   * then {@link backfillRecordJournals}, then {@link alignWithGit} with repair. Journals come before the alignment,
   * which appends the revisions it records again to each journal: a journal it started for a notebook saved before
   * journals existed would lack the notebook's record. The server runs it at start, and `restore` after copying.
   */
  repairAtStart(): Promise<IStartRepairReport>;
  /**
   * Compares every notebook's branch with the database and every repository with the rows; with `repair`, brings
   * the database in line with git (storage/gitAlignment.ts). The server runs it with repair before serving.
   */
  alignWithGit(options: {
    repair: boolean;
    progress?: (done: number, total: number) => void;
  }): Promise<IAlignmentReport>;
  /** SQLite's own checks of the database file. */
  databaseCheck: IDatabaseCheck;
  /** The counting windows of the login and write limits (auth/rateWindows.ts). */
  rateWindows: IRateWindows;
  /** `notebook-gallery fsck`: every check of the database and the repositories, repairing with `repair`. */
  checkStorage(options: { repair: boolean; progress?: FsckProgress }): Promise<IFsckReport>;
  /** Indexes the text of notebooks an upgrade queued for the search index; run before serving. Returns how many. */
  reindexSearch(): Promise<number>;
  /**
   * Fills the top-k engine's ranking tables after the upgrade that added them, in small transactions; the server
   * runs it in the background once serving (FTS5's ranking answers until it is done). Returns how many notebooks.
   */
  fillSearchRanking(): Promise<number>;
  /** Run reports and the health they add up to. */
  health: HealthService;
  /** Records the environment of revisions an upgrade queued; run before serving. Returns how many. */
  backfillEnvironments(): Promise<number>;
  /** Similar notebooks. */
  similarity: SimilarityService;
  /** Builds the term vectors of notebooks an upgrade queued; run before serving. Returns how many. */
  reindexSimilarity(): Promise<number>;
  /**
   * Embeds the notebooks on the embedding queue, after their saves; null without a model (saves still queue). The
   * server starts it once it serves (which also queues what this model has not embedded); it stops when the
   * gallery closes. Tests and the evaluation `drain()` it to wait for the vectors.
   */
  embeddingQueue: EmbeddingQueue | null;
  /** Comments on notebooks, cells and lines, and review comments. */
  comments: CommentService;
  /** Each user's events, read state and mutes. */
  inbox: InboxService;
  /** Each user's own webhook. */
  webhookSettings: WebhookSettings;
  /** Sends queued events to webhooks once started (the server starts it; the CLI only queues). */
  webhooks: WebhookDispatcher;
  /**
   * Recreates every notebook's rows from the repositories (git and the record journals); run with the server
   * stopped. Accounts, groups and tokens stay.
   */
  rebuildIndex(progress?: RebuildProgress): Promise<IRebuildReport>;
  /** Writes a record journal for each notebook saved before journals existed; run before serving. Returns how many. */
  backfillRecordJournals(): Promise<number>;
  /** `notebook-gallery import`: applies each revision of an imported notebook once (admins only). */
  imports: ImportService;
  /** The import's extra steps for our own export archive: accounts, shares, stars, change requests, comments. */
  archiveExtras: ArchiveExtrasService;
  /** Stops webhook deliveries and closes the database. */
  close(): Promise<void>;
}

/** What {@link IGallery.repairAtStart} did. */
export interface IStartRepairReport {
  reconciled: IReconcileReport;
  /** Notebooks whose record journal was written from their rows. */
  journaled: number;
  alignment: IAlignmentReport;
}

const VISIBILITIES: readonly Visibility[] = ['private', 'group', 'public'];
const DEFAULT_API_TOKEN_TTL_SECONDS = 90 * 86_400;
const DEFAULT_HEALTH_STALE_DAYS = 90;
const DEFAULT_QUERY_BUDGET_MS = 10_000;
/** One read worker per core, at least two (so one slow query leaves another worker free) and at most four. */
const DEFAULT_READ_WORKERS = Math.min(4, Math.max(2, os.availableParallelism()));
const DEFAULT_WEBHOOKS: IWebhookDispatcherOptions = {
  siteWide: null,
  timeoutMs: 10_000,
  attempts: 8,
  retryDelayMs: 30_000
};

/**
 * The one place that opens the database and builds the repositories, the stores and the services, for the server,
 * the CLI and the bench. Warns (through `log`) when an existing data directory lets other users in.
 * @throws {ConfigError} when an option cannot be used, saying which and why.
 * @throws {Error} when the data directory or the database cannot be opened.
 */
export async function openGallery(options: IGalleryOptions): Promise<IGallery> {
  checkOptions(options);
  const log = options.log ?? stderrLogger;
  const warning = prepareDataDirectory(options.dataDir);
  if (warning) {
    log.warn({ dataDir: options.dataDir }, warning);
  }
  const embedder = await loadEmbeddingModel(options.embeddingModel, log);
  const repositoryOptions = {
    fsync: options.fsync,
    readers: options.readWorkers ?? DEFAULT_READ_WORKERS,
    queryBudgetMs: options.queryBudgetMs ?? DEFAULT_QUERY_BUDGET_MS,
    embedder
  };
  let repositories: IGalleryRepositories;
  try {
    repositories = options.databaseUrl
      ? await openPostgresRepositories(options.databaseUrl, repositoryOptions)
      : openSqliteRepositories(options.dataDir, repositoryOptions);
  } catch (error) {
    // The model runs on a thread of its own, which would keep a `serve` that cannot open its database running.
    await embedder?.close();
    throw error;
  }
  const db = 'db' in repositories ? (repositories as ISqliteRepositories).db : null;
  const { listings, unitOfWork } = repositories;
  const rows = {
    notebooks: repositories.notebooks,
    changeRequests: repositories.changeRequests,
    comments: repositories.comments
  };
  // Every write of what users wrote also goes to the notebook's record journal: git is the record.
  const journaling = { journal: new RecordJournal(options.dataDir, { fsync: options.fsync }), unitOfWork };
  const notebooks = journaledNotebooks(rows.notebooks, journaling);
  const { similarity, embeddings } = repositories;
  const words = withSimilarity(repositories.searchIndex, similarity);
  const embeddingQueue = embedder === null ? null : new EmbeddingQueue(embeddings, embedder, log);
  const search = withEmbeddings(words, embeddings, () => embeddingQueue?.wake());
  const journal = repositories.saveJournal;
  const git = gitIo({ fsync: options.fsync });
  const { environments, health } = repositories;
  const now = options.now ?? Date.now;
  const accountRepositories = repositories.accounts;
  const webhookRepository = repositories.webhooks;
  const webhooks = new WebhookDispatcher({
    ...(options.webhooks ?? DEFAULT_WEBHOOKS),
    webhooks: webhookRepository,
    unitOfWork,
    log
  });
  const storeParts = {
    dataDir: options.dataDir,
    notebooks,
    search,
    journal,
    unitOfWork,
    git,
    environments,
    refreshHealth: (id: string) => refreshHealth(health, id),
    writeLock: repositories.writeLock
  };
  const databaseCheck = repositories.databaseCheck;
  const store = new NotebookStore({
    ...storeParts,
    // With PostgreSQL other replicas may have been killed mid-save: the next write to a notebook repairs first.
    writeLock:
      repositories.backend === 'postgres'
        ? repairingWriteLock(repositories.writeLock, storeParts)
        : storeParts.writeLock,
    hook: options.saveHook ?? NO_SAVE_HOOK,
    log,
    // The inbox reads notebooks through the store, and the store tells the inbox of new revisions (only saves call
    // this, long after both exist).
    onRevision: (notebook, revision, actor): Promise<void> => inbox.revisionSaved(notebook, revision, actor)
  });
  const inbox = new InboxService({
    inbox: repositories.inbox,
    users: accountRepositories.users,
    groups: accountRepositories.groups,
    store,
    audit: accountRepositories.audit,
    webhooks,
    log
  });
  const summaries = new NotebookSummaries({
    environments,
    health,
    now,
    staleDays: options.healthStaleDays ?? DEFAULT_HEALTH_STALE_DAYS
  });
  const accounts = new AccountService(accountRepositories, {
    apiTokenTtlSeconds: options.apiTokenTtlSeconds ?? DEFAULT_API_TOKEN_TTL_SECONDS,
    maxTokensPerUser: options.caps?.tokensPerUser
  });
  const groups = new GroupService(accountRepositories);
  const audit = accountRepositories.audit;
  const changeRequests = journaledChangeRequests(rows.changeRequests, journaling);
  const proposals = new ChangeRequestStore({ dataDir: options.dataDir, changeRequests, git, unitOfWork });
  const signalRows = repositories.signals;
  const signalRepository = journaledSignals(signalRows, journaling);
  // rebuild-index and the adoption of a repository without a row replay record journals through the plain rows.
  const allowlistRows = repositories.secretAllowlist;
  const rebuildParts = {
    ...rows,
    signals: signalRows,
    secretAllowlist: allowlistRows,
    dataDir: options.dataDir,
    git,
    unitOfWork,
    search,
    searchRanking: repositories.searchRanking,
    environments,
    users: accountRepositories.users,
    groups: accountRepositories.groups,
    refreshHealth: storeParts.refreshHealth
  };
  const alignmentParts = {
    ...storeParts,
    userExists: async (name: string) => (await accountRepositories.users.find(name)) !== undefined,
    records: rebuildParts
  };
  const allowlist = journaledSecretAllowlist(allowlistRows, journaling);
  const secrets = new SecretCheck({
    allowlist,
    timeBudgetMs: SERVER_SCAN_BUDGET_MS,
    now
  });
  /** Set by close(), so background work (the top-k tables' fill) stops before touching a closed database. */
  let closed = false;
  const gallery: IGallery = {
    db,
    backend: repositories.backend,
    databaseLocation: repositories.location,
    secrets,
    scanSecrets: progress => scanGallerySecrets({ store, notebooks: rows.notebooks, allowlist }, progress),
    notebooks: new NotebookService({
      secrets,
      store,
      notebooks,
      listings,
      users: accounts,
      groups,
      audit,
      openers: signalRepository,
      defaultVisibility: options.defaultVisibility ?? 'private',
      summaries,
      environments,
      unitOfWork
    }),
    revisions: new RevisionService({ store, audit, summaries, secrets }),
    changeRequests: new ChangeRequestService({
      secrets,
      store,
      proposals,
      changeRequests,
      audit,
      summaries,
      inbox,
      caps: options.caps && {
        openPerNotebook: options.caps.openChangeRequestsPerNotebook,
        openPerUser: options.caps.openChangeRequestsPerUser
      }
    }),
    accounts,
    groups,
    principals: new PrincipalDirectory(accountRepositories),
    hubGroups: new HubGroupSync(accountRepositories, options.hubGroupRoles ?? []),
    audit,
    signals: new SignalService({ store, audit, signals: signalRepository, listings, now }),
    onlyOneReplica: repositories.onlyOneProcess,
    onlyTheLeader: repositories.onlyTheLeader,
    reconcile: () => reconcile(storeParts),
    repairAtStart: async () => {
      const reconciled = await gallery.reconcile();
      const journaled = await gallery.backfillRecordJournals();
      const alignment = await gallery.alignWithGit({ repair: true });
      return { reconciled, journaled, alignment };
    },
    alignWithGit: options => alignWithGit(alignmentParts, options),
    databaseCheck,
    rateWindows: repositories.rateWindows,
    checkStorage: options =>
      checkStorage({ ...alignmentParts, databaseCheck, changeRequests: rows.changeRequests }, options),
    reindexSearch: () => reindexPendingText(storeParts),
    fillSearchRanking: () => fillRankingTables(repositories.searchRanking, unitOfWork, () => closed),
    health: new HealthService({ store, health, unitOfWork, audit, now }),
    backfillEnvironments: () => backfillEnvironments(storeParts),
    similarity: new SimilarityService({
      store,
      notebooks,
      audit,
      listings,
      summaries,
      coOpens: signalRepository
    }),
    reindexSimilarity: () => reindexPendingVectors({ ...storeParts, similarity }),
    embeddingQueue,
    backfillRecordJournals: () =>
      backfillRecordJournals({
        ...rows,
        signals: signalRows,
        dataDir: options.dataDir,
        durability: { fsync: options.fsync }
      }),
    rebuildIndex: progress => rebuildIndex(rebuildParts, progress),
    comments: new CommentService({
      store,
      proposals,
      changeRequests,
      comments: journaledComments(rows.comments, journaling),
      audit,
      inbox
    }),
    inbox,
    webhookSettings: new WebhookSettings(webhookRepository),
    webhooks,
    imports: new ImportService({
      store,
      imports: repositories.imports,
      unitOfWork,
      users: accounts,
      groups,
      secrets
    }),
    archiveExtras: new ArchiveExtrasService({
      dataDir: options.dataDir,
      git,
      store,
      users: accountRepositories.users,
      groups: accountRepositories.groups,
      notebooks,
      signals: signalRepository,
      changeRequests,
      comments: journaledComments(rows.comments, journaling),
      secrets
    }),
    close: async () => {
      closed = true;
      webhooks.stop();
      await embeddingQueue?.stop();
      await repositories.close();
      await embedder?.close();
    }
  };
  return gallery;
}

/**
 * `notebook-gallery migrate-to-postgres`: migrates the PostgreSQL database `url` names to this version's schema and
 * copies the SQLite gallery of `dataDir` into it (db/postgres/sqliteToPostgres.ts), reading gallery.sqlite without
 * changing it.
 */
export async function copyGalleryToPostgres(
  dataDir: string,
  url: string,
  progress: CopyProgress
): Promise<{ schema: IPgMigrationReport; copy: ISqliteCopyReport }> {
  const sqlite = openReadOnlyDatabase(path.join(dataDir, DATABASE_FILE));
  const pg = PgDatabase.connect(url, { maxConnections: 2, applicationName: 'notebook-gallery migrate-to-postgres' });
  try {
    const schema = await migratePostgres(pg, PG_MIGRATIONS, describeDatabaseUrl(url));
    return { schema, copy: await copySqliteToPostgres(sqlite, pg, progress) };
  } finally {
    sqlite.close();
    await pg.close();
  }
}

/**
 * The SQLite connection of `gallery`, for the tests and benches that look at SQLite itself (its files, its query
 * plans, rows no API shows).
 * @throws {Error} on a PostgreSQL gallery, saying so.
 */
export function sqliteDatabase(gallery: Pick<IGallery, 'db' | 'databaseLocation'>): GalleryDatabase {
  if (gallery.db === null) {
    throw new Error(`this reads SQLite directly, but the gallery's rows are in ${gallery.databaseLocation}`);
  }
  return gallery.db;
}

/**
 * SQLite's side of `notebook-gallery backup` for the gallery in `dataDir`: an online snapshot (backup API, one read
 * transaction) and the notebooks it holds. Opens no gallery, so no migration touches a running server's database.
 */
export function sqliteBackup(dataDir: string): IDatabaseBackup {
  return {
    files: [DATABASE_FILE, `${DATABASE_FILE}-wal`, `${DATABASE_FILE}-shm`, `${DATABASE_FILE}-journal`],
    async snapshot(destination) {
      await backupDatabase(dataDir, path.join(destination, DATABASE_FILE));
      const copy = openDatabase(destination, { fsync: true });
      try {
        return (await new SqliteNotebookRepository(copy).listHeads()).map(head => head.id);
      } finally {
        copy.close();
      }
    }
  };
}

/**
 * What `export` reads, on the gallery's backend: over a read-only SQLite connection of its own, or a small pool on the
 * PostgreSQL database (whose reads run in one read-only snapshot transaction, PgExportSnapshot). Either way it runs
 * beside live servers without taking a write lock or changing anything (it runs no migration and no start-up repair).
 * @throws {ExportRefusedError} when the gallery holds no gallery (no gallery.sqlite in `dataDir`, or a PostgreSQL
 * database without the gallery's tables), or its database has another schema version than this notebook-gallery
 * (older: start this version's server once so it upgrades it; newer: export with the newer one).
 */
export async function openExportSnapshot(options: {
  dataDir: string;
  databaseUrl: string | null;
}): Promise<{ repository: IExportSnapshotRepository; close(): Promise<void> }> {
  if (options.databaseUrl !== null) {
    return openPostgresExportSnapshot(options.databaseUrl);
  }
  const { dataDir } = options;
  const file = path.join(dataDir, DATABASE_FILE);
  if (!fs.existsSync(file)) {
    throw new ExportRefusedError(`${dataDir} holds no gallery (no ${DATABASE_FILE}); pass the gallery's --data-dir`);
  }
  const db = openReadOnlyDatabase(file);
  const version = db.pragma('user_version', { simple: true }) as number;
  const known = MIGRATIONS[MIGRATIONS.length - 1].version;
  if (version !== known) {
    db.close();
    throw schemaMismatch(file, version, known);
  }
  return {
    repository: new SqliteExportSnapshot(db),
    close: async () => {
      db.close();
    }
  };
}

async function openPostgresExportSnapshot(
  url: string
): Promise<{ repository: IExportSnapshotRepository; close(): Promise<void> }> {
  const location = describeDatabaseUrl(url);
  const pg = PgDatabase.connect(url, { maxConnections: 2, applicationName: 'notebook-gallery export' });
  try {
    const version = await pgSchemaVersion(pg.pool);
    const known = PG_MIGRATIONS[PG_MIGRATIONS.length - 1].version;
    if (version === 0) {
      throw new ExportRefusedError(
        `${location} holds no gallery (no gallery tables); pass the gallery's --database-url`
      );
    }
    if (version !== known) {
      throw schemaMismatch(location, version, known);
    }
  } catch (error) {
    await pg.close();
    throw error;
  }
  return { repository: new PgExportSnapshot(pg), close: () => pg.close() };
}

function schemaMismatch(database: string, version: number, known: number): ExportRefusedError {
  return new ExportRefusedError(
    version < known
      ? `${database} has schema version ${version}, older than this notebook-gallery's ${known}; start this ` +
          "version's server once (it upgrades the database), then export"
      : `${database} has schema version ${version}, newer than this notebook-gallery's ${known}; export with the ` +
          'notebook-gallery that wrote it'
  );
}

function checkOptions(options: IGalleryOptions): void {
  if (typeof options.dataDir !== 'string' || !path.isAbsolute(options.dataDir)) {
    throw new ConfigError(`dataDir must be an absolute path, got ${JSON.stringify(options.dataDir)}`);
  }
  if (typeof options.fsync !== 'boolean') {
    throw new ConfigError(`fsync must be true or false, got ${JSON.stringify(options.fsync)}`);
  }
  if (options.defaultVisibility !== undefined && !VISIBILITIES.includes(options.defaultVisibility)) {
    throw new ConfigError(
      `defaultVisibility must be one of ${VISIBILITIES.join(', ')}, got ${JSON.stringify(options.defaultVisibility)}`
    );
  }
  if (
    options.apiTokenTtlSeconds !== undefined &&
    (!Number.isInteger(options.apiTokenTtlSeconds) || options.apiTokenTtlSeconds <= 0)
  ) {
    throw new ConfigError(
      `apiTokenTtlSeconds must be a positive whole number, got ${JSON.stringify(options.apiTokenTtlSeconds)}`
    );
  }
  if (
    options.healthStaleDays !== undefined &&
    (!Number.isInteger(options.healthStaleDays) || options.healthStaleDays <= 0)
  ) {
    throw new ConfigError(
      `healthStaleDays must be a positive whole number, got ${JSON.stringify(options.healthStaleDays)}`
    );
  }
  for (const [name, value] of [
    ['readWorkers', options.readWorkers],
    ['queryBudgetMs', options.queryBudgetMs]
  ] as const) {
    if (value !== undefined && (!Number.isInteger(value) || value <= 0)) {
      throw new ConfigError(`${name} must be a positive whole number, got ${JSON.stringify(value)}`);
    }
  }
  if (options.saveHook !== undefined && typeof options.saveHook !== 'function') {
    throw new ConfigError('saveHook must be a function');
  }
}
export type { ISqliteCopyReport } from './db/postgres/sqliteToPostgres';

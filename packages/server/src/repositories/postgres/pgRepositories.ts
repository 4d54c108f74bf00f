import { advisoryKey, PgDatabase } from '../../db/postgres/pgDatabase';
import { migratePostgres } from '../../db/postgres/pgMigrate';
import { PG_MIGRATIONS } from '../../db/postgres/pgMigrations';
import type { IGalleryRepositories, IRepositoryOptions } from '../galleryRepositories';
import type { IUnitOfWork } from '../unitOfWork';
import { pgAccountRepositories } from './pgAccountRepositories';
import { PgChangeRequestRepository } from './pgChangeRequestRepository';
import { PgCommentRepository } from './pgCommentRepository';
import { PgRateWindows } from './pgRateWindows';
import { PgDatabaseCheck } from './pgDatabaseCheck';
import { PgEmbeddingRepository } from './pgEmbeddingRepository';
import { PgEnvironmentRepository } from './pgEnvironmentRepository';
import { PgHealthRepository } from './pgHealthRepository';
import { PgImportRepository } from './pgImportRepository';
import { PgInboxRepository } from './pgInboxRepository';
import { PgListingQueries } from './pgListingQueries';
import { PgNotebookListing } from './pgNotebookListing';
import { PgNotebookRepository } from './pgNotebookRepository';
import { PgNotebookWriteLock } from './pgNotebookWriteLock';
import { PgSaveJournal } from './pgSaveJournal';
import { PgSearchIndex } from './pgSearchIndex';
import { PgSearchRanking } from './pgTopKIndex';
import { PgSecretAllowlistRepository } from './pgSecretAllowlistRepository';
import { PgSignalRepository } from './pgSignalRepository';
import { PgSimilarityRepository } from './pgSimilarityRepository';
import { PgWebhookRepository } from './pgWebhookRepository';

/** PostgreSQL's repositories, with their pool (tests and the bench query it directly). */
export interface IPgRepositories extends IGalleryRepositories {
  pg: PgDatabase;
}

/** The database a URL names, for messages: host, port and database, never the password. */
export function describeDatabaseUrl(url: string): string {
  const parsed = new URL(url);
  const host = parsed.hostname ? decodeURIComponent(parsed.hostname) : (parsed.searchParams.get('host') ?? 'localhost');
  return `PostgreSQL database ${parsed.pathname.slice(1) || '(default)'} on ${host}${parsed.port ? `:${parsed.port}` : ''}`;
}

/**
 * Connects to the PostgreSQL database `url` names, migrates it (once across replicas starting together; refused when
 * a newer gallery migrated it), and builds every repository on one pool: each request's statements take any pooled
 * connection, a transaction keeps one for its duration (pgDatabase.ts). The pool has room for the writers and for
 * `readers` listings at once.
 * @throws {SchemaTooNewError} when the database was migrated by a newer gallery.
 */
export async function openPostgresRepositories(url: string, options: IRepositoryOptions): Promise<IPgRepositories> {
  const location = describeDatabaseUrl(url);
  const pg = PgDatabase.connect(url, { maxConnections: 4 + options.readers * 2 });
  try {
    await migratePostgres(pg, PG_MIGRATIONS, location);
  } catch (error) {
    await pg.close();
    throw error;
  }
  const listing = new PgNotebookListing(pg);
  const notebooks = new PgNotebookRepository(pg, listing);
  const embeddings = new PgEmbeddingRepository(pg);
  const unitOfWork: IUnitOfWork = { transaction: work => pg.transaction(work) };
  return {
    backend: 'postgres',
    location,
    pg,
    unitOfWork,
    writeLock: new PgNotebookWriteLock(pg),
    // A session lock per job: held while one replica runs it, released when that replica's session ends (even by kill).
    onlyOneProcess: (job, work) => pg.ifLockFree(advisoryKey('job', job), work),
    // A session lock per periodic job, taken by the first replica to ask and kept by it until its session ends.
    onlyTheLeader: (job, work) => pg.asLeader(advisoryKey('leader', job), work),
    notebooks,
    changeRequests: new PgChangeRequestRepository(pg),
    comments: new PgCommentRepository(pg),
    searchIndex: new PgSearchIndex(pg),
    searchRanking: new PgSearchRanking(pg),
    similarity: new PgSimilarityRepository(pg),
    embeddings,
    saveJournal: new PgSaveJournal(pg),
    environments: new PgEnvironmentRepository(pg),
    health: new PgHealthRepository(pg),
    accounts: pgAccountRepositories(pg),
    webhooks: new PgWebhookRepository(pg),
    inbox: new PgInboxRepository(pg),
    signals: new PgSignalRepository(pg, listing),
    secretAllowlist: new PgSecretAllowlistRepository(pg),
    imports: new PgImportRepository(pg),
    databaseCheck: new PgDatabaseCheck(pg),
    rateWindows: new PgRateWindows(pg),
    listings: new PgListingQueries(
      pg,
      options.queryBudgetMs,
      options.embedder === null ? null : { notebooks, embeddings, embedder: options.embedder }
    ),
    close: () => pg.close()
  };
}

import * as path from 'node:path';
import { DATABASE_FILE, openDatabase, type GalleryDatabase } from '../../db/database';
import type { IGalleryRepositories, IRepositoryOptions } from '../galleryRepositories';
import { ALWAYS_THIS_PROCESS, SINGLE_PROCESS } from '../notebookWriteLock';
import { sqliteAccountRepositories } from './sqliteAccountRepositories';
import { SqliteChangeRequestRepository } from './sqliteChangeRequestRepository';
import { SqliteCommentRepository } from './sqliteCommentRepository';
import { InProcessRateWindows } from '../../auth/rateWindows';
import { SqliteDatabaseCheck } from './sqliteDatabaseCheck';
import { SqliteEmbeddingRepository } from './sqliteEmbeddingRepository';
import { SqliteEnvironmentRepository } from './sqliteEnvironmentRepository';
import { SqliteHealthRepository } from './sqliteHealthRepository';
import { SqliteImportRepository } from './sqliteImportRepository';
import { SqliteInboxRepository } from './sqliteInboxRepository';
import { SqliteListingQueries } from './sqliteListingQueries';
import { SqliteNotebookRepository } from './sqliteNotebookRepository';
import { SqliteSaveJournal } from './sqliteSaveJournal';
import { SqliteSearchIndex } from './sqliteSearchIndex';
import { SqliteSearchRanking } from './sqliteTopKIndex';
import { configuredSearchEngine } from './sqliteTopKListing';
import { SqliteSecretAllowlistRepository } from './sqliteSecretAllowlistRepository';
import { SqliteSignalRepository } from './sqliteSignalRepository';
import { SqliteSimilarityRepository } from './sqliteSimilarityRepository';
import { SqliteUnitOfWork } from './sqliteUnitOfWork';
import { SqliteWebhookRepository } from './sqliteWebhookRepository';

/** SQLite's repositories, with the connection they share (tests and the bench read it directly). */
export interface ISqliteRepositories extends IGalleryRepositories {
  db: GalleryDatabase;
}

/**
 * Opens (and migrates) `gallery.sqlite` in `dataDir` and builds every repository on its one connection, with a
 * pool of read-only worker connections for listings and searches.
 */
export function openSqliteRepositories(dataDir: string, options: IRepositoryOptions): ISqliteRepositories {
  const db = openDatabase(dataDir, { fsync: options.fsync });
  const file = path.join(dataDir, DATABASE_FILE);
  const notebooks = new SqliteNotebookRepository(db);
  const listings = new SqliteListingQueries(
    // The engine is read from the environment here, once: a worker thread's environment is the process's own.
    { file, size: options.readers, budgetMs: options.queryBudgetMs, searchEngine: configuredSearchEngine() },
    options.embedder
  );
  return {
    backend: 'sqlite',
    location: file,
    db,
    unitOfWork: new SqliteUnitOfWork(db),
    writeLock: SINGLE_PROCESS,
    onlyOneProcess: ALWAYS_THIS_PROCESS,
    onlyTheLeader: ALWAYS_THIS_PROCESS,
    notebooks,
    changeRequests: new SqliteChangeRequestRepository(db),
    comments: new SqliteCommentRepository(db),
    searchIndex: new SqliteSearchIndex(db),
    searchRanking: new SqliteSearchRanking(db),
    similarity: new SqliteSimilarityRepository(db),
    embeddings: new SqliteEmbeddingRepository(db),
    saveJournal: new SqliteSaveJournal(db),
    environments: new SqliteEnvironmentRepository(db),
    health: new SqliteHealthRepository(db),
    accounts: sqliteAccountRepositories(db),
    webhooks: new SqliteWebhookRepository(db),
    inbox: new SqliteInboxRepository(db),
    signals: new SqliteSignalRepository(db, notebooks),
    secretAllowlist: new SqliteSecretAllowlistRepository(db),
    imports: new SqliteImportRepository(db),
    databaseCheck: new SqliteDatabaseCheck(db),
    rateWindows: new InProcessRateWindows(),
    listings,
    async close() {
      // Workers are let go without waiting: they never keep the process alive, and their queries fail as busy.
      void listings.close();
      db.close();
    }
  };
}

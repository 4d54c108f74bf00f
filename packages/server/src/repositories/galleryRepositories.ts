import type { ITextEmbedder } from '../search/embedding/textEmbedder';
import type { IAccountRepositories } from './accountRepositories';
import type { IChangeRequestRepository } from './changeRequestRepository';
import type { ICommentRepository } from './commentRepository';
import type { IRateWindows } from '../auth/rateWindows';
import type { IDatabaseCheck } from './databaseCheckRepository';
import type { IEmbeddingRepository } from './embeddingRepository';
import type { IEnvironmentRepository } from './environmentRepository';
import type { IHealthRepository } from './healthRepository';
import type { IImportRepository } from './importRepository';
import type { IInboxRepository } from './inboxRepository';
import type { IListingQueries } from './listingQueries';
import type { INotebookRepository } from './notebookRepository';
import type { INotebookWriteLock, OnlyOneProcess, OnlyTheLeader } from './notebookWriteLock';
import type { ISaveJournalRepository } from './saveJournalRepository';
import type { ISearchIndex } from './searchIndexRepository';
import type { ISearchRanking } from './searchRankingRepository';
import type { ISecretAllowlistRepository } from './secretAllowlistRepository';
import type { ISignalRepository } from './signalRepository';
import type { ISimilarityRepository } from './similarityRepository';
import type { IUnitOfWork } from './unitOfWork';
import type { IWebhookRepository } from './webhookRepository';

/** Which database holds the gallery's rows: the SQLite file in the data directory, or a shared PostgreSQL. */
export type DatabaseBackend = 'sqlite' | 'postgres';

/**
 * Every repository of one gallery database, built by its backend (sqlite/sqliteRepositories.ts or
 * postgres/pgRepositories.ts). The composition root wraps these (record journals, search upkeep) and builds the
 * services on them; nothing above it knows which backend it got.
 */
export interface IGalleryRepositories {
  backend: DatabaseBackend;
  /** Where the rows are, for messages: the SQLite file, or the PostgreSQL database without its password. */
  location: string;
  unitOfWork: IUnitOfWork;
  /** Keeps other processes (replicas) from writing a notebook this one writes. */
  writeLock: INotebookWriteLock;
  /** Runs a gallery-wide job unless another process (replica) runs it now. */
  onlyOneProcess: OnlyOneProcess;
  /** Runs a periodic gallery-wide job only in the process (replica) that leads it. */
  onlyTheLeader: OnlyTheLeader;
  notebooks: INotebookRepository;
  changeRequests: IChangeRequestRepository;
  comments: ICommentRepository;
  searchIndex: ISearchIndex;
  /** The top-k search engine's tables beyond what each index write keeps: the upgrade's fill, rebuild's refresh. */
  searchRanking: ISearchRanking;
  similarity: ISimilarityRepository;
  embeddings: IEmbeddingRepository;
  saveJournal: ISaveJournalRepository;
  environments: IEnvironmentRepository;
  health: IHealthRepository;
  accounts: IAccountRepositories;
  webhooks: IWebhookRepository;
  inbox: IInboxRepository;
  signals: ISignalRepository;
  secretAllowlist: ISecretAllowlistRepository;
  imports: IImportRepository;
  databaseCheck: IDatabaseCheck;
  /** The counting windows of the login and write limits: in memory for SQLite, shared by replicas in PostgreSQL. */
  rateWindows: IRateWindows;
  /** Listings, facets and similar notebooks, off the event loop and within the query budget. */
  listings: IListingQueries;
  /** Ends the connections; queries still running fail. */
  close(): Promise<void>;
}

/** What a backend needs to build its repositories, besides where its database is. */
export interface IRepositoryOptions {
  fsync: boolean;
  /** Connections (PostgreSQL) or worker threads (SQLite) that answer listings and searches. */
  readers: number;
  /** How long a listing or search may take before it is answered 503. */
  queryBudgetMs: number;
  /** Embeds search queries for ranking by meaning; null: words alone. */
  embedder: ITextEmbedder | null;
}

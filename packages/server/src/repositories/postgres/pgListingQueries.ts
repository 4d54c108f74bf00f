import type { IFacetsResponse } from '@notebook-gallery/core';
import type { ICaller } from '../../auth/permissions';
import type { PgDatabase } from '../../db/postgres/pgDatabase';
import { ServerBusyError } from '../../errors/ServerBusyError';
import type { ITextEmbedder } from '../../search/embedding/textEmbedder';
import type { IEmbeddingRepository } from '../embeddingRepository';
import type { IListingQueries } from '../listingQueries';
import type { IListPage, IListRequest, INotebookRepository } from '../notebookRepository';
import type { IFacetRequest } from '../signalRepository';
import type { ISimilarNotebook } from '../similarityRepository';
import { hybridList } from '../sqlite/hybridSearch';
import { PgNotebookListing } from './pgNotebookListing';
import { PgSimilarityRepository } from './pgSimilarityRepository';

/** What a search by meaning needs besides the words: the gallery's notebooks and embeddings, and the model. */
export interface IPgMeaningSearch {
  notebooks: Pick<INotebookRepository, 'list' | 'findMany'>;
  embeddings: IEmbeddingRepository;
  embedder: ITextEmbedder;
}

/** PostgreSQL's error code for a statement cancelled by `statement_timeout`. */
const QUERY_CANCELED = '57014';

/**
 * The listing queries of PostgreSQL. They already run off the event loop (the server does the work, the pool's
 * connections wait), so what this adds is SQLite's read pool's budget: each call runs in its own transaction whose
 * statements PostgreSQL cancels past the budget (`statement_timeout`, so a runaway query stops on the server too,
 * not only for the caller), and the caller is answered {@link ServerBusyError} once the budget is spent, waiting for
 * a pooled connection included. With an embedding model (`meaning`), a plain search also ranks by meaning, fused
 * with the words' ranking as on SQLite (`hybridList`).
 */
export class PgListingQueries implements IListingQueries {
  private readonly _listing: PgNotebookListing;
  private readonly _similarity: PgSimilarityRepository;
  private readonly _waiting = new Set<(error: ServerBusyError) => void>();
  private _closed = false;

  /** @throws {RangeError} when the budget is not a positive number of milliseconds. */
  constructor(
    private readonly _db: PgDatabase,
    private readonly _budgetMs: number,
    private readonly _meaning: IPgMeaningSearch | null = null
  ) {
    if (!(Number.isFinite(_budgetMs) && _budgetMs > 0)) {
      throw new RangeError(`the listing queries need a positive budget, got ${_budgetMs} ms`);
    }
    this._listing = new PgNotebookListing(_db);
    this._similarity = new PgSimilarityRepository(_db);
  }

  async list(caller: ICaller, request: IListRequest): Promise<IListPage> {
    const meaning = this._meaning;
    if (meaning === null || request.q === undefined) {
      return this._withinBudget(() => this._listing.list(caller, request));
    }
    const query = await meaning.embedder.embed(request.q);
    return this._withinBudget(() => hybridList(meaning, caller, request, query));
  }

  facets(caller: ICaller, request: IFacetRequest): Promise<IFacetsResponse> {
    return this._withinBudget(() => this._listing.facets(caller, request));
  }

  similar(caller: ICaller, seq: number, limit: number): Promise<ISimilarNotebook[]> {
    return this._withinBudget(() => this._similarity.similar(caller, seq, limit));
  }

  async close(): Promise<void> {
    this._closed = true;
    const error = this._busy('the server is shutting down');
    for (const reject of this._waiting) {
      reject(error);
    }
    this._waiting.clear();
  }

  /**
   * Runs `work` in a transaction whose statements may take the budget each, answering within the budget overall.
   * @throws {ServerBusyError} past the budget, when PostgreSQL cancelled a statement, or once closed.
   */
  private _withinBudget<T>(work: () => Promise<T>): Promise<T> {
    if (this._closed) {
      return Promise.reject(this._busy('the server is shutting down'));
    }
    return new Promise<T>((resolve, reject) => {
      const settle = (): void => {
        clearTimeout(timer);
        this._waiting.delete(reject);
      };
      const timer = setTimeout(() => {
        settle();
        reject(this._busy(`the query took longer than ${this._budgetMs} ms`));
      }, this._budgetMs);
      timer.unref();
      this._waiting.add(reject);
      this._db
        .transaction(async () => {
          await this._db.execute("SELECT set_config('statement_timeout', $1, true)", [String(this._budgetMs)]);
          return work();
        })
        .then(
          result => {
            settle();
            resolve(result);
          },
          (error: unknown) => {
            settle();
            reject(
              (error as { code?: unknown }).code === QUERY_CANCELED
                ? this._busy(`the query took longer than ${this._budgetMs} ms`)
                : error
            );
          }
        );
    });
  }

  private _busy(why: string): ServerBusyError {
    return new ServerBusyError(why, Math.max(1, Math.ceil(this._budgetMs / 1000)));
  }
}

import type { GalleryDatabase } from '../../db/database';
import type { ITextEmbedder } from '../../search/embedding/staticEmbedder';
import type { IListingQueries } from '../listingQueries';
import type { IListRequest } from '../notebookRepository';
import type { ICaller } from '../../auth/permissions';
import { hybridList } from './hybridSearch';
import { SqliteEmbeddingRepository } from './sqliteEmbeddingRepository';
import { ReadPool, type IReadPoolOptions } from './readPool';
import { SqliteNotebookRepository } from './sqliteNotebookRepository';
import { SqliteSignalRepository } from './sqliteSignalRepository';
import { SqliteSimilarityRepository } from './sqliteSimilarityRepository';
import type { SearchEngine } from './sqliteTopKListing';

/** The listing queries over one connection, as a read worker runs them. */
export function sqliteListingMethods(db: GalleryDatabase, searchEngine?: SearchEngine) {
  const notebooks = new SqliteNotebookRepository(db, { searchEngine });
  const signals = new SqliteSignalRepository(db, notebooks);
  const similarity = new SqliteSimilarityRepository(db);
  const embeddings = new SqliteEmbeddingRepository(db);
  return {
    list: (caller: ICaller, request: IListRequest, query: Float32Array | null = null) =>
      hybridList({ notebooks, embeddings }, caller, request, query),
    facets: signals.facets.bind(signals),
    similar: similarity.similar.bind(similarity)
  };
}

type ListingMethods = ReturnType<typeof sqliteListingMethods>;

/**
 * The listing queries of SQLite, answered by a {@link ReadPool} of worker threads, each with its own read-only
 * connection (WAL lets them read while the main connection writes). With an embedding model, a search's query is
 * embedded here, on the calling thread (a static model takes microseconds), and its vector goes to the worker.
 */
export class SqliteListingQueries implements IListingQueries {
  private readonly _pool: ReadPool<ListingMethods>;

  constructor(
    options: IReadPoolOptions,
    private readonly _embedder: ITextEmbedder | null = null
  ) {
    this._pool = new ReadPool<ListingMethods>(options);
  }

  list(...[caller, request]: Parameters<IListingQueries['list']>): ReturnType<IListingQueries['list']> {
    const query = this._embedder !== null && request.q !== undefined ? this._embedder.embed(request.q) : null;
    return this._pool.run('list', caller, request, query);
  }

  facets(...args: Parameters<IListingQueries['facets']>): ReturnType<IListingQueries['facets']> {
    return this._pool.run('facets', ...args);
  }

  similar(...args: Parameters<IListingQueries['similar']>): ReturnType<IListingQueries['similar']> {
    return this._pool.run('similar', ...args);
  }

  close(): Promise<void> {
    return this._pool.close();
  }
}

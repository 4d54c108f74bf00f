import type { GalleryDatabase } from '../../db/database';
import type { IListingQueries } from '../listingQueries';
import { ReadPool, type IReadPoolOptions } from './readPool';
import { SqliteNotebookRepository } from './sqliteNotebookRepository';
import { SqliteSignalRepository } from './sqliteSignalRepository';
import { SqliteSimilarityRepository } from './sqliteSimilarityRepository';

/** The listing queries over one connection, as a read worker runs them. */
export function sqliteListingMethods(db: GalleryDatabase) {
  const notebooks = new SqliteNotebookRepository(db);
  const signals = new SqliteSignalRepository(db, notebooks);
  const similarity = new SqliteSimilarityRepository(db);
  return {
    list: notebooks.list.bind(notebooks),
    facets: signals.facets.bind(signals),
    similar: similarity.similar.bind(similarity)
  };
}

type ListingMethods = ReturnType<typeof sqliteListingMethods>;

/**
 * The listing queries of SQLite, answered by a {@link ReadPool} of worker threads, each with its own read-only
 * connection (WAL lets them read while the main connection writes).
 */
export class SqliteListingQueries implements IListingQueries {
  private readonly _pool: ReadPool<ListingMethods>;

  constructor(options: IReadPoolOptions) {
    this._pool = new ReadPool<ListingMethods>(options);
  }

  list(...args: Parameters<IListingQueries['list']>): ReturnType<IListingQueries['list']> {
    return this._pool.run('list', ...args);
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

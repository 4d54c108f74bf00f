import type { GalleryDatabase } from '../../db/database';
import type { IUnitOfWork } from '../unitOfWork';

/** SQLite transactions for the repositories that share one connection. */
export class SqliteUnitOfWork implements IUnitOfWork {
  constructor(private readonly _db: GalleryDatabase) {}

  transaction<T>(work: () => T): T {
    return this._db.transaction(work)();
  }
}

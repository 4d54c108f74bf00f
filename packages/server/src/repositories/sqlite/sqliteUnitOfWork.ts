import type { GalleryDatabase } from '../../db/database';
import type { IUnitOfWork } from '../unitOfWork';
import { SqliteConnectionGate } from './sqliteConnectionGate';

/** SQLite transactions for the repositories that share one connection, kept apart by its gate. */
export class SqliteUnitOfWork implements IUnitOfWork {
  private readonly _gate: SqliteConnectionGate;

  constructor(db: GalleryDatabase) {
    this._gate = SqliteConnectionGate.of(db);
  }

  transaction<T>(work: () => Promise<T>): Promise<T> {
    return this._gate.transaction(work);
  }
}

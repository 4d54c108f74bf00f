import { advisoryKey, type PgDatabase } from '../db/postgres/pgDatabase';
import { KeyedMutex } from './keyedMutex';

/**
 * Who may write a notebook now. Every write to a notebook (a save, a metadata change, a crash repair) runs inside
 * {@link run} for its id, so what it read stays current until it wrote: the base revision check, the git objects, the
 * acknowledging transaction and the ref move happen with no other writer of that notebook in between.
 */
export interface INotebookLocks {
  /** Runs `task` once no other write to notebook `id` runs anywhere this lock reaches, and settles with it. */
  run<T>(id: string, task: () => Promise<T>): Promise<T>;
}

/** One process owns the data directory (SQLite): an in-memory queue per notebook is the whole lock. */
export class ProcessNotebookLocks implements INotebookLocks {
  private readonly _queue = new KeyedMutex();

  run<T>(id: string, task: () => Promise<T>): Promise<T> {
    return this._queue.run(id, task);
  }
}

/**
 * Several replicas share one PostgreSQL database and one repositories volume: a PostgreSQL advisory lock per
 * notebook serialises writers across replicas. Writers in this process queue in memory first, so one notebook's
 * waiting writers hold no database connection each, and only the one at the head of the queue asks PostgreSQL.
 * A replica that dies mid-save loses its session and so its lock; the next writer of that notebook gets the lock
 * and finds the save's journal entry to repair (saveRecovery.ts).
 */
export class SharedNotebookLocks implements INotebookLocks {
  private readonly _queue = new KeyedMutex();

  constructor(private readonly _db: PgDatabase) {}

  run<T>(id: string, task: () => Promise<T>): Promise<T> {
    return this._queue.run(id, () => this._db.withLock(advisoryKey('notebook', id), task));
  }
}

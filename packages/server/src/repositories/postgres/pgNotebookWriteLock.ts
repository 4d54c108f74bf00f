import { advisoryKey, type PgDatabase } from '../../db/postgres/pgDatabase';
import type { INotebookWriteLock } from '../notebookWriteLock';

/**
 * Several replicas share one PostgreSQL database and one repositories volume: a session advisory lock per notebook
 * serialises writers across replicas. The store queues this process's writers of a notebook in memory first, so
 * waiting writers hold no database connection each and only the one at the head of the queue asks PostgreSQL. A
 * replica that dies mid-save loses its session and so its lock; the next writer of that notebook gets the lock and
 * finds the save's journal entry to repair (saveRecovery.ts).
 */
export class PgNotebookWriteLock implements INotebookWriteLock {
  constructor(private readonly _db: PgDatabase) {}

  run<T>(id: string, task: () => Promise<T>): Promise<T> {
    return this._db.withLock(advisoryKey('notebook', id), task);
  }
}

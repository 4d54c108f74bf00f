import type { PgDatabase } from '../../src/db/postgres/pgDatabase';

/** Resolves once `predicate` holds, checking every few milliseconds (a signal, not a fixed sleep). */
export async function until(predicate: () => boolean | Promise<boolean>): Promise<void> {
  while (!(await predicate())) {
    await new Promise(resolve => setTimeout(resolve, 5));
  }
}

/**
 * Whether some session of the database is waiting for a lock another holds (a row, a transaction, an advisory lock):
 * how a race test knows that one replica has reached the point where it waits for the other.
 */
export async function someoneWaitsForALock(db: PgDatabase): Promise<boolean> {
  // By the waiting session's database: a wait for another transaction's row has no database of its own.
  const row = await db.queryOne<{ waiting: number }>(
    `SELECT count(*) AS waiting FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
     WHERE NOT l.granted AND a.datname = current_database()`
  );
  return (row?.waiting ?? 0) > 0;
}

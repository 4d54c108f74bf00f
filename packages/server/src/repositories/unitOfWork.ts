/**
 * Runs several repository calls as one all-or-nothing change. Services and the store depend on this interface, not
 * on a database driver: SQLite (sqlite/sqliteConnectionGate.ts) and PostgreSQL each supply their own transactions,
 * and the repositories look the same inside and outside one.
 */
export interface IUnitOfWork {
  /**
   * Runs `work` in one transaction: committed when its promise resolves, rolled back when it rejects (and the error
   * rethrown). Every repository call `work` awaits (in its own async context) is part of it and sees its writes;
   * calls from other requests meanwhile neither see its uncommitted rows nor commit or roll back with it. A
   * `transaction` inside `work` joins this one. A read followed by a write that depends on it belongs inside one
   * transaction: between two awaits another request (or, on PostgreSQL, another replica) may change the row.
   * `work` should await only repositories, not locks or requests that may themselves wait for the database.
   */
  transaction<T>(work: () => Promise<T>): Promise<T>;
}

/**
 * Runs several repository calls as one all-or-nothing change. Services and the store depend on this interface, not
 * on a database driver, so a PostgreSQL implementation can supply its own transactions.
 */
export interface IUnitOfWork {
  /**
   * Runs `work` in one transaction: committed when it returns, rolled back when it throws (and the error rethrown).
   * `work` must be synchronous; nothing else may run on the connection meanwhile.
   */
  transaction<T>(work: () => T): T;
}

/**
 * The database's own consistency checks. SQLite answers them with `PRAGMA quick_check` and `integrity_check`; a
 * PostgreSQL implementation would run its own (amcheck) behind the same two calls.
 */
export interface IDatabaseCheck {
  /**
   * Problems found by the fast check the server runs before it serves (pages and records, not index contents), of
   * the tables that hold what only the database knows (SQLite leaves the derived search tables to the full check);
   * empty when none.
   */
  quickCheck(): Promise<string[]>;
  /** Problems found by the full check (indexes against their tables too); empty when none. */
  integrityCheck(): Promise<string[]>;
  /** Resolves once the database answers a trivial query (for `/healthz`); rejects when it cannot. */
  ping(): Promise<void>;
}

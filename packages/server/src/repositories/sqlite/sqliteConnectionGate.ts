import { AsyncLocalStorage } from 'node:async_hooks';
import type { GalleryDatabase } from '../../db/database';

/** Who opened the transaction in progress: an identity compared with the async context's, nothing more. */
type TransactionOwner = object;

/** A call that found the connection inside someone else's transaction, waiting for its turn. */
type Waiter =
  | { kind: 'statements'; run(): void }
  | { kind: 'transaction'; owner: TransactionOwner; granted(): void; refused(error: unknown): void };

/**
 * The one door to a better-sqlite3 connection that every request shares. A transaction may await (its work calls
 * asynchronous repositories), so it stays open across turns of the event loop while other requests run; the gate
 * keeps their statements out of it:
 * - a transaction holds the connection from `BEGIN IMMEDIATE` to `COMMIT` or `ROLLBACK`; other transactions wait;
 * - a call from the transaction's own async context (AsyncLocalStorage) runs in it, and a nested transaction joins it;
 * - a call from any other context waits until it ends, so it neither reads uncommitted rows nor commits or rolls back
 *   with it. What waits (calls and transactions) takes its turn in the order it came, the moment the transaction ends.
 * When no transaction is open a call runs at once, on the same tick: the common case costs one comparison.
 * A connection has one gate ({@link SqliteConnectionGate.of}), so repositories built apart still share it.
 */
export class SqliteConnectionGate {
  private static readonly _gates = new WeakMap<GalleryDatabase, SqliteConnectionGate>();
  /**
   * One for every gate: each AsyncLocalStorage in use adds work to every promise the process makes, and an owner
   * belongs to one gate anyway.
   */
  private static readonly _context = new AsyncLocalStorage<TransactionOwner>();
  private _owner: TransactionOwner | null = null;
  private readonly _waiting: Waiter[] = [];

  private constructor(private readonly _db: GalleryDatabase) {}

  /** The gate of `db`, made on first use. */
  static of(db: GalleryDatabase): SqliteConnectionGate {
    let gate = SqliteConnectionGate._gates.get(db);
    if (gate === undefined) {
      gate = new SqliteConnectionGate(db);
      SqliteConnectionGate._gates.set(db, gate);
    }
    return gate;
  }

  /** Whether the caller's async context is inside the transaction in progress. */
  get inTransaction(): boolean {
    return this._owner !== null && SqliteConnectionGate._context.getStore() === this._owner;
  }

  /**
   * Runs `statements` (synchronous better-sqlite3 calls, nothing that awaits) now when no transaction is open or the
   * caller is inside it; otherwise once that transaction has ended. An error they throw rejects the returned promise
   * when they had to wait.
   */
  run<T>(statements: () => T): T | Promise<T> {
    if (this._owner === null || SqliteConnectionGate._context.getStore() === this._owner) {
      return statements();
    }
    return new Promise<T>((resolve, reject) => {
      this._waiting.push({
        kind: 'statements',
        run: () => {
          try {
            resolve(statements());
          } catch (error) {
            reject(error);
          }
        }
      });
    });
  }

  /**
   * Runs `work` in one transaction: committed when its promise resolves, rolled back when it rejects (and the error
   * rethrown). Inside another transaction of the same async context it joins that one (no savepoint: a failure
   * rolls back the outer transaction too, as it propagates). `work` should await only repositories: awaiting
   * something that itself waits for this connection from another context would wait forever.
   */
  async transaction<T>(work: () => Promise<T>): Promise<T> {
    if (this.inTransaction) {
      return work();
    }
    const owner: TransactionOwner = {};
    if (this._owner === null) {
      this._begin(owner);
    } else {
      await new Promise<void>((granted, refused) =>
        this._waiting.push({ kind: 'transaction', owner, granted, refused })
      );
    }
    try {
      const result = await SqliteConnectionGate._context.run(owner, work);
      this._db.exec('COMMIT');
      return result;
    } catch (error) {
      // SQLite rolls some failures back itself (a full disk); then there is nothing left to roll back.
      if (this._db.inTransaction) {
        this._db.exec('ROLLBACK');
      }
      throw error;
    } finally {
      this._release();
    }
  }

  private _begin(owner: TransactionOwner): void {
    this._db.exec('BEGIN IMMEDIATE');
    this._owner = owner;
  }

  /** Ends the turn of the transaction that just finished: waiting statements run, then the next transaction begins. */
  private _release(): void {
    this._owner = null;
    for (let next = this._waiting.shift(); next !== undefined; next = this._waiting.shift()) {
      if (next.kind === 'statements') {
        next.run();
        continue;
      }
      try {
        this._begin(next.owner);
      } catch (error) {
        next.refused(error);
        continue;
      }
      next.granted();
      return;
    }
  }
}

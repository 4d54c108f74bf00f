import { AsyncLocalStorage } from 'node:async_hooks';
import pg from 'pg';
import { pgCall } from './pgConnectionFailure';

/** What a PostgreSQL repository runs its statements on: the pool, or the client of the transaction it is inside. */
export interface IPgQueryable {
  query<R extends object = Record<string, unknown>>(
    text: string,
    values?: readonly unknown[]
  ): Promise<pg.QueryResult<R>>;
}

/** How the gallery connects: the pool's size and the name replicas show in `pg_stat_activity`. */
export interface IPgConnectOptions {
  /** Most connections this process holds at once; 10 when absent. */
  maxConnections?: number;
  /** Shown as `application_name`; `notebook-gallery` when absent. */
  applicationName?: string;
  /** Milliseconds a statement may run before PostgreSQL cancels it; none when absent. */
  statementTimeoutMs?: number;
  /** Most notebooks (and gallery-wide jobs) this process holds a write lock on at once; 16 when absent. */
  maxLocks?: number;
}

/** The transaction open on an async path: its client, and the statement it runs last (statements go in turn). */
interface ITransactionScope {
  client: pg.PoolClient;
  tail: Promise<unknown>;
}

/** PostgreSQL's type ids the gallery reads as JavaScript numbers rather than strings. */
const INT8_OID = 20;
const NUMERIC_OID = 1700;

/**
 * Reads `bigint` (what `count(*)` and `bigserial` give) and `numeric` as numbers. The gallery's counts, sequence
 * numbers and scores stay far below 2^53, and the SQLite repositories hand back numbers for the same columns, so
 * both backends return the same records. Set per pool, not on pg's global parser table, so no other user of `pg`
 * in the process is affected.
 */
const GALLERY_TYPES: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') => {
    if (oid === INT8_OID || oid === NUMERIC_OID) {
      return (value: string) => Number(value);
    }
    return pg.types.getTypeParser(oid, format);
  }) as pg.CustomTypesConfig['getTypeParser']
};

/**
 * The gallery's PostgreSQL connection: a pool, plus transactions that bind one client to the async path that
 * opened them. Repositories call {@link query} and never see clients: inside {@link transaction} (on the same async
 * path, however deep) their statements run on the transaction's client, elsewhere on any pooled client. So a service
 * composes repository calls into one transaction without passing a handle through every method, and the same
 * repository code runs in and out of transactions (as the SQLite repositories do on their one connection).
 */
export class PgDatabase {
  private readonly _current = new AsyncLocalStorage<ITransactionScope>();
  /** Connections holding the leader locks this process has taken ({@link asLeader}), by key. */
  private readonly _leaders = new Map<bigint, pg.PoolClient>();
  /** The last leader run per key, so runs of one job in this process go in turn. */
  private readonly _leaderRuns = new Map<bigint, Promise<unknown>>();
  private _closed = false;

  /**
   * @param pool Where statements and transactions run.
   * @param _lockPool Where session advisory locks are held ({@link withLock}, {@link ifLockFree}); the same pool when
   * absent (tests of one lock at a time).
   */
  constructor(
    readonly pool: pg.Pool,
    private readonly _lockPool: pg.Pool = pool
  ) {}

  /** A pool for `url` (a `postgres://` URL; a Unix socket directory goes in `host`, URL-encoded). */
  static connect(url: string, options: IPgConnectOptions = {}): PgDatabase {
    const settings = {
      connectionString: url,
      application_name: options.applicationName ?? 'notebook-gallery',
      types: GALLERY_TYPES,
      // No JIT compilation: the gallery's queries are short, and the planner's cost estimates for full-text ranking
      // and the read rule's subqueries pass the JIT threshold, so every list paid 15-20 ms compiling a plan that
      // then ran in 5 (measured at 10,000 notebooks). A `?options=` in the URL still wins.
      options: '-c jit=off',
      ...(options.statementTimeoutMs ? { statement_timeout: options.statementTimeoutMs } : {})
    };
    const pool = new pg.Pool({ ...settings, max: options.maxConnections ?? 10 });
    // Session locks are held on connections of their own. A save holds its notebook's lock from its base check to
    // its ref move and meanwhile runs statements; were the locks on the statements' pool, enough saves of different
    // notebooks at once would hold every connection as a lock and wait forever for one to run a statement on (the
    // bench's two-replica run did). Apart, a save waits for a lock connection while holding nothing, and the
    // statements' pool always drains.
    const lockPool = new pg.Pool({ ...settings, max: options.maxLocks ?? 16 });
    // An idle client whose connection drops (the server restarted) emits 'error' on the pool; unhandled, that would
    // end the process. The next query gets a fresh client, so nothing more is needed here.
    pool.on('error', () => undefined);
    lockPool.on('error', () => undefined);
    return new PgDatabase(pool, lockPool);
  }

  /** Where a statement runs now: the open transaction's client on this async path, else the pool. */
  get executor(): IPgQueryable {
    const scope = this._current.getStore();
    if (!scope) {
      return {
        query: <R extends object>(text: string, values?: readonly unknown[]) =>
          pgCall(this.pool.query<R>(text, values as unknown[]))
      };
    }
    // One client runs one statement at a time: statements a transaction issues at once (a Promise.all of reads) go
    // in turn, as pg would queue them anyway (and warns it will stop doing so).
    return {
      query: <R extends object>(text: string, values?: readonly unknown[]) => {
        const run = scope.tail.then(() => pgCall(scope.client.query<R>(text, values as unknown[])));
        scope.tail = run.catch(() => undefined);
        return run;
      }
    };
  }

  /** Whether the caller runs inside {@link transaction}. */
  get inTransaction(): boolean {
    return this._current.getStore() !== undefined;
  }

  /** The rows `text` returns, with `$1`… bound to `values`. */
  async query<R extends object = Record<string, unknown>>(text: string, values: readonly unknown[] = []): Promise<R[]> {
    const result = await this.executor.query<R>(text, values);
    return result.rows;
  }

  /** The first row `text` returns, or undefined. */
  async queryOne<R extends object = Record<string, unknown>>(
    text: string,
    values: readonly unknown[] = []
  ): Promise<R | undefined> {
    return (await this.query<R>(text, values))[0];
  }

  /** Runs a statement that returns no rows; resolves to how many rows it changed. */
  async execute(text: string, values: readonly unknown[] = []): Promise<number> {
    const result = await this.executor.query(text, values);
    return result.rowCount ?? 0;
  }

  /**
   * Runs `work` in one transaction on one client: committed when it resolves, rolled back when it rejects (and the
   * error rethrown). Inside another transaction on the same async path it joins that one, so services can nest
   * repository methods that open transactions themselves. Concurrent transactions each get their own client;
   * PostgreSQL's locks, not this class, decide how they interleave.
   */
  async transaction<T>(work: () => Promise<T>): Promise<T> {
    if (this._current.getStore()) {
      return work();
    }
    const client = await this._checkout();
    let broken = false;
    try {
      await pgCall(client.query('BEGIN'));
      const result = await this._current.run({ client, tail: Promise.resolve() }, work);
      await pgCall(client.query('COMMIT'));
      return result;
    } catch (error) {
      try {
        await client.query('ROLLBACK');
      } catch {
        // The connection itself failed; it is discarded below instead of going back to the pool.
        broken = true;
      }
      throw error;
    } finally {
      client.release(broken);
    }
  }

  /**
   * Runs `work` holding the transaction-level advisory lock for `key` (see {@link advisoryKey}): other replicas
   * and requests asking for the same key wait until this transaction ends. Opens a transaction unless inside one.
   */
  async lockedTransaction<T>(key: bigint, work: () => Promise<T>): Promise<T> {
    return this.transaction(async () => {
      await this.execute('SELECT pg_advisory_xact_lock($1)', [key.toString()]);
      return work();
    });
  }

  /**
   * Runs `work` only if no other session holds the session-level advisory lock `key`, on a client kept for the
   * whole run (so `work` may open its own transactions); resolves to undefined when another session holds it.
   * For work exactly one replica should do at a time (start-up repair, group sync).
   */
  async ifLockFree<T>(key: bigint, work: () => Promise<T>): Promise<{ ran: true; value: T } | undefined> {
    const client = await this._checkout(this._lockPool);
    try {
      const row = await pgCall(
        client.query<{ locked: boolean }>('SELECT pg_try_advisory_lock($1) AS locked', [key.toString()])
      );
      if (!row.rows[0].locked) {
        return undefined;
      }
      try {
        return { ran: true, value: await work() };
      } finally {
        await client.query('SELECT pg_advisory_unlock($1)', [key.toString()]);
      }
    } finally {
      client.release();
    }
  }

  /**
   * Runs `work` if this process leads the job of advisory lock `key`, becoming its leader if no session holds the
   * lock; resolves to undefined otherwise. The leader keeps the lock on a connection of its own between calls, so the
   * same replica runs the job every time and the others never do, and checks that connection is alive before each
   * run: when it has gone (PostgreSQL ended the session, and with it the lock), this process leads no more and asks
   * again like any other. When the leading process dies, PostgreSQL ends its session and the next replica to ask
   * takes over. Runs of one key in this process go in turn.
   */
  async asLeader<T>(key: bigint, work: () => Promise<T>): Promise<{ ran: true; value: T } | undefined> {
    const run = (this._leaderRuns.get(key) ?? Promise.resolve())
      .catch(() => undefined)
      .then(async () => ((await this._leads(key)) ? { ran: true as const, value: await work() } : undefined));
    this._leaderRuns.set(key, run);
    return run;
  }

  /** Whether this process holds the leader lock `key` on its kept connection, trying to take it when not. */
  private async _leads(key: bigint): Promise<boolean> {
    if (this._closed) {
      return false;
    }
    const held = this._leaders.get(key);
    if (held) {
      try {
        await held.query('SELECT 1');
        return true;
      } catch {
        // The session is gone, and the lock with it: another replica may lead now.
        this._leaders.delete(key);
        held.release(true);
      }
    }
    const client = await this._checkout(this._lockPool);
    let locked = false;
    try {
      const row = await pgCall(
        client.query<{ locked: boolean }>('SELECT pg_try_advisory_lock($1) AS locked', [key.toString()])
      );
      locked = row.rows[0].locked;
    } catch (error) {
      client.release(true);
      throw error;
    }
    if (!locked || this._closed) {
      // Closed meanwhile: the lock is given up with the connection, as close() gives up the others.
      client.release(this._closed);
      return false;
    }
    this._leaders.set(key, client);
    return true;
  }

  /**
   * Runs `work` holding the session-level advisory lock `key`, waiting for it first: every replica asking for the
   * same key runs one at a time, across transactions (a save's git writes, its acknowledging transaction and its ref
   * move). The lock lives on a client kept aside for the run and not bound to the async path, so `work`'s own
   * statements go through the statement pool as usual. If this process dies, PostgreSQL ends its session and the lock with
   * it, so a killed replica never leaves a notebook locked.
   */
  async withLock<T>(key: bigint, work: () => Promise<T>): Promise<T> {
    const client = await this._checkout(this._lockPool);
    let broken = false;
    try {
      await pgCall(client.query('SELECT pg_advisory_lock($1)', [key.toString()]));
      try {
        return await work();
      } finally {
        try {
          await client.query('SELECT pg_advisory_unlock($1)', [key.toString()]);
        } catch {
          // The session is gone, and its locks with it; the client is not reused.
          broken = true;
        }
      }
    } finally {
      client.release(broken);
    }
  }

  /**
   * A client taken from the pool for a transaction or a lock. A client whose connection dies while it is checked
   * out (the server restarted, an administrator ended the session) emits 'error', which would end the process if
   * nobody listened; the statement running on it fails with the same error, and that is what the caller handles.
   */
  private async _checkout(from: pg.Pool = this.pool): Promise<pg.PoolClient> {
    const client = await pgCall(from.connect());
    if (client.listenerCount('error') === 0) {
      client.on('error', () => undefined);
    }
    return client;
  }

  /** Ends every pooled connection (and gives up every leadership); pending queries finish first. */
  async close(): Promise<void> {
    this._closed = true;
    // Leaders' connections are never returned to the pool, which would wait for them forever: their locks are given
    // up and they are closed here, and another replica takes the jobs over on its next call.
    for (const [key, client] of this._leaders) {
      try {
        // Given up now rather than when the server notices the connection closed, so the next to ask leads.
        await client.query('SELECT pg_advisory_unlock($1)', [key.toString()]);
      } catch {
        // The session is already gone, and the lock with it.
      }
      client.release(true);
    }
    this._leaders.clear();
    await this.pool.end();
    if (this._lockPool !== this.pool) {
      await this._lockPool.end();
    }
  }
}

/**
 * A stable 64-bit advisory-lock key for `scope` and `name` (e.g. `notebook` and a notebook id): the first 8 bytes
 * of FNV-1a over both, as a signed bigint (what `pg_advisory_xact_lock(bigint)` takes). Every replica computes the
 * same key for the same notebook without asking the database; a collision only makes two unrelated notebooks wait
 * for each other, never lets two writers of one notebook in together.
 */
export function advisoryKey(scope: string, name: string): bigint {
  const FNV_OFFSET = 0xcbf29ce484222325n;
  const FNV_PRIME = 0x100000001b3n;
  let hash = FNV_OFFSET;
  for (const byte of Buffer.from(`${scope}\u0000${name}`, 'utf8')) {
    hash ^= BigInt(byte);
    hash = (hash * FNV_PRIME) & 0xffffffffffffffffn;
  }
  return BigInt.asIntN(64, hash);
}

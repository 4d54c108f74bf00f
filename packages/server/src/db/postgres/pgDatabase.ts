import { AsyncLocalStorage } from 'node:async_hooks';
import pg from 'pg';
import { asConnectionFailure, pgCall, PgConnectionFailure } from './pgConnectionFailure';

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

/**
 * How a leader ({@link PgDatabase.asLeader}) that vanished without a goodbye is replaced within a bound. Its lock lives
 * as long as its PostgreSQL session, and a session whose client went silent (a machine off the network, a frozen or
 * paused process, a cut path) lives until something ends it. Three things do, each within seconds:
 * - the leader's session has `idle_session_timeout` set, and the leader sends `SELECT 1` every
 *   {@link LEADER_HEARTBEAT_MS} so it never idles that long while it can reach the server: when its queries stop
 *   arriving, PostgreSQL ends the session and the lock after {@link LEADER_SESSION_TIMEOUT_MS}, whatever TCP knows;
 * - each heartbeat and each check before a round gives up after {@link LEADER_CHECK_TIMEOUT_MS}, and then the leader
 *   stops believing it leads. Heartbeat plus check (10 s) is half the session timeout (20 s): a leader cut off stops
 *   believing before PostgreSQL lets another replica take the lock, unless a reply took over 10 s to come back;
 * - every connection (not only the leaders') asks the server for TCP keepalives ({@link SERVER_KEEPALIVE_OPTIONS}), so
 *   a vanished client's session (a notebook's write lock, an open transaction) ends after about 25 s of silence instead
 *   of the system's default of over two hours; keepalives alone do not bound a leader, since a client machine that is
 *   up but whose process froze still answers them.
 * A takeover therefore comes at most {@link LEADER_SESSION_TIMEOUT_MS} plus one round of the job after the leader went
 * silent. Sessions idle outside a transaction are what `idle_session_timeout` ends, so it is set on the leaders'
 * sessions only: a save holds its notebook's lock on a connection idle for as long as its git writes take.
 */
export const LEADER_SESSION_TIMEOUT_MS = 20_000;
/** How often a leader tells PostgreSQL it is still there; see {@link LEADER_SESSION_TIMEOUT_MS}. */
export const LEADER_HEARTBEAT_MS = 5_000;
/** How long a leader's heartbeat, its check before a round, or its attempt to take the lead may take. */
export const LEADER_CHECK_TIMEOUT_MS = 5_000;

/**
 * Server-side TCP keepalives for every connection (idle 10 s, then a probe every 5 s, 3 unanswered end it) and a cap
 * on unacknowledged data (30 s): PostgreSQL then notices a client that vanished in about 25 s. Unix-socket sessions
 * ignore them. See {@link LEADER_SESSION_TIMEOUT_MS}.
 */
const SERVER_KEEPALIVE_OPTIONS =
  '-c tcp_keepalives_idle=10 -c tcp_keepalives_interval=5 -c tcp_keepalives_count=3 -c tcp_user_timeout=30000';

/**
 * `config` with a client-side timeout: the statement fails after `timeoutMs` without an answer. pg honours
 * `query_timeout` per query (lib/client.js), but its types know it only as a connection setting.
 */
function withinMs<I extends unknown[]>(config: pg.QueryConfig<I>, timeoutMs: number): pg.QueryConfig<I> {
  return { ...config, query_timeout: timeoutMs } as pg.QueryConfig<I>;
}

/** A connection holding a leader lock, and the timer of its heartbeat. */
interface ILeaderSession {
  client: pg.PoolClient;
  heartbeat: NodeJS.Timeout;
  /** The `SELECT 1` on its way, if any: heartbeats and checks share it rather than queue up on one client. */
  ping?: Promise<unknown>;
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
  private readonly _leaders = new Map<bigint, ILeaderSession>();
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
      options: `-c jit=off ${SERVER_KEEPALIVE_OPTIONS}`,
      // The client's side of the same: an idle pooled connection to a server that vanished is found dead.
      keepAlive: true,
      keepAliveInitialDelayMillis: 10_000,
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
   * takes over; when it goes silent, within {@link LEADER_SESSION_TIMEOUT_MS} plus a round. Rejects with a
   * {@link PgConnectionFailure} when PostgreSQL does not answer within the check timeouts (this process then leads
   * no more), so a replica cut off says why instead of hanging. Runs of one key in this process go in turn.
   */
  async asLeader<T>(key: bigint, work: () => Promise<T>): Promise<{ ran: true; value: T } | undefined> {
    const run = (this._leaderRuns.get(key) ?? Promise.resolve())
      .catch(() => undefined)
      .then(async () => ((await this._leads(key)) ? { ran: true as const, value: await work() } : undefined));
    this._leaderRuns.set(key, run);
    return run;
  }

  /**
   * Whether this process holds the leader lock `key` on its kept connection, trying to take it when not. Settles
   * within about twice {@link LEADER_CHECK_TIMEOUT_MS} even when PostgreSQL cannot be reached: then it rejects with
   * a {@link PgConnectionFailure} (the caller's log says why), and this process does not lead.
   */
  private async _leads(key: bigint): Promise<boolean> {
    if (this._closed) {
      return false;
    }
    const held = this._leaders.get(key);
    if (held) {
      try {
        await this._ping(held);
        return true;
      } catch {
        // The session is gone, or cannot be reached in time and may be ended by PostgreSQL any moment: either way
        // another replica may lead now.
        this._loseLead(key, held);
      }
    }
    const client = await this._checkoutWithin(this._lockPool, LEADER_CHECK_TIMEOUT_MS);
    let locked = false;
    try {
      // The session timeout is set in the statement that takes the lock, so no session holds the lock without it,
      // even one whose answer never came back.
      const row = await client.query<{ locked: boolean }>(
        withinMs(
          {
            text: "SELECT pg_try_advisory_lock($1) AS locked, set_config('idle_session_timeout', $2, false)",
            values: [key.toString(), `${LEADER_SESSION_TIMEOUT_MS}ms`]
          },
          LEADER_CHECK_TIMEOUT_MS
        )
      );
      locked = row.rows[0].locked;
    } catch (error) {
      client.release(true);
      throw asConnectionFailure(error);
    }
    if (!locked || this._closed) {
      // Not returned to the pool: its session has the leaders' idle timeout, which would end a save's lock. Closed
      // meanwhile: the lock is given up with the connection, as close() gives up the others.
      client.release(true);
      return false;
    }
    const session: ILeaderSession = {
      client,
      heartbeat: setInterval(() => this._beat(key, session), LEADER_HEARTBEAT_MS).unref()
    };
    // A session PostgreSQL ended (a restart, pg_terminate_backend) is given up at once, not at the next round.
    client.once('end', () => this._loseLead(key, session));
    this._leaders.set(key, session);
    return true;
  }

  /** One heartbeat of a leader's session: the lead is given up when it fails or does not answer in time. */
  private _beat(key: bigint, session: ILeaderSession): void {
    this._ping(session).catch(() => {
      this._loseLead(key, session);
    });
  }

  /** `SELECT 1` on a leader's session within {@link LEADER_CHECK_TIMEOUT_MS}, or the one already on its way. */
  private _ping(session: ILeaderSession): Promise<unknown> {
    session.ping ??= session.client
      .query(withinMs({ text: 'SELECT 1' }, LEADER_CHECK_TIMEOUT_MS))
      .finally(() => (session.ping = undefined));
    return session.ping;
  }

  /** Stops leading `key` on `session`: its connection is closed, not returned to the pool (it may be dead). */
  private _loseLead(key: bigint, session: ILeaderSession): void {
    if (this._leaders.get(key) !== session) {
      return;
    }
    this._leaders.delete(key);
    clearInterval(session.heartbeat);
    session.client.release(true);
  }

  /**
   * A client of `pool`, or a {@link PgConnectionFailure} when none comes within `timeoutMs` (PostgreSQL cannot be
   * reached, or every connection is taken): a client that comes later is closed. Not the pool's own connection
   * timeout, which would also fail saves waiting their turn for a lock connection.
   */
  private async _checkoutWithin(pool: pg.Pool, timeoutMs: number): Promise<pg.PoolClient> {
    let timer: NodeJS.Timeout | undefined;
    let late = false;
    const checkout = this._checkout(pool);
    const timedOut = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => {
        late = true;
        reject(new PgConnectionFailure(new Error(`no connection within ${timeoutMs} ms`)));
      }, timeoutMs);
    });
    checkout.then(
      client => {
        if (late) {
          client.release(true);
        }
      },
      () => undefined
    );
    try {
      return await Promise.race([checkout, timedOut]);
    } finally {
      clearTimeout(timer);
    }
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
    for (const [key, session] of [...this._leaders]) {
      clearInterval(session.heartbeat);
      try {
        await session.ping;
        // Given up now rather than when the server notices the connection closed, so the next to ask leads.
        await session.client.query(
          withinMs({ text: 'SELECT pg_advisory_unlock($1)', values: [key.toString()] }, LEADER_CHECK_TIMEOUT_MS)
        );
      } catch {
        // The session is already gone (or cannot be reached), and the lock goes with it.
      }
      this._loseLead(key, session);
    }
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

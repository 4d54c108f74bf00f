import { ServerBusyError } from '../../src/errors/ServerBusyError';
import { PgListingQueries } from '../../src/repositories/postgres/pgListingQueries';
import { callerOf, listingGallery } from '../contract/listingGallery';
import { POSTGRES_START_TIMEOUT_MS } from '../helpers/postgresCluster';
import { openBackendDatabase, type IBackendDatabase } from '../helpers/repositoryBackends';

/*
 * The PostgreSQL listing queries within their budget (SQLite's read pool has its own tests, readPool.test.ts): a
 * query that cannot finish in time is answered 503 with Retry-After and cancelled on the server; closing answers
 * the queries still waiting.
 */

const reader = callerOf('reader');

describe('the PostgreSQL listing queries', () => {
  let db: IBackendDatabase;
  let pg: Extract<IBackendDatabase, { backend: 'postgres' }>['pg'];

  beforeAll(async () => {
    db = await openBackendDatabase('postgres');
    if (db.backend !== 'postgres') {
      throw new Error('expected PostgreSQL');
    }
    pg = db.pg;
    const gallery = listingGallery(db);
    await gallery.addUser('author');
    await gallery.addUser('reader');
    await gallery.addNotebook({ id: 'one', title: 'Kernel density', owner: 'author', tags: ['stats'] });
    await gallery.addNotebook({ id: 'two', title: 'Density plots', owner: 'author', tags: ['plots'] });
  }, POSTGRES_START_TIMEOUT_MS);

  afterAll(async () => {
    await db?.close();
  });

  /** Holds an exclusive lock on the notebooks table until the returned function is called. */
  async function blockNotebooks(): Promise<() => Promise<void>> {
    const client = await pg.pool.connect();
    await client.query('BEGIN');
    await client.query('LOCK TABLE notebooks IN ACCESS EXCLUSIVE MODE');
    return async () => {
      await client.query('ROLLBACK');
      client.release();
    };
  }

  /** How many statements of this database are running or waiting now, besides the one asking. */
  async function running(): Promise<number> {
    const row = await pg.queryOne<{ n: number }>(
      `SELECT count(*) AS n FROM pg_stat_activity
       WHERE datname = current_database() AND pid <> pg_backend_pid() AND state = 'active'`
    );
    return row?.n ?? 0;
  }

  it('lists, searches, counts facets and finds similar notebooks', async () => {
    const queries = new PgListingQueries(pg, 5_000);
    expect((await queries.list(reader, { q: 'density', limit: 10 })).records.map(record => record.id)).toHaveLength(2);
    expect((await queries.facets(reader, { q: 'kernel' })).tags).toEqual([{ value: 'stats', count: 1 }]);
    expect(await queries.similar(reader, 1, 5)).toEqual([]);
    await queries.close();
  });

  it('answers ServerBusyError within the budget, and PostgreSQL stops the statement', async () => {
    const queries = new PgListingQueries(pg, 300);
    const release = await blockNotebooks();
    try {
      const error = await queries.list(reader, { limit: 10 }).then(
        () => undefined,
        (thrown: unknown) => thrown
      );
      expect(error).toBeInstanceOf(ServerBusyError);
      expect(error).toMatchObject({ statusCode: 503, details: { retryAfterSeconds: 1 } });
      // The blocked statement was cancelled on the server by its statement_timeout, not left waiting for the lock.
      for (let tries = 0; (await running()) > 0 && tries < 200; tries++) {
        await new Promise(resolve => setTimeout(resolve, 10));
      }
      expect(await running()).toBe(0);
    } finally {
      await release();
    }
    expect((await queries.list(reader, { limit: 10 })).records).toHaveLength(2);
    await queries.close();
  });

  it('answers the queries still waiting when closed, and refuses new ones', async () => {
    const queries = new PgListingQueries(pg, 60_000);
    const release = await blockNotebooks();
    try {
      const waiting = queries.facets(reader, {});
      for (let tries = 0; (await running()) === 0 && tries < 200; tries++) {
        await new Promise(resolve => setTimeout(resolve, 10));
      }
      await queries.close();
      await expect(waiting).rejects.toBeInstanceOf(ServerBusyError);
      await expect(queries.list(reader, { limit: 1 })).rejects.toBeInstanceOf(ServerBusyError);
    } finally {
      await release();
    }
  });

  it('refuses a budget that is not a positive number of milliseconds', () => {
    expect(() => new PgListingQueries(pg, 0)).toThrow(RangeError);
  });
});

import type { ActivityKind, IFacetsResponse } from '@notebook-gallery/core';
import type { ICaller } from '../../auth/permissions';
import type { PgDatabase } from '../../db/postgres/pgDatabase';
import type { INotebookRecord } from '../notebookRepository';
import type { IActivityEvent, IFacetRequest, ISignalRepository, ITagCount } from '../signalRepository';

/** The reads of {@link ISignalRepository} that go through the permission rule (repositories/postgres/pgNotebookListing.ts). */
export type PgSignalReadable = Pick<ISignalRepository, 'facets' | 'tags' | 'alsoOpened'>;

/** The notebook_stats column each kind of activity counts in (fixed names, never user input). */
const COUNT_COLUMNS: Readonly<Record<ActivityKind, string>> = { view: 'views', open: 'opens', download: 'downloads' };

/**
 * Stars and counted activity in PostgreSQL, the twin of SqliteSignalRepository. Several replicas record the same
 * events at once, so each counter changes under a row lock: a star is an insert that either happens or conflicts, and
 * an activity's counting window is decided by the upsert that moves it. Facets, tag counts and "also opened" read
 * through the permission rule and are delegated to `readable`.
 */
export class PgSignalRepository implements ISignalRepository {
  constructor(
    private readonly _db: PgDatabase,
    private readonly _readable: PgSignalReadable
  ) {}

  async setStar(id: string, username: string, starred: boolean, at: string): Promise<number> {
    return this._db.transaction(async () => {
      // A concurrent star of the same pair waits on the other's row and then conflicts: it changes nothing.
      const changed = starred
        ? await this._db.execute(
            `INSERT INTO notebook_stars (notebook_id, username, created_at) VALUES ($1, $2, $3)
             ON CONFLICT (notebook_id, username) DO NOTHING`,
            [id, username, at]
          )
        : await this._db.execute('DELETE FROM notebook_stars WHERE notebook_id = $1 AND username = $2', [id, username]);
      const row =
        changed > 0
          ? await this._db.queryOne<{ stars: number }>(
              'UPDATE notebook_stats SET stars = stars + $2 WHERE notebook_id = $1 RETURNING stars',
              [id, starred ? 1 : -1]
            )
          : await this._db.queryOne<{ stars: number }>('SELECT stars FROM notebook_stats WHERE notebook_id = $1', [id]);
      return row?.stars ?? 0;
    });
  }

  async listStars(id: string): Promise<{ username: string; at: string }[]> {
    return this._db.query<{ username: string; at: string }>(
      `SELECT username, created_at AS at FROM notebook_stars WHERE notebook_id = $1
       ORDER BY created_at COLLATE "C", username COLLATE "C"`,
      [id]
    );
  }

  async recordActivity(event: IActivityEvent): Promise<boolean> {
    const { notebookId, username, kind, at } = event;
    return this._db.transaction(async () => {
      // One statement decides whether the event counts: the upsert moves `counted_at` only when the window has
      // passed, and a replica recording the same event at the same moment waits on the row, then sees the moved
      // time and counts nothing. A read then a write would let both count it.
      const counted = await this._db.execute(
        `INSERT INTO notebook_activity (notebook_id, username, kind, counted_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT (notebook_id, username, kind) DO UPDATE SET counted_at = excluded.counted_at
         WHERE excluded.counted_at - notebook_activity.counted_at >= $5`,
        [notebookId, username, kind, at, event.windowMs]
      );
      if (counted === 0) {
        return false;
      }
      // FOR UPDATE: the next key is computed from this one, so another replica's event must wait for it.
      const stats = await this._db.queryOne<{ trending_key: number | null }>(
        'SELECT trending_key FROM notebook_stats WHERE notebook_id = $1 FOR UPDATE',
        [notebookId]
      );
      const column = COUNT_COLUMNS[kind];
      await this._db.execute(
        `UPDATE notebook_stats SET ${column} = ${column} + 1, trending_key = $2 WHERE notebook_id = $1`,
        [notebookId, event.nextTrendingKey(stats?.trending_key ?? null)]
      );
      if (kind === 'open') {
        await this._db.execute(
          `INSERT INTO notebook_opens (notebook_id, username, opened_at) VALUES ($1, $2, $3)
           ON CONFLICT (notebook_id, username) DO UPDATE SET opened_at = excluded.opened_at`,
          [notebookId, username, new Date(at).toISOString()]
        );
      }
      return true;
    });
  }

  facets(caller: ICaller, request: IFacetRequest): Promise<IFacetsResponse> {
    return this._readable.facets(caller, request);
  }

  tags(caller: ICaller, prefix: string, limit: number): Promise<ITagCount[]> {
    return this._readable.tags(caller, prefix, limit);
  }

  alsoOpened(caller: ICaller, id: string, limit: number): Promise<INotebookRecord[]> {
    return this._readable.alsoOpened(caller, id, limit);
  }

  async openerCount(id: string): Promise<number> {
    const row = await this._db.queryOne<{ people: number }>(
      'SELECT count(*) AS people FROM notebook_opens WHERE notebook_id = $1',
      [id]
    );
    return row?.people ?? 0;
  }
}

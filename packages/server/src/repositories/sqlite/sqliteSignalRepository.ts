import type { ActivityKind, IFacetsResponse, IFacetValue } from '@notebook-gallery/core';
import type { ICaller } from '../../auth/permissions';
import type { GalleryDatabase } from '../../db/database';
import type { INotebookRow } from '../notebookRecords';
import type { INotebookRecord } from '../notebookRepository';
import type { IActivityEvent, IFacetRequest, ISignalRepository, ITagCount } from '../signalRepository';
import { listFilterSql } from './notebookListFilter';
import { readableNotebooksSql } from './readableNotebooksSql';
import type { SqliteNotebookRepository } from './sqliteNotebookRepository';
import { SqliteTermVocabulary } from './sqliteSearchIndex';
import { SqliteConnectionGate } from './sqliteConnectionGate';

/** The notebook_stats column each kind of activity counts in. */
const COUNT_COLUMNS: Readonly<Record<ActivityKind, string>> = { view: 'views', open: 'opens', download: 'downloads' };

/** Values per facet. */
const FACET_LIMIT = 10;

/** The first word of the search index's `language` column ("python python3" -> "python"): the kernel's language. */
const LANGUAGE_SQL =
  "CASE WHEN instr(s.language, ' ') > 0 THEN substr(s.language, 1, instr(s.language, ' ') - 1) ELSE s.language END";

/**
 * Stars, activity, facets and tags in SQLite; records are read through the notebook repository. Every notebook has a
 * notebook_stats row (made with it, and by migration 7 for older ones).
 */
export class SqliteSignalRepository implements ISignalRepository {
  private readonly _vocabulary: SqliteTermVocabulary;

  private readonly _gate: SqliteConnectionGate;

  constructor(
    private readonly _db: GalleryDatabase,
    private readonly _notebooks: SqliteNotebookRepository
  ) {
    this._gate = SqliteConnectionGate.of(_db);
    this._vocabulary = new SqliteTermVocabulary(_db);
  }

  async setStar(id: string, username: string, starred: boolean, at: string): Promise<number> {
    return this._gate.run(() =>
      this._db.transaction(() => {
        const changed = starred
          ? this._db
              .prepare(
                'INSERT INTO notebook_stars (notebook_id, username, created_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING'
              )
              .run(id, username, at).changes
          : this._db.prepare('DELETE FROM notebook_stars WHERE notebook_id = ? AND username = ?').run(id, username)
              .changes;
        if (changed > 0) {
          this._db
            .prepare('UPDATE notebook_stats SET stars = stars + ? WHERE notebook_id = ?')
            .run(starred ? 1 : -1, id);
        }
        return (this._db.prepare('SELECT stars FROM notebook_stats WHERE notebook_id = ?').get(id) as { stars: number })
          .stars;
      })()
    );
  }

  async listStars(id: string): Promise<{ username: string; at: string }[]> {
    return this._gate.run(
      () =>
        this._db
          .prepare(
            'SELECT username, created_at AS at FROM notebook_stars WHERE notebook_id = ? ORDER BY created_at, username'
          )
          .all(id) as { username: string; at: string }[]
    );
  }

  async recordActivity(event: IActivityEvent): Promise<boolean> {
    return this._gate.run(() => {
      const { notebookId, username, kind, at } = event;
      return this._db.transaction(() => {
        const last = this._db
          .prepare('SELECT counted_at FROM notebook_activity WHERE notebook_id = ? AND username = ? AND kind = ?')
          .get(notebookId, username, kind) as { counted_at: number } | undefined;
        if (last !== undefined && at - last.counted_at < event.windowMs) {
          return false;
        }
        this._db
          .prepare(
            `INSERT INTO notebook_activity (notebook_id, username, kind, counted_at) VALUES (?, ?, ?, ?)
           ON CONFLICT (notebook_id, username, kind) DO UPDATE SET counted_at = excluded.counted_at`
          )
          .run(notebookId, username, kind, at);
        const { trending_key: current } = this._db
          .prepare('SELECT trending_key FROM notebook_stats WHERE notebook_id = ?')
          .get(notebookId) as { trending_key: number | null };
        const column = COUNT_COLUMNS[kind];
        this._db
          .prepare(`UPDATE notebook_stats SET ${column} = ${column} + 1, trending_key = ? WHERE notebook_id = ?`)
          .run(event.nextTrendingKey(current), notebookId);
        if (kind === 'open') {
          this._db
            .prepare(
              `INSERT INTO notebook_opens (notebook_id, username, opened_at) VALUES (?, ?, ?)
             ON CONFLICT (notebook_id, username) DO UPDATE SET opened_at = excluded.opened_at`
            )
            .run(notebookId, username, new Date(at).toISOString());
        }
        return true;
      })();
    });
  }

  async facets(caller: ICaller, request: IFacetRequest): Promise<IFacetsResponse> {
    return this._gate.run(() => {
      const result: IFacetsResponse = { tags: [], owners: [], languages: [] };
      const filter = listFilterSql(caller, request, this._vocabulary);
      if (filter === null) {
        return result;
      }
      const top = (facet: keyof IFacetsResponse, select: string): string =>
        `SELECT '${facet}' AS facet, value, count FROM (${select} ORDER BY count DESC, value LIMIT ${FACET_LIMIT})`;
      // The result set is computed once and counted three ways.
      const sql = `WITH r AS MATERIALIZED (
        SELECT n.id, n.seq, CASE n.owner_kind WHEN 'group' THEN n.group_name ELSE n.owner END AS owner
        FROM ${filter.source} n WHERE ${filter.where.join(' AND ')})
      ${top('tags', 'SELECT MIN(t.tag) AS value, count(*) AS count FROM r JOIN notebook_tags t ON t.notebook_id = r.id GROUP BY lower(t.tag)')}
      UNION ALL ${top('owners', 'SELECT owner AS value, count(*) AS count FROM r GROUP BY owner')}
      UNION ALL ${top(
        'languages',
        `SELECT value, count(*) AS count FROM (SELECT ${LANGUAGE_SQL} AS value FROM r JOIN notebook_search s ON s.rowid = r.seq)
         WHERE value <> '' GROUP BY value`
      )}`;
      const rows = this._db.prepare(sql).all(...filter.params) as (IFacetValue & { facet: keyof IFacetsResponse })[];
      for (const { facet, value, count } of rows) {
        result[facet].push({ value, count });
      }
      return result;
    });
  }

  async openerCount(id: string): Promise<number> {
    return this._gate.run(() => {
      const row = this._db.prepare('SELECT count(*) AS people FROM notebook_opens WHERE notebook_id = ?').get(id) as {
        people: number;
      };
      return row.people;
    });
  }

  async tags(caller: ICaller, prefix: string, limit: number): Promise<ITagCount[]> {
    return this._gate.run(() => {
      const readable = readableNotebooksSql(caller);
      return this._db
        .prepare(
          `SELECT MIN(t.tag) AS tag, count(*) AS count FROM notebooks n JOIN notebook_tags t ON t.notebook_id = n.id
         WHERE ${readable.sql} AND t.tag LIKE ? ESCAPE '\\'
         GROUP BY lower(t.tag) ORDER BY count DESC, tag LIMIT ?`
        )
        .all(...readable.params, `${prefix.replace(/[\\%_]/g, char => `\\${char}`)}%`, limit) as ITagCount[];
    });
  }

  async alsoOpened(caller: ICaller, id: string, limit: number): Promise<INotebookRecord[]> {
    return this._gate.run(() => {
      const readable = readableNotebooksSql(caller);
      const rows = this._db
        .prepare(
          `SELECT n.* FROM notebook_opens mine
         JOIN notebook_opens other ON other.username = mine.username AND other.notebook_id <> mine.notebook_id
         JOIN notebooks n ON n.id = other.notebook_id
         WHERE mine.notebook_id = ? AND ${readable.sql}
         GROUP BY n.id ORDER BY count(*) DESC, max(other.opened_at) DESC, n.id LIMIT ?`
        )
        .all(id, ...readable.params, limit) as INotebookRow[];
      return this._notebooks.toRecords(rows, caller.user?.username ?? null);
    });
  }
}

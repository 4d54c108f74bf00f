import type { IRevision, IShare, NotebookSort, PrincipalKind, Visibility } from '@notebook-gallery/core';
import type { ICaller } from '../../auth/permissions';
import type { GalleryDatabase } from '../../db/database';
import { decodeCursor, encodeCursor } from '../../search/listCursor';
import { searchSnippet, type ISnippet } from '../../search/snippet';
import type {
  IListPage,
  IListRequest,
  INewNotebook,
  INotebookHead,
  INotebookMetadata,
  INotebookOwnership,
  INotebookRecord,
  INotebookRepository,
  INotebookSignals,
  IRevisionRow,
  IStoredRevision
} from '../notebookRepository';
import { NO_SIGNALS } from '../notebookRepository';
import { listFilterSql } from './notebookListFilter';
import { readableNotebooksSql } from './readableNotebooksSql';
import { snippetSources, SqliteTermVocabulary } from './sqliteSearchIndex';
import { SqliteConnectionGate } from './sqliteConnectionGate';
import { configuredSearchEngine, topKRows, type SearchEngine } from './sqliteTopKListing';

export type { SearchEngine } from './sqliteTopKListing';

/** A `notebooks` row as SQLite returns it. */
export interface INotebookRow {
  seq: number;
  id: string;
  title: string;
  description: string;
  owner: string;
  owner_kind: PrincipalKind;
  visibility: Visibility;
  group_name: string | null;
  created_at: string;
  updated_at: string;
  head_sha: string;
  head_blob_sha: string;
  revision_count: number;
  parent_id: string | null;
  parent_revision: string | null;
}

/**
 * A listing row; `arm` says which expression of a search matched it (see matchingNotebooksSql), null without one;
 * `sort_key` is the value of the sort's key, for the cursor.
 */
type ListRow = INotebookRow & { rank: number | null; arm: 0 | 1 | null; sort_key: string | number };

interface ISortSpec {
  /** SQL expression over the `n` row (and `ns`, its notebook_stats row, when `stats`) of the listing query. */
  key: string;
  /** The column that breaks ties: the notebook id, from the stats row for stats sorts so its index serves. */
  tie: 'n.id' | 'ns.notebook_id';
  descending: boolean;
  /** The key reads notebook_stats, joined as `ns` (every notebook has a row). */
  stats?: boolean;
}

/** The listing sorts; a NULL health score or trending key sorts last as -1, as their indexes (migration 7) do. */
const SORTS: Record<NotebookSort, ISortSpec> = {
  updated: { key: 'n.updated_at', tie: 'n.id', descending: true },
  created: { key: 'n.created_at', tie: 'n.id', descending: true },
  title: { key: 'n.title COLLATE NOCASE', tie: 'n.id', descending: false },
  relevance: { key: 'n.rank', tie: 'n.id', descending: false },
  stars: { key: 'ns.stars', tie: 'ns.notebook_id', descending: true, stats: true },
  views: { key: 'ns.views', tie: 'ns.notebook_id', descending: true, stats: true },
  runs: { key: 'ns.runs', tie: 'ns.notebook_id', descending: true, stats: true },
  health: { key: 'IFNULL(ns.health_score, -1)', tie: 'ns.notebook_id', descending: true, stats: true },
  trending: { key: 'IFNULL(ns.trending_key, -1)', tie: 'ns.notebook_id', descending: true, stats: true }
};

/** One revision with its blob, as {@link IStoredRevision}. */
const REVISION_SQL =
  'SELECT sha AS revision, number, author, message, created_at AS createdAt, blob_sha AS blobSha FROM revisions';

/** Notebooks, tags, shares and revisions in SQLite, and the one query that lists notebooks. */
export class SqliteNotebookRepository implements INotebookRepository {
  private readonly _vocabulary: SqliteTermVocabulary;

  private readonly _gate: SqliteConnectionGate;
  private readonly _searchEngine: SearchEngine;
  private readonly _read = <T>(statements: () => T): Promise<T> => Promise.resolve(this._gate.run(statements));

  /** `searchEngine` answers relevance-sorted searches (see {@link SearchEngine}); by default the configured one. */
  constructor(
    private readonly _db: GalleryDatabase,
    options: { searchEngine?: SearchEngine } = {}
  ) {
    this._gate = SqliteConnectionGate.of(_db);
    this._vocabulary = new SqliteTermVocabulary(_db);
    this._searchEngine = options.searchEngine ?? configuredSearchEngine();
  }

  async find(id: string, viewer: string | null = null): Promise<INotebookRecord | undefined> {
    return this._gate.run(() => {
      const row = this._db.prepare('SELECT * FROM notebooks WHERE id = ?').get(id) as INotebookRow | undefined;
      return row ? this._toRecords([row], viewer)[0] : undefined;
    });
  }

  async findMany(ids: readonly string[], viewer: string | null = null): Promise<INotebookRecord[]> {
    return this._gate.run(() => {
      if (ids.length === 0) {
        return [];
      }
      const rows = this._db
        .prepare(`SELECT * FROM notebooks WHERE id IN (${ids.map(() => '?').join(', ')})`)
        .all(...ids) as INotebookRow[];
      const byId = new Map(this._toRecords(rows, viewer).map(record => [record.id, record]));
      return ids.flatMap(id => byId.get(id) ?? []);
    });
  }

  async headOf(id: string): Promise<string | undefined> {
    return this._gate.run(() => {
      const row = this._db.prepare('SELECT head_sha FROM notebooks WHERE id = ?').get(id) as
        { head_sha: string } | undefined;
      return row?.head_sha;
    });
  }

  async listHeads(): Promise<INotebookHead[]> {
    return this._gate.run(
      () =>
        this._db
          .prepare(
            `SELECT id, seq, title, CASE WHEN owner_kind = 'group' AND group_name IS NOT NULL THEN group_name ELSE owner END AS owner,
           owner AS ownerUser, head_sha AS headSha, revision_count AS revisionCount
         FROM notebooks ORDER BY seq`
          )
          .all() as INotebookHead[]
    );
  }

  async existsWithTitle(title: string): Promise<boolean> {
    return this._gate.run(() => this._db.prepare('SELECT 1 FROM notebooks WHERE title = ?').get(title) !== undefined);
  }

  async findRevision(id: string, sha: string): Promise<IStoredRevision | undefined> {
    return this._gate.run(
      () =>
        this._db.prepare(`${REVISION_SQL} WHERE notebook_id = ? AND sha = ?`).get(id, sha) as
          IStoredRevision | undefined
    );
  }

  async revisionByNumber(id: string, number: number): Promise<IStoredRevision | undefined> {
    return this._gate.run(
      () =>
        this._db.prepare(`${REVISION_SQL} WHERE notebook_id = ? AND number = ?`).get(id, number) as
          IStoredRevision | undefined
    );
  }

  async listForks(caller: ICaller, id: string): Promise<INotebookRecord[]> {
    return this._gate.run(() => {
      const readable = readableNotebooksSql(caller);
      const rows = this._db
        .prepare(
          `SELECT * FROM notebooks n WHERE n.parent_id = ? AND ${readable.sql} ORDER BY n.created_at DESC, n.id DESC`
        )
        .all(id, ...readable.params) as INotebookRow[];
      return this._toRecords(rows, caller.user?.username ?? null);
    });
  }

  async countForks(id: string): Promise<number> {
    return this._gate.run(() => {
      const row = this._db.prepare('SELECT count(*) AS forks FROM notebooks WHERE parent_id = ?').get(id) as {
        forks: number;
      };
      return row.forks;
    });
  }

  async listRevisions(id: string): Promise<IRevision[]> {
    return this._gate.run(
      () =>
        this._db
          .prepare(
            `SELECT sha AS revision, number, author, message, created_at AS createdAt FROM revisions
         WHERE notebook_id = ? ORDER BY number DESC`
          )
          .all(id) as IRevision[]
    );
  }

  async listStoredRevisions(id: string): Promise<IStoredRevision[]> {
    return this._gate.run(
      () => this._db.prepare(`${REVISION_SQL} WHERE notebook_id = ? ORDER BY number DESC`).all(id) as IStoredRevision[]
    );
  }

  async list(caller: ICaller, request: IListRequest): Promise<IListPage> {
    const filter = await this._read(() => listFilterSql(caller, request, this._vocabulary));
    if (filter === null) {
      return { records: [], snippets: new Map(), nextCursor: null };
    }
    const { source, where, params, plan, match } = filter;
    const sortName: NotebookSort = request.sort ?? (match ? 'relevance' : 'updated');
    const sort = SORTS[sortName === 'relevance' && !match ? 'updated' : sortName];
    const after = request.cursor === undefined ? null : decodeCursor(request.cursor, sortName);
    // The top-k engine, when chosen, ranks a search without scoring every match; null when it cannot answer this one.
    const ranked =
      sortName === 'relevance' && match && this._searchEngine !== 'fts5'
        ? await topKRows<INotebookRow>(
            this._db,
            this._read,
            filter,
            request.limit + 1,
            after && { key: Number(after.key), id: after.id },
            this._searchEngine === 'exact'
          )
        : null;
    return this._read(() => {
      let rows: ListRow[];
      if (ranked !== null) {
        rows = ranked;
      } else {
        if (after !== null) {
          const op = sort.descending ? '<' : '>';
          where.push(`(${sort.key} ${op} ? OR (${sort.key} = ? AND ${sort.tie} ${op} ?))`);
          params.push(after.key, after.key, after.id);
        }
        const direction = sort.descending ? 'DESC' : 'ASC';
        const sql = `SELECT n.*, ${sort.key} AS sort_key FROM ${source} n
        ${sort.stats ? 'JOIN notebook_stats ns ON ns.notebook_id = n.id' : ''}
        WHERE ${where.join(' AND ')}
        ORDER BY ${sort.key} ${direction}, ${sort.tie} ${direction}
        LIMIT ?`;
        params.push(request.limit + 1);
        rows = this._db.prepare(sql).all(...params) as ListRow[];
      }
      const page = rows.slice(0, request.limit);
      const last = page[page.length - 1];
      const nextCursor =
        rows.length > request.limit && last ? encodeCursor({ sort: sortName, key: last.sort_key, id: last.id }) : null;
      const snippets = new Map<string, ISnippet>();
      if (match) {
        const sources = snippetSources(
          this._db,
          page.map(row => row.seq)
        );
        for (const row of page) {
          // Each row gets the snippet of the expression it matched: the words, or only their synonyms.
          const expression = row.arm === 1 ? plan?.synonymMatch : match;
          const source = sources.get(row.seq);
          const snippet = expression && source ? searchSnippet(source, expression) : undefined;
          if (snippet !== undefined) {
            snippets.set(row.id, snippet);
          }
        }
      }
      return { records: this._toRecords(page, caller.user?.username ?? null), snippets, nextCursor };
    });
  }

  async insert(notebook: INewNotebook): Promise<number> {
    return this._gate.run(() => {
      const seq = Number(
        this._db
          .prepare(
            `INSERT INTO notebooks (id, title, description, owner, created_at, updated_at, head_sha, head_blob_sha,
             revision_count, parent_id, parent_revision, owner_kind, visibility, group_name)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`
          )
          .run(
            notebook.id,
            notebook.title,
            notebook.description,
            notebook.owner,
            notebook.revision.createdAt,
            notebook.revision.createdAt,
            notebook.revision.sha,
            notebook.revision.blobSha,
            notebook.revision.number,
            notebook.parent?.id ?? null,
            notebook.parent?.revision ?? null,
            notebook.ownerKind,
            notebook.visibility,
            notebook.group
          ).lastInsertRowid
      );
      this._insertTags(notebook.id, notebook.tags);
      this._insertRevision(notebook.id, notebook.revision);
      this._db.prepare('INSERT INTO notebook_stats (notebook_id) VALUES (?)').run(notebook.id);
      return seq;
    });
  }

  async addRevision(id: string, revision: IRevisionRow): Promise<void> {
    return this._gate.run(() => {
      this._insertRevision(id, revision);
      this._db
        .prepare(
          'UPDATE notebooks SET updated_at = ?, head_sha = ?, head_blob_sha = ?, revision_count = ? WHERE id = ?'
        )
        .run(revision.createdAt, revision.sha, revision.blobSha, revision.number, id);
    });
  }

  async updateMetadata(
    id: string,
    metadata: Omit<INotebookMetadata, 'tags'> & { tags?: string[] },
    when: string
  ): Promise<void> {
    return this._gate.run(() => {
      this._db
        .prepare('UPDATE notebooks SET title = ?, description = ?, updated_at = ? WHERE id = ?')
        .run(metadata.title, metadata.description, when, id);
      if (metadata.tags) {
        this._db.prepare('DELETE FROM notebook_tags WHERE notebook_id = ?').run(id);
        this._insertTags(id, metadata.tags);
      }
    });
  }

  async setAccess(id: string, access: { visibility: Visibility; group: string | null }): Promise<void> {
    return this._gate.run(() => {
      this._db
        .prepare('UPDATE notebooks SET visibility = ?, group_name = ? WHERE id = ?')
        .run(access.visibility, access.group, id);
    });
  }

  async replaceShares(id: string, shares: readonly IShare[]): Promise<void> {
    return this._gate.run(() => {
      this._db.prepare('DELETE FROM notebook_shares WHERE notebook_id = ?').run(id);
      const insert = this._db.prepare(
        'INSERT INTO notebook_shares (notebook_id, principal_kind, principal, role) VALUES (?, ?, ?, ?)'
      );
      for (const share of shares) {
        insert.run(id, share.kind, share.name, share.role);
      }
    });
  }

  async setOwnership(id: string, ownership: INotebookOwnership): Promise<void> {
    return this._gate.run(() => {
      this._db
        .prepare('UPDATE notebooks SET owner_kind = ?, owner = ?, visibility = ?, group_name = ? WHERE id = ?')
        .run(ownership.ownerKind, ownership.owner, ownership.visibility, ownership.group, id);
    });
  }

  async forgetRevisions(id: string, numbers: readonly number[]): Promise<void> {
    return this._gate.run(() => {
      const forget = this._db.prepare('DELETE FROM revisions WHERE notebook_id = ? AND number = ?');
      for (const number of numbers) {
        forget.run(id, number);
      }
    });
  }

  async remove(id: string): Promise<void> {
    return this._gate.run(() => {
      this._db.prepare('DELETE FROM notebooks WHERE id = ?').run(id);
    });
  }

  /**
   * Turns rows into records, loading all their tags, shares and signals in one query each; `starred` says whether
   * `viewer` starred each (false for no viewer).
   */
  toRecords(rows: INotebookRow[], viewer: string | null): INotebookRecord[] {
    return this._toRecords(rows, viewer);
  }

  private _toRecords(rows: INotebookRow[], viewer: string | null): INotebookRecord[] {
    if (rows.length === 0) {
      return [];
    }
    const ids = rows.map(row => row.id);
    const placeholders = ids.map(() => '?').join(',');
    const tags = new Map<string, string[]>(ids.map(id => [id, []]));
    const tagRows = this._db
      .prepare(`SELECT notebook_id, tag FROM notebook_tags WHERE notebook_id IN (${placeholders}) ORDER BY position`)
      .all(...ids) as { notebook_id: string; tag: string }[];
    for (const { notebook_id, tag } of tagRows) {
      tags.get(notebook_id)?.push(tag);
    }
    const shares = new Map<string, IShare[]>(ids.map(id => [id, []]));
    const shareRows = this._db
      .prepare(
        `SELECT notebook_id, principal_kind, principal, role FROM notebook_shares WHERE notebook_id IN (${placeholders})
         ORDER BY principal_kind DESC, principal`
      )
      .all(...ids) as { notebook_id: string; principal_kind: PrincipalKind; principal: string; role: IShare['role'] }[];
    for (const row of shareRows) {
      shares.get(row.notebook_id)?.push({ kind: row.principal_kind, name: row.principal, role: row.role });
    }
    const signals = new Map<string, INotebookSignals>();
    const signalRows = this._db
      .prepare(
        `SELECT notebook_id, stars, views, downloads, opens, runs, trending_key AS trendingKey,
           health_score AS healthScore,
           EXISTS (SELECT 1 FROM notebook_stars st WHERE st.notebook_id = s.notebook_id AND st.username = ?) AS starred
         FROM notebook_stats s WHERE notebook_id IN (${placeholders})`
      )
      .all(viewer, ...ids) as (Omit<INotebookSignals, 'starred'> & { notebook_id: string; starred: 0 | 1 })[];
    for (const { notebook_id, starred, ...counts } of signalRows) {
      signals.set(notebook_id, { ...counts, starred: starred === 1 });
    }
    return rows.map(row => ({
      seq: row.seq,
      id: row.id,
      title: row.title,
      description: row.description,
      tags: tags.get(row.id) ?? [],
      owner: row.owner_kind === 'group' && row.group_name !== null ? row.group_name : row.owner,
      ownerKind: row.owner_kind,
      visibility: row.visibility,
      group: row.group_name,
      shares: shares.get(row.id) ?? [],
      createdAt: row.created_at,
      updatedAt: row.updated_at,
      headSha: row.head_sha,
      headBlobSha: row.head_blob_sha,
      revisionCount: row.revision_count,
      parent: row.parent_id && row.parent_revision ? { id: row.parent_id, revision: row.parent_revision } : null,
      signals: signals.get(row.id) ?? NO_SIGNALS
    }));
  }

  private _insertTags(id: string, tags: readonly string[]): void {
    const insert = this._db.prepare('INSERT INTO notebook_tags (notebook_id, position, tag) VALUES (?, ?, ?)');
    tags.forEach((tag, position) => insert.run(id, position, tag));
  }

  private _insertRevision(id: string, revision: IRevisionRow): void {
    this._db
      .prepare(
        'INSERT INTO revisions (notebook_id, number, sha, blob_sha, author, message, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)'
      )
      .run(id, revision.number, revision.sha, revision.blobSha, revision.author, revision.message, revision.createdAt);
  }
}

import type { INotebookSearchText, NotebookScope, NotebookSort } from '@notebook-gallery/core';
import { readableNotebooksSql, scopeSql, type ICaller } from '../auth/permissions';
import type { GalleryDatabase } from '../db/database';
import { toRecords, type INotebookRecord, type INotebookRow } from '../storage/notebookRecord';
import { toFtsQuery } from './ftsQuery';
import { decodeCursor, encodeCursor } from './listCursor';

/** The metadata part of a search document. */
export interface ISearchMetadata {
  title: string;
  description: string;
  tags: string[];
}

/** A list request after schema validation. */
export interface IListRequest {
  q?: string;
  scope?: NotebookScope;
  tag?: string;
  owner?: string;
  sort?: NotebookSort;
  limit: number;
  cursor?: string;
}

/** One page of a listing; `snippets` is keyed by notebook id and only filled for searches. */
export interface IListPage {
  records: INotebookRecord[];
  snippets: Map<string, string>;
  nextCursor: string | null;
}

interface ISortSpec {
  /** SQL expression over the `n` row of the listing query. */
  key: string;
  /** The row field holding the key's value for the cursor. */
  field: 'updated_at' | 'created_at' | 'title' | 'rank';
  descending: boolean;
}

const SORTS: Record<NotebookSort, ISortSpec> = {
  updated: { key: 'n.updated_at', field: 'updated_at', descending: true },
  created: { key: 'n.created_at', field: 'created_at', descending: true },
  title: { key: 'n.title COLLATE NOCASE', field: 'title', descending: false },
  relevance: { key: 'n.rank', field: 'rank', descending: false }
};

/** Column weights for ranking: a hit in the title counts most, one in code least. */
const BM25_WEIGHTS = '10.0, 4.0, 6.0, 2.0, 1.0';

/** Snippet markers: matches are wrapped in `**` so the snippet stays plain text that reads as markdown bold. */
const SNIPPET = `snippet(notebook_search, -1, '**', '**', '…', 16)`;

type ListRow = INotebookRow & { rank: number | null; snippet: string | null };

/** Full-text index over title, description, tags, markdown and code, and the one query that lists notebooks. */
export class SearchIndex {
  constructor(private readonly _db: GalleryDatabase) {}

  /** Indexes a notebook's metadata and text under its row id; call inside the save's transaction. */
  put(seq: number, metadata: ISearchMetadata, text: INotebookSearchText): void {
    this._db.prepare('DELETE FROM notebook_search WHERE rowid = ?').run(seq);
    this._db
      .prepare(
        'INSERT INTO notebook_search (rowid, title, description, tags, markdown, code) VALUES (?, ?, ?, ?, ?, ?)'
      )
      .run(seq, metadata.title, metadata.description, metadata.tags.join(' '), text.markdown, text.code);
  }

  /** Re-indexes only the metadata, keeping the notebook's text. */
  putMetadata(seq: number, metadata: ISearchMetadata): void {
    this._db
      .prepare('UPDATE notebook_search SET title = ?, description = ?, tags = ? WHERE rowid = ?')
      .run(metadata.title, metadata.description, metadata.tags.join(' '), seq);
  }

  /** Drops a notebook from the index. */
  remove(seq: number): void {
    this._db.prepare('DELETE FROM notebook_search WHERE rowid = ?').run(seq);
  }

  /**
   * Lists the notebooks `caller` may read that match the filters, one keyset page at a time, so deep pages cost
   * the same as the first. The read check is part of the query, so nothing unreadable reaches a page, a snippet
   * or a cursor.
   * @throws {InvalidRequestError} for a cursor that does not belong to this sort order.
   */
  list(caller: ICaller, request: IListRequest): IListPage {
    const match = request.q === undefined ? null : toFtsQuery(request.q);
    if (request.q !== undefined && match === null) {
      return { records: [], snippets: new Map(), nextCursor: null };
    }
    const sortName: NotebookSort = request.sort ?? (match ? 'relevance' : 'updated');
    const sort = SORTS[sortName === 'relevance' && !match ? 'updated' : sortName];
    const params: unknown[] = [];
    let source: string;
    if (match) {
      source = `(SELECT n.*, bm25(notebook_search, ${BM25_WEIGHTS}) AS rank, ${SNIPPET} AS snippet
        FROM notebook_search JOIN notebooks n ON n.seq = notebook_search.rowid
        WHERE notebook_search MATCH ?)`;
      params.push(match);
    } else {
      source = '(SELECT *, NULL AS rank, NULL AS snippet FROM notebooks)';
    }
    const readable = readableNotebooksSql(caller);
    const where: string[] = [readable.sql];
    params.push(...readable.params);
    if (request.scope !== undefined) {
      const scope = scopeSql(caller, request.scope);
      where.push(scope.sql);
      params.push(...scope.params);
    }
    if (request.owner !== undefined) {
      where.push("(CASE n.owner_kind WHEN 'group' THEN n.group_name ELSE n.owner END) = ?");
      params.push(request.owner);
    }
    if (request.tag !== undefined) {
      where.push('EXISTS (SELECT 1 FROM notebook_tags t WHERE t.notebook_id = n.id AND t.tag = ? COLLATE NOCASE)');
      params.push(request.tag.trim());
    }
    if (request.cursor !== undefined) {
      const after = decodeCursor(request.cursor, sortName);
      const op = sort.descending ? '<' : '>';
      where.push(`(${sort.key} ${op} ? OR (${sort.key} = ? AND n.id ${op} ?))`);
      params.push(after.key, after.key, after.id);
    }
    const direction = sort.descending ? 'DESC' : 'ASC';
    const sql = `SELECT * FROM ${source} n
      WHERE ${where.join(' AND ')}
      ORDER BY ${sort.key} ${direction}, n.id ${direction}
      LIMIT ?`;
    params.push(request.limit + 1);
    const rows = this._db.prepare(sql).all(...params) as ListRow[];
    const page = rows.slice(0, request.limit);
    const last = page[page.length - 1];
    const nextCursor =
      rows.length > request.limit && last
        ? encodeCursor({ sort: sortName, key: last[sort.field] as string | number, id: last.id })
        : null;
    const snippets = new Map<string, string>();
    for (const row of page) {
      if (row.snippet !== null) {
        snippets.set(row.id, row.snippet);
      }
    }
    return { records: toRecords(this._db, page), snippets, nextCursor };
  }
}

import type { IFacetsResponse, IFacetValue, NotebookSort } from '@notebook-gallery/core';
import type { ICaller } from '../../auth/permissions';
import type { PgDatabase } from '../../db/postgres/pgDatabase';
import type { ISearchPlan } from '../../search/ftsQuery';
import { decodeCursor } from '../../search/listCursor';
import type { ISnippet, ISnippetSources } from '../../search/snippet';
import { listPage, pageSnippets } from '../listPage';
import type { INotebookRow } from '../notebookRecords';
import type { IListPage, IListRequest, INotebookRecord } from '../notebookRepository';
import type { IFacetRequest, ITagCount } from '../signalRepository';
import { foldAscii } from './pgAsciiFold';
import { pgListFilter } from './pgNotebookListFilter';
import { pgNotebookRecords } from './pgNotebookRecords';
import { PgParams } from './pgParams';
import { pgReadableNotebooks } from './pgReadableNotebooks';
import { pgSnippetSources } from './pgSearchIndex';
import { configuredPgSearchEngine, pgTopKParams, pgTopKRows, type PgSearchEngine } from './pgTopKListing';

/** How a listing sorts, twin of SORTS in sqlite/sqliteNotebookRepository.ts, with SQLite's byte order spelt out. */
interface IPgSortSpec {
  /** The value the cursor carries, over `n` (and `ns`, the notebook_stats row, when `stats`). */
  value: string;
  /** What rows are ordered by: `value` itself, or a form of it (title: folded, as NOCASE orders). */
  key(value: string): string;
  /** The placeholder of a cursor's key, cast to what `key` compares. */
  cast: '::text' | '::float8';
  tie: string;
  descending: boolean;
  stats?: boolean;
}

const C = (value: string): string => `${value} COLLATE "C"`;

/** The listing sorts; a NULL health score or trending key sorts last as -1, as in SQLite. */
const SORTS: Record<NotebookSort, IPgSortSpec> = {
  updated: { value: 'n.updated_at', key: C, cast: '::text', tie: C('n.id'), descending: true },
  created: { value: 'n.created_at', key: C, cast: '::text', tie: C('n.id'), descending: true },
  title: { value: 'n.title', key: foldAscii, cast: '::text', tie: C('n.id'), descending: false },
  relevance: { value: 'n.rank', key: v => v, cast: '::float8', tie: C('n.id'), descending: false },
  stars: { value: 'ns.stars', key: v => v, cast: '::float8', tie: C('ns.notebook_id'), descending: true, stats: true },
  views: { value: 'ns.views', key: v => v, cast: '::float8', tie: C('ns.notebook_id'), descending: true, stats: true },
  runs: { value: 'ns.runs', key: v => v, cast: '::float8', tie: C('ns.notebook_id'), descending: true, stats: true },
  health: {
    value: 'COALESCE(ns.health_score, -1)',
    key: v => v,
    cast: '::float8',
    tie: C('ns.notebook_id'),
    descending: true,
    stats: true
  },
  trending: {
    value: 'COALESCE(ns.trending_key, -1)',
    key: v => v,
    cast: '::float8',
    tie: C('ns.notebook_id'),
    descending: true,
    stats: true
  }
};

/** Values per facet. */
const FACET_LIMIT = 10;

/** A listing row: the notebook, its sort key for the cursor and, in a search, which expression it matched. */
type ListRow = INotebookRow & { arm?: 0 | 1; sort_key: string | number };

/**
 * Every PostgreSQL read that goes through the read rule and lists notebooks: the listing and search (as
 * INotebookRepository.list), forks, facets, tag suggestions and "also opened". The read rule is part of each query
 * (pgReadableNotebooks.ts), so a page holds the best notebooks the caller may read however many others there are.
 * PgNotebookRepository and PgSignalRepository delegate to it, and PgListingQueries runs it within a time budget.
 */
export class PgNotebookListing {
  private readonly _searchEngine: PgSearchEngine;

  /** `searchEngine` answers relevance-sorted searches (see {@link PgSearchEngine}); by default the configured one. */
  constructor(
    private readonly _db: PgDatabase,
    options: { searchEngine?: PgSearchEngine } = {}
  ) {
    this._searchEngine = options.searchEngine ?? configuredPgSearchEngine();
  }

  /**
   * One page of the notebooks `caller` may read, as INotebookRepository.list.
   * @throws {InvalidRequestError} when the cursor was not issued for this sort order.
   */
  async list(caller: ICaller, request: IListRequest): Promise<IListPage> {
    const searching = request.q !== undefined;
    const wantsRank = request.sort === undefined || request.sort === 'relevance';
    if (searching && wantsRank && this._searchEngine !== 'tsvector') {
      const page = await this._topKPage(caller, request);
      if (page !== null) {
        return page;
      }
    }
    const params = new PgParams();
    const filter = await pgListFilter(this._db, caller, request, params, searching && wantsRank);
    if (filter === null) {
      return { records: [], snippets: new Map(), nextCursor: null };
    }
    const { source, where, plan, match } = filter;
    const sortName: NotebookSort = request.sort ?? (match ? 'relevance' : 'updated');
    const sort = SORTS[sortName === 'relevance' && !match ? 'updated' : sortName];
    const key = sort.key(sort.value);
    if (request.cursor !== undefined) {
      const after = decodeCursor(request.cursor, sortName);
      const op = sort.descending ? '<' : '>';
      const value = sort.key(`${params.add(after.key)}${sort.cast}`);
      where.push(`(${key} ${op} ${value} OR (${key} = ${value} AND ${sort.tie} ${op} ${params.add(after.id)}::text))`);
    }
    const direction = sort.descending ? 'DESC' : 'ASC';
    const rows = await this._db.query<ListRow>(
      `SELECT n.*, ${sort.value} AS sort_key FROM ${source} n
       ${sort.stats ? 'JOIN notebook_stats ns ON ns.notebook_id = n.id' : ''}
       WHERE ${where.join(' AND ')}
       ORDER BY ${key} ${direction}, ${sort.tie} ${direction}
       LIMIT ${params.add(request.limit + 1)}`,
      params.values
    );
    return this._page(caller, request, sortName, rows, plan, match);
  }

  /**
   * A relevance-sorted search page ranked by the top-k engine (pgTopKListing.ts); null when the engine cannot answer
   * this query, which the tsvector ranking then answers.
   */
  private async _topKPage(caller: ICaller, request: IListRequest): Promise<IListPage | null> {
    const params = pgTopKParams();
    const filter = await pgListFilter(this._db, caller, request, params, false, false);
    if (filter === null) {
      return { records: [], snippets: new Map(), nextCursor: null };
    }
    const after = request.cursor === undefined ? null : decodeCursor(request.cursor, 'relevance');
    const rows = await pgTopKRows(
      this._db,
      caller,
      request,
      filter,
      params,
      after && { key: Number(after.key), id: after.id },
      this._searchEngine === 'exact'
    );
    return rows === null ? null : this._page(caller, request, 'relevance', rows, filter.plan, filter.match);
  }

  /** A page of `rows` (one more than the limit when there is a next page), with its records, snippets and cursor. */
  private async _page(
    caller: ICaller,
    request: IListRequest,
    sortName: NotebookSort,
    rows: ListRow[],
    plan: ISearchPlan | null,
    match: string | null
  ): Promise<IListPage> {
    const { page, nextCursor } = listPage(rows, request.limit, sortName);
    // The records and the snippets' text are read at once, on two pooled connections.
    const [records, sources] = await Promise.all([
      pgNotebookRecords(this._db, page, caller.user?.username ?? null),
      match
        ? pgSnippetSources(
            this._db,
            page.map(row => row.seq)
          )
        : new Map<number, ISnippetSources>()
    ]);
    const snippets = match ? pageSnippets(page, sources, match, plan?.synonymMatch) : new Map<string, ISnippet>();
    return { records, snippets, nextCursor };
  }

  /** The notebooks saved as copies of `id` that `caller` may read, newest first, as INotebookRepository.listForks. */
  async listForks(caller: ICaller, id: string): Promise<INotebookRecord[]> {
    const params = new PgParams();
    const parent = params.add(id);
    const rows = await this._db.query<INotebookRow>(
      `SELECT n.* FROM notebooks n WHERE n.parent_id = ${parent} AND ${pgReadableNotebooks(caller, params)}
       ORDER BY ${C('n.created_at')} DESC, ${C('n.id')} DESC`,
      params.values
    );
    return pgNotebookRecords(this._db, rows, caller.user?.username ?? null);
  }

  /**
   * The ten most frequent tags, owners and kernel languages over the notebooks `caller` may read that the filters
   * select, as ISignalRepository.facets. Tags are counted case-insensitively and shown in their first spelling in
   * byte order, as in SQLite.
   */
  async facets(caller: ICaller, request: IFacetRequest): Promise<IFacetsResponse> {
    const result: IFacetsResponse = { tags: [], owners: [], languages: [] };
    const params = new PgParams();
    const filter = await pgListFilter(this._db, caller, request, params, false);
    if (filter === null) {
      return result;
    }
    const top = (facet: keyof IFacetsResponse, select: string): string =>
      `(SELECT '${facet}' AS facet, value, count FROM (${select} ORDER BY count DESC, value LIMIT ${FACET_LIMIT}) ${facet})`;
    // The result set is computed once and counted three ways.
    const rows = await this._db.query<IFacetValue & { facet: keyof IFacetsResponse }>(
      `WITH r AS MATERIALIZED (
         SELECT n.id, n.seq, CASE n.owner_kind WHEN 'group' THEN n.group_name ELSE n.owner END AS owner
         FROM ${filter.source} n WHERE ${filter.where.join(' AND ')})
       ${top('tags', `SELECT min(${C('t.tag')}) AS value, count(*) AS count FROM r JOIN notebook_tags t ON t.notebook_id = r.id GROUP BY ${foldAscii('t.tag')}`)}
       UNION ALL ${top('owners', `SELECT ${C('owner')} AS value, count(*) AS count FROM r GROUP BY owner`)}
       UNION ALL ${top(
         'languages',
         `SELECT ${C('value')} AS value, count(*) AS count FROM (
            SELECT split_part(s.language, ' ', 1) AS value FROM r JOIN notebook_search s ON s.seq = r.seq) l
          WHERE value <> '' GROUP BY value`
       )}`,
      params.values
    );
    for (const { facet, value, count } of rows) {
      result[facet].push({ value, count });
    }
    return result;
  }

  /** Tags of notebooks `caller` may read starting with `prefix` (ASCII case folded, as SQLite's LIKE), most used first. */
  async tags(caller: ICaller, prefix: string, limit: number): Promise<ITagCount[]> {
    const params = new PgParams();
    const readable = pgReadableNotebooks(caller, params);
    const pattern = params.add(`${prefix.replace(/[\\%_]/g, char => `\\${char}`)}%`);
    return this._db.query<ITagCount>(
      `SELECT min(${C('t.tag')}) AS tag, count(*) AS count FROM notebooks n JOIN notebook_tags t ON t.notebook_id = n.id
       WHERE ${readable} AND ${foldAscii('t.tag')} LIKE ${foldAscii(`${pattern}::text`)} ESCAPE '\\'
       GROUP BY ${foldAscii('t.tag')} ORDER BY count DESC, tag LIMIT ${params.add(limit)}`,
      params.values
    );
  }

  /**
   * Up to `limit` notebooks `caller` may read, other than `id`, opened by users who opened `id`, those most such
   * users opened first (ties: most recently opened, then by id), as ICoOpenSource.alsoOpened.
   */
  async alsoOpened(caller: ICaller, id: string, limit: number): Promise<INotebookRecord[]> {
    const params = new PgParams();
    const notebook = params.add(id);
    const rows = await this._db.query<INotebookRow>(
      `SELECT n.* FROM notebook_opens mine
       JOIN notebook_opens other ON other.username = mine.username AND other.notebook_id <> mine.notebook_id
       JOIN notebooks n ON n.id = other.notebook_id
       WHERE mine.notebook_id = ${notebook} AND ${pgReadableNotebooks(caller, params)}
       GROUP BY n.seq ORDER BY count(*) DESC, max(${C('other.opened_at')}) DESC, ${C('n.id')} LIMIT ${params.add(limit)}`,
      params.values
    );
    return pgNotebookRecords(this._db, rows, caller.user?.username ?? null);
  }
}

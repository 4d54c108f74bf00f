import type { ICaller } from '../../auth/permissions';
import type { PgDatabase } from '../../db/postgres/pgDatabase';
import { exactRanking, rankAmong, topK, type IRankCursor, type IScored } from '../../search/topKSearch';
import type { IListRequest } from '../notebookRepository';
import { pgListFilter, type IPgListFilter } from './pgNotebookListFilter';
import type { INotebookRow } from '../notebookRecords';
import { PgParams } from './pgParams';
import { tsQueryOf } from './pgSearchQuery';
import { PgTopKReader } from './pgTopKIndex';

/**
 * How a relevance-sorted search is answered on PostgreSQL: `tsvector` (pgSearchQuery.ts's ranking, scoring every
 * match), `topk` (the top-k engine, which stops reading once no unseen notebook can beat the page's last) or `exact`
 * (the engine's ranking with every match scored: the reference the exactness tests compare with).
 */
export type PgSearchEngine = 'topk' | 'exact' | 'tsvector';

/**
 * The engine named by NOTEBOOK_GALLERY_SEARCH_ENGINE, as on SQLite; `topk` when unset or unknown. SQLite's name for
 * the old ranking, `fts5`, picks its PostgreSQL counterpart, so one setting means the same on both backends.
 */
export function configuredPgSearchEngine(env: NodeJS.ProcessEnv = process.env): PgSearchEngine {
  const named = env.NOTEBOOK_GALLERY_SEARCH_ENGINE;
  return named === 'exact' ? named : named === 'tsvector' || named === 'fts5' ? 'tsvector' : 'topk';
}

/** An owner's notebooks are ranked among themselves when there are at most this many (as SQLite's ownedBy). */
const OWNER_CANDIDATES = 5000;

/** The listing's params with `$1` kept for the candidates an admission asks about. */
export function pgTopKParams(): PgParams {
  const params = new PgParams();
  params.add(null);
  return params;
}

/**
 * The notebooks among some candidates that the filter's conditions keep (the read rule, scope, owner, tag, starred,
 * excluded words and `required`, a planned expression of phrases and field filters), with their ids, in one query.
 * `params` must come from {@link pgTopKParams}.
 */
export function pgAdmission(
  db: PgDatabase,
  where: readonly string[],
  params: PgParams,
  required: string | null
): (seqs: readonly number[]) => Promise<Map<number, string>> {
  const conditions = [...where];
  const values = [...params.values];
  if (required !== null) {
    values.push(tsQueryOf(required));
    conditions.push(
      `EXISTS (SELECT 1 FROM notebook_search s WHERE s.seq = n.seq AND s.document @@ $${values.length}::tsquery)`
    );
  }
  const sql = `SELECT n.seq, n.id FROM notebooks n WHERE n.seq = ANY($1::bigint[]) AND ${conditions.join(' AND ')}`;
  return async seqs => {
    values[0] = seqs;
    const rows = await db.query<{ seq: number; id: string }>(sql, values);
    return new Map(rows.map(row => [row.seq, row.id]));
  };
}

/** A row of a ranked search page: the notebook with its arm and the key its cursor carries. */
export type PgRankedRow = INotebookRow & { arm: 0 | 1; sort_key: number };

/**
 * The first `count` rows of a relevance-sorted search after `cursor`, ranked by the top-k engine: the notebooks that
 * hold the words (key −score, below 0), then those that match only their synonyms, as pgMatchingNotebooks ranks them
 * (key 2 + rank, in (1, 2], so a cursor tells the arms apart). Null when the engine cannot answer: a word of several
 * tokens such as `read_csv` needs positions, which only the tsvector keeps; or the engine's tables are still being
 * filled after the upgrade. The caller then ranks with the tsvector. `filter` must have been built without its
 * matching source, on params from {@link pgTopKParams}.
 */
export async function pgTopKRows(
  db: PgDatabase,
  caller: ICaller,
  request: IListRequest,
  filter: IPgListFilter,
  params: PgParams,
  cursor: { key: number; id: string } | null,
  exact: boolean
): Promise<PgRankedRow[] | null> {
  const plan = filter.plan;
  if (plan === null || filter.match === null || plan.words.length === 0) {
    return null;
  }
  if (plan.words.some(word => word.some(alternative => alternative.tokens.length !== 1))) {
    return null;
  }
  const reader = new PgTopKReader(db);
  if (!(await reader.ready())) {
    return null;
  }
  const count = request.limit + 1;
  const rows: PgRankedRow[] = [];
  const inSynonyms = cursor !== null && cursor.key > 0;
  if (!inSynonyms) {
    const source = reader.source(pgAdmission(db, filter.where, params, plan.required));
    const [words, owned] = await Promise.all([
      reader.words(plan.words),
      exact ? null : Private.ownedBy(db, [...(request.owner === undefined ? [] : [request.owner]), ...plan.owners])
    ]);
    const after: IRankCursor | null = cursor === null ? null : { score: -cursor.key, id: cursor.id };
    const ranked: IScored[] = exact
      ? (await exactRanking(words, source, after)).slice(0, count)
      : owned !== null
        ? (await rankAmong(words, source, owned, after)).slice(0, count)
        : await topK(words, source, count, after);
    if (ranked.length > 0) {
      const found = await db.query<INotebookRow>('SELECT * FROM notebooks WHERE seq = ANY($1::bigint[])', [
        ranked.map(entry => entry.seq)
      ]);
      const bySeq = new Map(found.map(row => [row.seq, row]));
      for (const entry of ranked) {
        const row = bySeq.get(entry.seq);
        if (row !== undefined) {
          rows.push({ ...row, arm: 0, sort_key: -entry.score });
        }
      }
    }
  }
  if (rows.length < count && plan.synonymMatch !== null) {
    rows.push(...(await Private.synonymRows(db, caller, request, inSynonyms ? cursor : null, count - rows.length)));
  }
  return rows;
}

namespace Private {
  /**
   * The notebooks of an owner (a user's or a group's), a superset of those the owner filter keeps; null when there is
   * no owner filter or more than {@link OWNER_CANDIDATES}. A term's list holds an owner's few notebooks scattered among
   * thousands of others, so scoring the owner's notebooks directly is far cheaper.
   */
  export async function ownedBy(db: PgDatabase, owners: readonly string[]): Promise<number[] | null> {
    if (owners.length === 0) {
      return null;
    }
    const rows = await db.query<{ seq: number }>(
      'SELECT seq FROM notebooks n WHERE n.owner = $1 OR n.group_name = $1 LIMIT $2',
      [owners[0], OWNER_CANDIDATES + 1]
    );
    return rows.length > OWNER_CANDIDATES ? null : rows.map(row => row.seq);
  }

  /** Up to `count` notebooks that match only the words' synonyms, after `cursor`, ranked by the tsvector. */
  export async function synonymRows(
    db: PgDatabase,
    caller: ICaller,
    request: IListRequest,
    cursor: { key: number; id: string } | null,
    count: number
  ): Promise<PgRankedRow[]> {
    const params = new PgParams();
    const filter = await pgListFilter(db, caller, request, params, true);
    if (filter === null) {
      return [];
    }
    const key = '(2.0 + n.rank)';
    const where = [...filter.where, 'n.arm = 1'];
    if (cursor !== null) {
      const value = `${params.add(cursor.key)}::float8`;
      where.push(`(${key} > ${value} OR (${key} = ${value} AND n.id COLLATE "C" > ${params.add(cursor.id)}::text))`);
    }
    return db.query<PgRankedRow>(
      `SELECT n.*, ${key} AS sort_key FROM ${filter.source} n WHERE ${where.join(' AND ')}
       ORDER BY ${key}, n.id COLLATE "C" LIMIT ${params.add(count)}`,
      params.values
    );
  }
}

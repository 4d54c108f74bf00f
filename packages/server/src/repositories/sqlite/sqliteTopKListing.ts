import type { GalleryDatabase } from '../../db/database';
import { exactRanking, rankAmong, topK, type IRankCursor, type IScored } from '../../search/topKSearch';
import type { IListFilter } from './notebookListFilter';
import { matchingNotebooksSql, MATCHING_ROWIDS_SQL } from './sqliteSearchIndex';
import { SqliteTopKReader } from './sqliteTopKIndex';

/**
 * How a relevance-sorted search is answered: `fts5` (FTS5's own ranking, RANK_SQL, scoring every match), `topk` (the
 * top-k engine, which stops reading once no unseen notebook can beat the page's last) or `exact` (the top-k engine's
 * ranking with every match scored; the reference the exactness tests compare with).
 */
export type SearchEngine = 'topk' | 'exact' | 'fts5';

/**
 * The engine named by NOTEBOOK_GALLERY_SEARCH_ENGINE; `topk` when unset or unknown (docs/architecture.md says why).
 * PostgreSQL's name for the old ranking, `tsvector`, picks FTS5's, so one setting means the same on both backends.
 */
export function configuredSearchEngine(env: NodeJS.ProcessEnv = process.env): SearchEngine {
  const named = env.NOTEBOOK_GALLERY_SEARCH_ENGINE;
  return named === 'exact' ? named : named === 'fts5' || named === 'tsvector' ? 'fts5' : 'topk';
}

/** An owner's notebooks are ranked among themselves when there are at most this many (see {@link ownedBy}). */
const OWNER_CANDIDATES = 5000;

/**
 * The notebooks of an owner (a user's, or a group's), a superset of those the owner filter keeps, through the owner
 * and group indexes; null when there are more than {@link OWNER_CANDIDATES}. A term's list holds an owner's few
 * notebooks scattered among thousands of others, so scoring the owner's notebooks directly is far cheaper.
 */
function ownedBy(db: GalleryDatabase, owner: string): number[] | null {
  const rows = db
    .prepare('SELECT seq FROM notebooks n WHERE n.owner = ? OR n.group_name = ? LIMIT ?')
    .all(owner, owner, OWNER_CANDIDATES + 1) as { seq: number }[];
  return rows.length > OWNER_CANDIDATES ? null : rows.map(row => row.seq);
}

/** A row of a ranked search page: a `notebooks` row (`Row`, the listing's type) with its rank, arm and sort key. */
export type RankedRow<Row> = Row & { rank: number; arm: 0 | 1; sort_key: number };

/**
 * The first `count` rows of a relevance-sorted search after `cursor`, ranked by the top-k engine: the notebooks that
 * hold the words (rank −score), then those that match only their synonyms (FTS5's arm 1, ranks in (0, 1]). Null when
 * the engine cannot answer this query (a word of several tokens such as `read_csv` needs positions, which only FTS5
 * keeps; or the engine's tables are still being filled after an upgrade): the caller then asks FTS5. `read` runs
 * statements when the connection is free (its gate).
 */
export async function topKRows<Row extends { seq: number }>(
  db: GalleryDatabase,
  read: <T>(statements: () => T) => Promise<T>,
  filter: IListFilter,
  count: number,
  cursor: { key: number; id: string } | null,
  exact: boolean
): Promise<RankedRow<Row>[] | null> {
  const plan = filter.plan;
  if (plan === null || filter.match === null || plan.words.length === 0) {
    return null;
  }
  if (plan.words.some(word => word.some(alternative => alternative.tokens.length !== 1))) {
    return null;
  }
  const reader = new SqliteTopKReader(db, read);
  if (!(await read(() => reader.ready()))) {
    return null;
  }
  const rows: RankedRow<Row>[] = [];
  const inSynonyms = cursor !== null && cursor.key > 0;
  if (!inSynonyms) {
    const where = [...filter.where];
    const params = [...filter.whereParams];
    if (plan.required !== null) {
      where.push(`n.seq IN (${MATCHING_ROWIDS_SQL})`);
      params.push(plan.required);
    }
    const source = reader.source({ sql: where.join(' AND '), params });
    const words = await read(() => reader.words(plan.words));
    const after: IRankCursor | null = cursor === null ? null : { score: -cursor.key, id: cursor.id };
    const owned = exact || filter.owners.length === 0 ? null : await read(() => ownedBy(db, filter.owners[0]));
    const ranked: IScored[] = exact
      ? (await exactRanking(words, source, after)).slice(0, count)
      : owned !== null
        ? (await rankAmong(words, source, owned, after)).slice(0, count)
        : await topK(words, source, count, after);
    if (ranked.length > 0) {
      const found = await read(
        () =>
          db
            .prepare(`SELECT * FROM notebooks WHERE seq IN (${ranked.map(() => '?').join(', ')})`)
            .all(...ranked.map(entry => entry.seq)) as Row[]
      );
      const bySeq = new Map(found.map(row => [row.seq, row]));
      for (const entry of ranked) {
        const row = bySeq.get(entry.seq);
        if (row !== undefined) {
          rows.push({ ...row, rank: -entry.score, arm: 0, sort_key: -entry.score });
        }
      }
    }
  }
  if (rows.length < count && plan.synonymMatch !== null) {
    const synonyms = matchingNotebooksSql({ ...plan, match: filter.match }, 'synonyms');
    const where = [...filter.where];
    const params: unknown[] = [...synonyms.params, ...filter.whereParams];
    if (inSynonyms && cursor !== null) {
      where.push('(n.rank > ? OR (n.rank = ? AND n.id > ?))');
      params.push(cursor.key, cursor.key, cursor.id);
    }
    params.push(count - rows.length);
    rows.push(
      ...(await read(
        () =>
          db
            .prepare(
              `SELECT n.*, n.rank AS sort_key FROM ${synonyms.sql} n WHERE ${where.join(' AND ')}
               ORDER BY n.rank ASC, n.id ASC LIMIT ?`
            )
            .all(...params) as RankedRow<Row>[]
      ))
    );
  }
  return rows;
}

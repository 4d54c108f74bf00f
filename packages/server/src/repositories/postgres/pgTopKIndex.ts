import { advisoryKey, type PgDatabase } from '../../db/postgres/pgDatabase';
import type { ISearchTerm } from '../../search/queryParser';
import {
  documentImpacts,
  inverseDocumentFrequency,
  isRootForm,
  type IRankedWord,
  type ISearchColumns
} from '../../search/topKRanking';
import type { IPosting, ITopKSource } from '../../search/topKSearch';
import type { ISearchRanking } from '../searchRankingRepository';
import { MAX_LEXEME_BYTES } from './pgSearchVector';
import { heldImpactsReader, packImpacts, unpackImpacts, type ITopKTotals, type ITopKUpkeep } from '../topKDocuments';

/*
 * The top-k engine's tables in PostgreSQL (schema version 3, db/postgres/pgMigrations.ts), twin of
 * sqlite/sqliteTopKIndex.ts and written in the transaction of each PgSearchIndex write:
 * - topk_terms: one row per term, its notebook count and an upper bound of its impacts;
 * - topk_postings: (term, impact, notebook), its primary key read backwards the term's impact-ordered list;
 * - topk_documents: each notebook's length, bucket and (term id, impact) pairs packed;
 * - topk_totals: the number of notebooks and tokens, and the frozen average length;
 * - topk_fill_queue: notebooks indexed before version 3, filled in the background.
 *
 * Several replicas save at once, so every write takes its row locks in one order: the notebook's own rows, then the
 * terms whose count or bound changes in byte order of the term (one statement, as PgSearchIndex counts its
 * vocabulary), then the one totals row last. Two saves sharing words wait for each other and never deadlock, and
 * counts move by increments inside the locked rows, so none is lost. A refresh (which re-freezes the average and
 * rewrites every notebook) holds {@link REFRESH_LOCK} alone, each write shares it: a write never computes its impacts
 * with an average a refresh is replacing, and the refresh takes the lock before any row, so it waits for no row a
 * write holding the lock could be waiting for.
 */

/** The advisory lock writes share and a refresh holds alone. */
const REFRESH_LOCK = advisoryKey('search', 'topk-refresh');

/** The average length is re-frozen (every impact recomputed) when it drifts this far, in galleries this small. */
const REFRESH_DRIFT = 0.25;
const REFRESH_MAX_NOTEBOOKS = 2000;

/** Past every character, so `term >= p AND term < p || LAST` selects the terms starting with `p` in byte order. */
const LAST = '\u{10FFFF}';

/** The columns of notebook_search the ranking reads. */
const COLUMNS_SQL = 'title, description, tags, owner, language, packages, markdown, code';

/**
 * Writes the top-k tables. PgSearchIndex calls {@link write} and {@link remove} inside its transactions; a re-index is
 * a diff against the notebook's stored impacts, so a save that keeps the notebook in its length bucket rewrites only
 * the postings of the words whose impact changed.
 */
export class PgTopKIndex {
  constructor(private readonly _db: PgDatabase) {}

  /** Indexes a notebook from its columns (inside the caller's transaction), re-freezing a small gallery's average. */
  async write(seq: number, columns: ISearchColumns): Promise<ITopKUpkeep> {
    // Before this write locks its terms and the totals: a refresh locks every term first, in the saves' order.
    await this._refreshWhenDrifted();
    return this._write(seq, columns, false);
  }

  /** Drops a notebook (inside the caller's transaction). */
  async remove(seq: number): Promise<ITopKUpkeep> {
    await this._db.execute('SELECT pg_advisory_xact_lock_shared($1)', [REFRESH_LOCK.toString()]);
    await this._db.execute('DELETE FROM topk_fill_queue WHERE seq = $1', [seq]);
    const old = await this._stored(seq);
    if (old === undefined) {
      return { written: 0, deleted: 0 };
    }
    await this._deletePostings(seq, [...old.pairs]);
    await this._countTerms(
      [...(await this._termsOf([...old.pairs.keys()])).values()],
      () => -1,
      () => 0
    );
    await this._db.execute('DELETE FROM topk_documents WHERE seq = $1', [seq]);
    await this._db.execute('UPDATE topk_totals SET documents = documents - 1, tokens = tokens - $1', [old.length]);
    return { written: 0, deleted: old.pairs.size };
  }

  /**
   * Indexes up to `limit` notebooks queued by the upgrade from their notebook_search rows, in one transaction (or the
   * caller's); returns how many are left. The batch's rows are locked first, in seq order, as a save locks its one
   * row before anything else: a save and the fill never write stale impacts, and never wait for each other in a cycle.
   */
  async fill(limit: number): Promise<number> {
    if (limit > 0) {
      await this._db.transaction(async () => {
        const queued = await this._db.query<{ seq: number }>('SELECT seq FROM topk_fill_queue ORDER BY seq LIMIT $1', [
          limit
        ]);
        const seqs = queued.map(row => row.seq);
        const rows = await this._db.query<{ seq: number } & ISearchColumns>(
          `SELECT seq, ${COLUMNS_SQL} FROM notebook_search WHERE seq = ANY($1::bigint[]) ORDER BY seq FOR UPDATE`,
          [seqs]
        );
        const taken = await this._db.query<{ seq: number }>(
          'DELETE FROM topk_fill_queue WHERE seq = ANY($1::bigint[]) RETURNING seq',
          [seqs]
        );
        const still = new Set(taken.map(row => row.seq));
        for (const row of rows) {
          if (still.has(row.seq)) {
            await this._write(row.seq, row, false);
          }
        }
      });
    }
    const left = await this._db.queryOne<{ left: number }>('SELECT count(*) AS left FROM topk_fill_queue');
    return left?.left ?? 0;
  }

  /**
   * Recomputes every impact with the current average length (`rebuild-index`, and small galleries as they grow), in
   * the caller's transaction. Every term row is locked first, in byte order, then the totals: the order saves take.
   */
  async refresh(): Promise<void> {
    await this._db.execute('SELECT pg_advisory_xact_lock($1)', [REFRESH_LOCK.toString()]);
    await this._db.execute(
      `UPDATE topk_terms SET max_impact = 0
       WHERE id IN (SELECT id FROM topk_terms ORDER BY term COLLATE "C" FOR UPDATE)`
    );
    await this._db.execute(
      `UPDATE topk_totals SET average_length = CASE WHEN documents > 0 THEN tokens::float8 / documents ELSE 0 END`
    );
    const rows = await this._db.query<{ seq: number } & ISearchColumns>(
      `SELECT d.seq, ${COLUMNS_SQL} FROM topk_documents d LEFT JOIN notebook_search s USING (seq) ORDER BY d.seq`
    );
    for (const row of rows) {
      if (row.title === null) {
        await this.remove(row.seq);
      } else {
        await this._write(row.seq, row, true);
      }
    }
  }

  private async _totals(): Promise<ITopKTotals> {
    return (await this._db.queryOne<ITopKTotals>('SELECT documents, tokens, average_length FROM topk_totals'))!;
  }

  private async _stored(seq: number): Promise<{ length: number; pairs: Map<number, number> } | undefined> {
    const row = await this._db.queryOne<{ length: number; impacts: Buffer }>(
      'SELECT length, impacts FROM topk_documents WHERE seq = $1',
      [seq]
    );
    if (row === undefined) {
      return undefined;
    }
    const pairs = new Map<number, number>();
    unpackImpacts(row.impacts, (id, impact) => pairs.set(id, impact));
    return { length: row.length, pairs };
  }

  /** The terms of some ids, id → term. */
  private async _termsOf(ids: readonly number[]): Promise<Map<number, string>> {
    if (ids.length === 0) {
      return new Map();
    }
    const rows = await this._db.query<{ id: number; term: string }>(
      'SELECT id, term FROM topk_terms WHERE id = ANY($1::integer[])',
      [ids]
    );
    return new Map(rows.map(row => [row.id, row.term]));
  }

  /**
   * Adds `delta` to each term's count and raises its bound to `impact`, in one statement that locks the rows in byte
   * order of the term (creating the terms not known yet); returns term → id.
   */
  private async _countTerms(
    names: readonly string[],
    delta: (term: string) => number,
    impact: (term: string) => number
  ): Promise<Map<string, number>> {
    if (names.length === 0) {
      return new Map();
    }
    const rows = await this._db.query<{ id: number; term: string }>(
      `INSERT INTO topk_terms (term, documents, max_impact)
       SELECT term, delta, impact FROM unnest($1::text[], $2::integer[], $3::integer[]) AS d (term, delta, impact)
       ORDER BY term COLLATE "C"
       ON CONFLICT (term) DO UPDATE SET documents = topk_terms.documents + excluded.documents,
         max_impact = GREATEST(topk_terms.max_impact, excluded.max_impact)
       RETURNING id, term`,
      [names, names.map(delta), names.map(impact)]
    );
    return new Map(rows.map(row => [row.term, row.id]));
  }

  private async _deletePostings(seq: number, pairs: readonly (readonly [number, number])[]): Promise<void> {
    if (pairs.length > 0) {
      await this._db.execute(
        `DELETE FROM topk_postings p USING unnest($1::integer[], $2::integer[]) AS d (term_id, impact)
         WHERE p.term_id = d.term_id AND p.impact = d.impact AND p.seq = $3`,
        [pairs.map(pair => pair[0]), pairs.map(pair => pair[1]), seq]
      );
    }
  }

  /**
   * Writes a notebook's impacts as a diff against what is stored: postings of new terms are added, of gone terms
   * deleted, of terms whose impact changed moved; the rest, and their term rows, are left alone (a term row is
   * written only when its count changes or its bound rises). `raiseAll` re-raises every bound (a refresh reset them).
   */
  private async _write(seq: number, columns: ISearchColumns, raiseAll: boolean): Promise<ITopKUpkeep> {
    await this._db.execute('SELECT pg_advisory_xact_lock_shared($1)', [REFRESH_LOCK.toString()]);
    const totals = await this._totals();
    let fresh = documentImpacts(columns, totals.average_length > 0 ? totals.average_length : 1);
    // The first notebook fixes the average until there are more to average over (set with the totals, last).
    const average = totals.average_length > 0 ? totals.average_length : Math.max(fresh.length, 1);
    if (totals.average_length <= 0) {
      fresh = documentImpacts(columns, average);
    }
    // A word too long for a B-tree key is left out, as the tsvector leaves it out: no query can name it.
    for (const term of fresh.impacts.keys()) {
      if (term.length * 3 > MAX_LEXEME_BYTES && Buffer.byteLength(term) > MAX_LEXEME_BYTES) {
        fresh.impacts.delete(term);
      }
    }
    const old = await this._stored(seq);
    const names = [...fresh.impacts.keys()];
    const known = await this._db.query<{ id: number; term: string; max_impact: number }>(
      'SELECT id, term, max_impact FROM topk_terms WHERE term = ANY($1::text[])',
      [names]
    );
    const byTerm = new Map(known.map(row => [row.term, row]));
    const changed = new Map<string, { delta: number; impact: number }>();
    const moved: [number, number][] = [];
    for (const [term, impact] of fresh.impacts) {
      const row = byTerm.get(term);
      const before = row === undefined ? undefined : old?.pairs.get(row.id);
      if (before === undefined) {
        changed.set(term, { delta: 1, impact });
      } else if (before !== impact || raiseAll) {
        if (before !== impact) {
          moved.push([row!.id, before]);
        }
        if (raiseAll || impact > row!.max_impact) {
          changed.set(term, { delta: 0, impact });
        }
      }
    }
    const freshIds = new Set(known.filter(row => fresh.impacts.has(row.term)).map(row => row.id));
    const goneIds = old === undefined ? [] : [...old.pairs.keys()].filter(id => !freshIds.has(id));
    for (const [, term] of await this._termsOf(goneIds)) {
      changed.set(term, { delta: -1, impact: 0 });
    }
    const ids = await this._countTerms(
      [...changed.keys()],
      term => changed.get(term)!.delta,
      term => changed.get(term)!.impact
    );
    const pairs = new Map<number, number>();
    const posted: [number, number][] = [];
    for (const [term, impact] of fresh.impacts) {
      const id = ids.get(term) ?? byTerm.get(term)!.id;
      pairs.set(id, impact);
      if (old?.pairs.get(id) !== impact) {
        posted.push([id, impact]);
      }
    }
    const unposted = [...moved, ...goneIds.map(id => [id, old!.pairs.get(id)!] as [number, number])];
    await this._deletePostings(seq, unposted);
    if (posted.length > 0) {
      await this._db.execute(
        `INSERT INTO topk_postings (term_id, impact, seq)
         SELECT term_id, impact, $3 FROM unnest($1::integer[], $2::integer[]) AS d (term_id, impact)`,
        [posted.map(pair => pair[0]), posted.map(pair => pair[1]), seq]
      );
    }
    await this._db.execute(
      `INSERT INTO topk_documents (seq, length, bucket, impacts) VALUES ($1, $2, $3, $4)
       ON CONFLICT (seq) DO UPDATE SET length = excluded.length, bucket = excluded.bucket, impacts = excluded.impacts`,
      [seq, fresh.length, fresh.bucket, packImpacts(pairs)]
    );
    const documents = old === undefined ? 1 : 0;
    const tokens = fresh.length - (old?.length ?? 0);
    if (documents !== 0 || tokens !== 0 || totals.average_length <= 0) {
      await this._db.execute(
        `UPDATE topk_totals SET documents = documents + $1, tokens = tokens + $2,
           average_length = CASE WHEN average_length <= 0 THEN $3 ELSE average_length END`,
        [documents, tokens, average]
      );
    }
    return { written: posted.length, deleted: unposted.length };
  }

  private async _refreshWhenDrifted(): Promise<void> {
    const totals = await this._totals();
    if (totals.documents === 0 || totals.documents > REFRESH_MAX_NOTEBOOKS) {
      return;
    }
    const mean = totals.tokens / totals.documents;
    if (Math.abs(mean / totals.average_length - 1) > REFRESH_DRIFT) {
      await this.refresh();
    }
  }
}

/** The top-k engine's reads for one query: its words' terms, and an {@link ITopKSource}. */
export class PgTopKReader {
  constructor(private readonly _db: PgDatabase) {}

  /** Whether the engine's tables are complete (nothing left to fill), so its answers are whole. */
  async ready(): Promise<boolean> {
    return (await this._db.queryOne('SELECT 1 AS queued FROM topk_fill_queue LIMIT 1')) === undefined;
  }

  /**
   * A query's words as index terms, in one round trip: exact tokens, and every term starting with a prefix (in byte
   * order, as SQLite's range); a prefix counts its best term (topKRanking.ts).
   */
  async words(words: readonly (readonly ISearchTerm[])[]): Promise<IRankedWord[]> {
    // A word's root as a prefix is often the word itself (`plot` and `plot*`): the key says which was asked.
    const keyOf = (alternative: ISearchTerm): string => (alternative.prefix ? '*' : '=') + alternative.tokens[0];
    const alternatives = words.flat();
    const prefixes = alternatives.filter(alternative => alternative.prefix).map(alternative => alternative.tokens[0]);
    const exact = alternatives.filter(alternative => !alternative.prefix).map(alternative => alternative.tokens[0]);
    type Row = { key: string; term: string; id: number; documents: number; max_impact: number };
    const [totals, rows] = await Promise.all([
      this._db.queryOne<{ documents: number }>('SELECT documents FROM topk_totals'),
      this._db.query<Row>(
        `SELECT '=' || t.term AS key, t.term, t.id, t.documents, t.max_impact FROM topk_terms t
         WHERE t.term = ANY($1::text[]) AND t.documents > 0
         UNION ALL
         SELECT '*' || p.prefix AS key, t.term, t.id, t.documents, t.max_impact
         FROM unnest($2::text[]) AS p (prefix)
         JOIN topk_terms t ON t.term >= p.prefix AND t.term < p.prefix || $3
         WHERE t.documents > 0`,
        [exact, prefixes, LAST]
      )
    ]);
    const notebooks = totals?.documents ?? 0;
    const byKey = new Map<string, Row[]>();
    for (const row of rows) {
      byKey.set(row.key, [...(byKey.get(row.key) ?? []), row]);
    }
    const rowsOf = (alternative: ISearchTerm): Row[] => byKey.get(keyOf(alternative)) ?? [];
    return words.map(word => ({
      alternatives: word.map(alternative => ({
        terms: rowsOf(alternative).map(row => ({
          id: row.id,
          idf: inverseDocumentFrequency(notebooks, row.documents),
          maxImpact: row.max_impact,
          form: isRootForm(alternative, row.term)
        }))
      }))
    }));
  }

  /** The engine's source for one caller's listing: `admit` keeps the notebooks the read rule and filters keep. */
  source(admit: (seqs: readonly number[]) => Promise<Map<number, string>>): ITopKSource {
    return {
      postings: (termId, after, limit) =>
        after === null
          ? this._db.query<IPosting>(
              'SELECT impact, seq FROM topk_postings WHERE term_id = $1 ORDER BY impact DESC, seq DESC LIMIT $2',
              [termId, limit]
            )
          : this._db.query<IPosting>(
              `SELECT impact, seq FROM topk_postings WHERE term_id = $1 AND (impact, seq) < ($2, $3)
               ORDER BY impact DESC, seq DESC LIMIT $4`,
              [termId, after.impact, after.seq, limit]
            ),
      impacts: async (seqs, termIds) => {
        const rows = await this._db.query<{ seq: number; impacts: Buffer }>(
          'SELECT seq, impacts FROM topk_documents WHERE seq = ANY($1::bigint[])',
          [seqs]
        );
        const held = heldImpactsReader(termIds);
        return new Map(rows.map(row => [row.seq, held(row.impacts)]));
      },
      admit
    };
  }
}

/** {@link ISearchRanking} on PostgreSQL: the upgrade's fill and rebuild-index's refresh of the engine's tables. */
export class PgSearchRanking implements ISearchRanking {
  private readonly _index: PgTopKIndex;

  constructor(db: PgDatabase) {
    this._index = new PgTopKIndex(db);
  }

  fill(limit: number): Promise<number> {
    return this._index.fill(limit);
  }

  refresh(): Promise<void> {
    return this._index.refresh();
  }
}

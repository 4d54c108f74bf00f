import type { GalleryDatabase } from '../../db/database';
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
import type { ISqlPredicate } from './readableNotebooksSql';
import { SqliteConnectionGate } from './sqliteConnectionGate';
import { heldImpactsReader, packImpacts, unpackImpacts, type ITopKTotals, type ITopKUpkeep } from '../topKDocuments';

/*
 * The top-k engine's tables in SQLite (migration 15), beside the FTS5 index and written in the same transactions:
 * - topk_terms: one row per term, with its document count (for idf) and an upper
 *   bound of its impacts;
 * - topk_postings: (term, impact, notebook), WITHOUT ROWID, its primary key (term, impact DESC, seq DESC) the term's
 *   impact-ordered list;
 * - topk_documents: each notebook's length, length bucket and its (term id, impact) pairs packed, to score a
 *   candidate exactly and to know which postings a save changes;
 * - topk_totals: the number of notebooks and tokens, and the frozen average length impacts were computed with;
 * - topk_fill_queue: notebooks the tables do not hold yet after the upgrade, filled in the background.
 * Plain tables and B-tree keys, so PostgreSQL can hold the same.
 */

/** The average length is re-frozen (every impact recomputed) when it drifts this far, in galleries this small. */
const REFRESH_DRIFT = 0.25;
const REFRESH_MAX_NOTEBOOKS = 2000;

/** The FTS5 row of a notebook, as the columns the ranking reads. */
const ROW_SQL =
  'SELECT title, description, tags, owner, language, packages, markdown, code FROM notebook_search WHERE rowid = ?';

function columnsOf(row: Record<keyof ISearchColumns, string | null>): ISearchColumns {
  return {
    title: row.title ?? '',
    description: row.description ?? '',
    tags: row.tags ?? '',
    owner: row.owner ?? '',
    language: row.language ?? '',
    packages: row.packages ?? '',
    markdown: row.markdown ?? '',
    code: row.code ?? ''
  };
}

/**
 * Writes the top-k tables: SqliteSearchIndex calls it after each change of a notebook's FTS5 row, inside the write's
 * transaction. A re-index is a diff against the notebook's stored impacts: only postings whose impact changed are
 * rewritten, so an edit of a few words costs a few rows; only a save that moves the notebook to another length
 * bucket (a change of about 5% of its words) changes every impact.
 */
export class SqliteTopKIndex {
  constructor(private readonly _db: GalleryDatabase) {}

  /** Re-indexes a notebook from its FTS5 row (or drops it when it has none). */
  reindex(seq: number): ITopKUpkeep {
    const row = this._db.prepare(ROW_SQL).get(seq) as Record<keyof ISearchColumns, string | null> | undefined;
    if (row === undefined) {
      return this.remove(seq);
    }
    const upkeep = this._write(seq, columnsOf(row));
    this._refreshWhenDrifted();
    return upkeep;
  }

  /** Drops a notebook. */
  remove(seq: number): ITopKUpkeep {
    const old = this._stored(seq);
    if (old === undefined) {
      return { written: 0, deleted: 0 };
    }
    const unpost = this._db.prepare('DELETE FROM topk_postings WHERE term_id = ? AND impact = ? AND seq = ?');
    const uncount = this._db.prepare('UPDATE topk_terms SET documents = documents - 1 WHERE id = ?');
    for (const [id, impact] of old.pairs) {
      unpost.run(id, impact, seq);
      uncount.run(id);
    }
    this._db.prepare('DELETE FROM topk_documents WHERE seq = ?').run(seq);
    this._db.prepare('UPDATE topk_totals SET documents = documents - 1, tokens = tokens - ?').run(old.length);
    this._db.prepare('DELETE FROM topk_fill_queue WHERE seq = ?').run(seq);
    return { written: 0, deleted: old.pairs.size };
  }

  /** Recomputes every impact with the current average length: `rebuild-index`, and small galleries as they grow. */
  refresh(): void {
    const totals = this._totals();
    this._db
      .prepare('UPDATE topk_totals SET average_length = ?')
      .run(totals.documents > 0 ? totals.tokens / totals.documents : 0);
    this._db.prepare('UPDATE topk_terms SET max_impact = 0').run();
    const seqs = (this._db.prepare('SELECT seq FROM topk_documents').all() as { seq: number }[]).map(row => row.seq);
    for (const seq of seqs) {
      const row = this._db.prepare(ROW_SQL).get(seq) as Record<keyof ISearchColumns, string | null> | undefined;
      if (row === undefined) {
        this.remove(seq);
      } else {
        this._write(seq, columnsOf(row), true);
      }
    }
  }

  /** Indexes up to `limit` notebooks queued by the upgrade, from their FTS5 rows; returns how many are left. */
  fill(limit: number): number {
    const queued = this._db.prepare('SELECT seq FROM topk_fill_queue ORDER BY seq LIMIT ?').all(limit) as {
      seq: number;
    }[];
    for (const { seq } of queued) {
      this.reindex(seq);
      this._db.prepare('DELETE FROM topk_fill_queue WHERE seq = ?').run(seq);
    }
    return (this._db.prepare('SELECT count(*) AS left FROM topk_fill_queue').get() as { left: number }).left;
  }

  private _totals(): ITopKTotals {
    return this._db.prepare('SELECT documents, tokens, average_length FROM topk_totals').get() as ITopKTotals;
  }

  private _stored(seq: number): { length: number; bucket: number; pairs: Map<number, number> } | undefined {
    const row = this._db.prepare('SELECT length, bucket, impacts FROM topk_documents WHERE seq = ?').get(seq) as
      { length: number; bucket: number; impacts: Buffer } | undefined;
    if (row === undefined) {
      return undefined;
    }
    const pairs = new Map<number, number>();
    unpackImpacts(row.impacts, (id, impact) => pairs.set(id, impact));
    return { length: row.length, bucket: row.bucket, pairs };
  }

  /**
   * Writes a notebook's impacts as a diff against what is stored: postings of new terms are added, of gone terms
   * deleted, of terms whose impact changed moved; the rest are left alone. `raiseAll` re-raises every term's bound
   * (a refresh has reset them).
   */
  private _write(seq: number, columns: ISearchColumns, raiseAll = false): ITopKUpkeep {
    const totals = this._totals();
    let average = totals.average_length;
    const old = this._stored(seq);
    const fresh = documentImpacts(columns, average > 0 ? average : 1, old?.bucket ?? null);
    if (average <= 0) {
      // The first notebook fixes the average until there are more to average over.
      average = Math.max(fresh.length, 1);
      this._db.prepare('UPDATE topk_totals SET average_length = ?').run(average);
      return this._write(seq, columns, raiseAll);
    }
    // The ids of the notebook's terms in one statement: one lookup per term was most of a save's cost (6.5 ms
    // against 1.4 for 700 terms at 10,000 notebooks).
    const known = new Map(
      (
        this._db
          .prepare('SELECT id, term FROM topk_terms WHERE term IN (SELECT value FROM json_each(?))')
          .all(JSON.stringify([...fresh.impacts.keys()])) as { id: number; term: string }[]
      ).map(row => [row.term, row.id])
    );
    const addTerm = this._db.prepare(
      'INSERT INTO topk_terms (term, documents, max_impact) VALUES (?, 0, 0) RETURNING id'
    );
    const count = this._db.prepare(
      `UPDATE topk_terms SET documents = documents + ?,
         max_impact = CASE WHEN ? > max_impact THEN ? ELSE max_impact END WHERE id = ?`
    );
    const post = this._db.prepare('INSERT INTO topk_postings (term_id, impact, seq) VALUES (?, ?, ?)');
    const unpost = this._db.prepare('DELETE FROM topk_postings WHERE term_id = ? AND impact = ? AND seq = ?');
    const pairs = new Map<number, number>();
    let written = 0;
    let deleted = 0;
    for (const [term, impact] of fresh.impacts) {
      const id = known.get(term) ?? (addTerm.get(term) as { id: number }).id;
      pairs.set(id, impact);
      const before = old?.pairs.get(id);
      if (before === impact) {
        if (raiseAll) {
          count.run(0, impact, impact, id);
        }
        continue;
      }
      if (before !== undefined) {
        unpost.run(id, before, seq);
        deleted++;
      }
      post.run(id, impact, seq);
      written++;
      count.run(before === undefined ? 1 : 0, impact, impact, id);
    }
    if (old !== undefined) {
      const uncount = this._db.prepare('UPDATE topk_terms SET documents = documents - 1 WHERE id = ?');
      for (const [id, impact] of old.pairs) {
        if (!pairs.has(id)) {
          unpost.run(id, impact, seq);
          uncount.run(id);
          deleted++;
        }
      }
    }
    this._db
      .prepare('INSERT OR REPLACE INTO topk_documents (seq, length, bucket, impacts) VALUES (?, ?, ?, ?)')
      .run(seq, fresh.length, fresh.bucket, packImpacts(pairs));
    this._db
      .prepare('UPDATE topk_totals SET documents = documents + ?, tokens = tokens + ?')
      .run(old === undefined ? 1 : 0, fresh.length - (old?.length ?? 0));
    return { written, deleted };
  }

  private _refreshWhenDrifted(): void {
    const totals = this._totals();
    if (totals.documents === 0 || totals.documents > REFRESH_MAX_NOTEBOOKS) {
      return;
    }
    const mean = totals.tokens / totals.documents;
    if (Math.abs(mean / totals.average_length - 1) > REFRESH_DRIFT) {
      this.refresh();
    }
  }
}

/** Past every character, so `term >= p AND term < p || LAST` selects the terms starting with `p`. */
const LAST = '\u{10FFFF}';

/** The top-k engine's reads over one connection, for one query: its words' terms, and an {@link ITopKSource}. */
export class SqliteTopKReader {
  /** `read` runs statements on the connection when it is free (the connection's gate). */
  constructor(
    private readonly _db: GalleryDatabase,
    private readonly _read: <T>(statements: () => T) => Promise<T>
  ) {}

  /** Whether the engine's tables are complete (nothing left to fill), so its answers are whole. */
  ready(): boolean {
    return this._db.prepare('SELECT 1 FROM topk_fill_queue LIMIT 1').get() === undefined;
  }

  /** A query's words as index terms: exact tokens, and every term starting with a prefix. */
  words(words: readonly (readonly ISearchTerm[])[]): IRankedWord[] {
    const { documents } = this._db.prepare('SELECT documents FROM topk_totals').get() as { documents: number };
    const exact = this._db.prepare(
      'SELECT id, term, documents, max_impact FROM topk_terms WHERE term = ? AND documents > 0'
    );
    const prefixed = this._db.prepare(
      'SELECT id, term, documents, max_impact FROM topk_terms WHERE term >= ? AND term < ? AND documents > 0'
    );
    type Row = { id: number; term: string; documents: number; max_impact: number };
    return words.map(word => ({
      alternatives: word.map(alternative => {
        const token = alternative.tokens[0];
        const rows = (alternative.prefix ? prefixed.all(token, token + LAST) : exact.all(token)) as Row[];
        return {
          terms: rows.map(row => ({
            id: row.id,
            idf: inverseDocumentFrequency(documents, row.documents),
            maxImpact: row.max_impact,
            form: isRootForm(alternative, row.term)
          }))
        };
      })
    }));
  }

  /** The engine's source for one caller's listing: `admit` keeps the notebooks `n` for which `filter` holds. */
  source(filter: ISqlPredicate): ITopKSource {
    const first = this._db.prepare(
      'SELECT impact, seq FROM topk_postings WHERE term_id = ? ORDER BY impact DESC, seq DESC LIMIT ?'
    );
    const next = this._db.prepare(
      `SELECT impact, seq FROM topk_postings WHERE term_id = ? AND (impact, seq) < (?, ?)
       ORDER BY impact DESC, seq DESC LIMIT ?`
    );
    return {
      postings: (termId, after, limit) =>
        this._read(
          () =>
            (after === null ? first.all(termId, limit) : next.all(termId, after.impact, after.seq, limit)) as IPosting[]
        ),
      // The candidates go in as one JSON array, so each query has one text whatever their number: the connection's
      // statement cache (db/database.ts) keeps it compiled, where a list of `?` compiled anew for each block and
      // pushed the listing's other statements out of the cache.
      impacts: (seqs, termIds) =>
        this._read(() => {
          const rows = this._db
            .prepare('SELECT seq, impacts FROM topk_documents WHERE seq IN (SELECT value FROM json_each(?))')
            .all(JSON.stringify(seqs)) as { seq: number; impacts: Buffer }[];
          const held = heldImpactsReader(termIds);
          return new Map(rows.map(row => [row.seq, held(row.impacts)]));
        }),
      admit: seqs =>
        this._read(() => {
          const rows = this._db
            .prepare(
              `SELECT n.seq, n.id FROM notebooks n WHERE n.seq IN (SELECT value FROM json_each(?)) AND ${filter.sql}`
            )
            .all(JSON.stringify(seqs), ...filter.params) as { seq: number; id: string }[];
          return new Map(rows.map(row => [row.seq, row.id]));
        })
    };
  }
}

/** {@link ISearchRanking} over SQLite's connection, through its gate. */
export class SqliteSearchRanking implements ISearchRanking {
  private readonly _gate: SqliteConnectionGate;
  private readonly _index: SqliteTopKIndex;

  constructor(db: GalleryDatabase) {
    this._gate = SqliteConnectionGate.of(db);
    this._index = new SqliteTopKIndex(db);
  }

  async fill(limit: number): Promise<number> {
    return this._gate.run(() => this._index.fill(limit));
  }

  async refresh(): Promise<void> {
    return this._gate.run(() => this._index.refresh());
  }
}

import type { INotebookSearchText } from '@notebook-gallery/core';
import type { ICaller } from '../../auth/permissions';
import type { PgDatabase } from '../../db/postgres/pgDatabase';
import {
  metadataTerms,
  METADATA_TERMS,
  strongestTerms,
  textTerms,
  TEXT_TERMS,
  type IWeightedTerm,
  type TermKind
} from '../../search/termVectors';
import type { INotebookMetadata } from '../notebookRepository';
import {
  addMetadataTerms,
  MIN_CANDIDATES,
  POSTINGS_PER_TERM,
  sharedTerms,
  storedTextVector,
  termKey,
  textVector,
  vectorNorm,
  WALKED_TERMS,
  type ISharedTermRow,
  type IStoredTerm,
  type IStoredTermRow
} from '../similarityRecords';
import type { ISharedTerm, ISimilarityRepository, ISimilarNotebook } from '../similarityRepository';
import { PgParams } from './pgParams';
import { pgReadableNotebooks } from './pgReadableNotebooks';

/** `ln(1 + N / df)` in SQL, the inverse document frequency of term `s` now (as in termVectors.ts). */
const IDF_SQL = 'ln(1.0 + corpus.n::float8 / s.documents)';

/** The query notebook's terms, `w` its weight times the idf; `seq` is the placeholder of the notebook's seq. */
const queryTermsSql = (seq: string): string => `
  corpus AS (SELECT count(*) AS n FROM similarity_vectors),
  q AS (
    SELECT t.term_id, (t.text_weight + t.metadata_weight) * ${IDF_SQL} AS w, ${IDF_SQL} AS idf
    FROM notebook_terms t JOIN similarity_terms s ON s.id = t.term_id, corpus
    WHERE t.notebook_seq = ${seq}
  )`;

/**
 * Term vectors in PostgreSQL, in the tables of schema version 1 (the same as SQLite's): `similarity_terms`,
 * `notebook_terms` and `similarity_vectors`, and the same bounded query (see SqliteSimilarityRepository). One
 * PostgreSQL concern: saves run concurrently, on several replicas, and each moves the document counts of up to 64
 * shared terms. A save changes the counts in one pass in a fixed order of (kind, term), so two saves that share terms
 * lock their rows in the same order and wait for each other rather than deadlock.
 */
export class PgSimilarityRepository implements ISimilarityRepository {
  constructor(private readonly _db: PgDatabase) {}

  async put(seq: number, metadata: INotebookMetadata, text: INotebookSearchText): Promise<void> {
    await this._db.transaction(async () => {
      const corpus = await this._corpus();
      const wanted = textVector(await this._strongest(textTerms(text), TEXT_TERMS, corpus));
      await this._mergeMetadata(wanted, metadata, corpus);
      await this._replace(seq, wanted);
    });
  }

  async putMetadata(seq: number, metadata: INotebookMetadata): Promise<void> {
    await this._db.transaction(async () => {
      const wanted = storedTextVector((await this._stored(seq)).values());
      await this._mergeMetadata(wanted, metadata, await this._corpus());
      await this._replace(seq, wanted);
    });
  }

  async remove(seq: number): Promise<void> {
    await this._db.transaction(async () => {
      await this._replace(seq, new Map(), false);
      await this._db.execute('DELETE FROM similarity_vectors WHERE notebook_seq = $1', [seq]);
    });
  }

  async similar(caller: ICaller, seq: number, limit: number): Promise<ISimilarNotebook[]> {
    const params = new PgParams();
    const me = params.add(seq);
    const readable = pgReadableNotebooks(caller, params);
    // Each walked term's walk stops at the impact of its POSTINGS_PER_TERM-th readable notebook (0 when it has
    // fewer); the candidates are scored exactly with every term they hold: cosine of the weights times the idf now.
    const rows = await this._db.query<{ seq: number; id: string; score: number }>(
      `WITH ${queryTermsSql(me)},
      floors AS (
        SELECT q.term_id, q.w, q.idf, coalesce((
          SELECT x.impact FROM notebook_terms x JOIN notebooks n ON n.seq = x.notebook_seq
          WHERE x.term_id = q.term_id AND x.notebook_seq <> ${me} AND ${readable}
          ORDER BY x.impact DESC LIMIT 1 OFFSET ${POSTINGS_PER_TERM - 1}
        ), 0) AS floor
        FROM (SELECT * FROM q ORDER BY q.w DESC, q.term_id LIMIT ${WALKED_TERMS}) q
      ),
      candidates AS (
        SELECT d.notebook_seq AS seq
        FROM floors f
          JOIN notebook_terms d ON d.term_id = f.term_id AND d.impact >= f.floor
          JOIN notebooks n ON n.seq = d.notebook_seq
        WHERE d.notebook_seq <> ${me} AND ${readable}
        GROUP BY d.notebook_seq
        ORDER BY sum(f.w * f.idf * d.impact) DESC, d.notebook_seq
        LIMIT ${params.add(Math.max(MIN_CANDIDATES, 10 * limit))}
      ),
      scored AS (
        SELECT c.seq, sum(q.w * q.idf * (d.text_weight + d.metadata_weight)) AS dot,
          sqrt(sum(((d.text_weight + d.metadata_weight) * ${IDF_SQL}) * ((d.text_weight + d.metadata_weight) * ${IDF_SQL}))) AS norm
        FROM candidates c
          JOIN notebook_terms d ON d.notebook_seq = c.seq
          JOIN similarity_terms s ON s.id = d.term_id
          LEFT JOIN q ON q.term_id = d.term_id
          CROSS JOIN corpus
        GROUP BY c.seq
      )
      SELECT n.seq, n.id, scored.dot / scored.norm / (SELECT sqrt(sum(q.w * q.w)) FROM q) AS score
      FROM scored JOIN notebooks n ON n.seq = scored.seq
      ORDER BY score DESC, n.id COLLATE "C"
      LIMIT ${params.add(limit)}`,
      params.values
    );
    const shared = await this._sharedTerms(
      seq,
      rows.map(row => row.seq)
    );
    return rows.map(row => ({ id: row.id, score: row.score, shared: shared.get(row.seq) ?? [] }));
  }

  async pending(): Promise<string[]> {
    const rows = await this._db.query<{ notebook_id: string }>('SELECT notebook_id FROM similarity_reindex_queue');
    return rows.map(row => row.notebook_id);
  }

  async clearPending(id: string): Promise<void> {
    await this._db.execute('DELETE FROM similarity_reindex_queue WHERE notebook_id = $1', [id]);
  }

  /** For each of `others`, the terms it shares with notebook `seq` that add most to their similarity. */
  private async _sharedTerms(seq: number, others: readonly number[]): Promise<Map<number, ISharedTerm[]>> {
    if (others.length === 0) {
      return new Map();
    }
    const rows = await this._db.query<ISharedTermRow>(
      `WITH ${queryTermsSql('$1')}
      SELECT d.notebook_seq AS seq, s.kind, s.term
      FROM notebook_terms d JOIN q ON q.term_id = d.term_id JOIN similarity_terms s ON s.id = d.term_id
      WHERE d.notebook_seq = ANY($2::bigint[])
      ORDER BY d.notebook_seq, q.w * q.idf * (d.text_weight + d.metadata_weight) DESC, s.kind COLLATE "C",
        s.term COLLATE "C"`,
      [seq, others]
    );
    return sharedTerms(rows);
  }

  /**
   * strongestTerms with the document counts read from the table: its candidates are the heaviest terms whatever
   * their counts, so a first pass learns which it asks for and the second answers them.
   */
  private async _strongest(
    candidates: readonly IWeightedTerm[],
    budget: number,
    corpus: number
  ): Promise<IWeightedTerm[]> {
    let asked: readonly IWeightedTerm[] = [];
    strongestTerms(candidates, budget, corpus, terms => {
      asked = terms;
      return terms.map(() => 0);
    });
    const counts = await this._documents(asked);
    return strongestTerms(candidates, budget, corpus, terms => terms.map(term => counts.get(termKey(term)) ?? 0));
  }

  /** Adds the strongest terms of title, description and tags to `wanted` as their metadata weights. */
  private async _mergeMetadata(
    wanted: Map<string, IStoredTerm>,
    metadata: INotebookMetadata,
    corpus: number
  ): Promise<void> {
    addMetadataTerms(wanted, await this._strongest(metadataTerms(metadata), METADATA_TERMS, corpus));
  }

  /**
   * Makes the stored vector of `seq` equal `wanted`, keeping each term's document count in step: every term whose
   * count changes is visited in one fixed order (kind, then term), its count moved and its row written in that visit.
   */
  private async _replace(seq: number, wanted: ReadonlyMap<string, IStoredTerm>, keepVector = true): Promise<void> {
    const stored = await this._stored(seq);
    const norm = vectorNorm(wanted);
    const keys = [...new Set([...stored.keys(), ...wanted.keys()])].sort(Private.byteOrder);
    for (const key of keys) {
      const old = stored.get(key);
      const row = wanted.get(key);
      if (row === undefined && old !== undefined) {
        await this._db.execute('DELETE FROM notebook_terms WHERE notebook_seq = $1 AND term_id = $2', [seq, old.id]);
        // Read under the row's lock: another save may be dropping the same term, and the count must never reach 0.
        const term = await this._db.queryOne<{ documents: number }>(
          'SELECT documents FROM similarity_terms WHERE id = $1 FOR UPDATE',
          [old.id]
        );
        await this._db.execute(
          term?.documents === 1
            ? 'DELETE FROM similarity_terms WHERE id = $1'
            : 'UPDATE similarity_terms SET documents = documents - 1 WHERE id = $1',
          [old.id]
        );
      } else if (row !== undefined) {
        const impact = (row.text + row.metadata) / norm;
        if (old === undefined) {
          const added = await this._db.queryOne<{ id: number }>(
            `INSERT INTO similarity_terms (kind, term, documents) VALUES ($1, $2, 1)
             ON CONFLICT (kind, term) DO UPDATE SET documents = similarity_terms.documents + 1 RETURNING id`,
            [row.kind, row.term]
          );
          await this._db.execute(
            `INSERT INTO notebook_terms (notebook_seq, term_id, text_weight, metadata_weight, impact)
             VALUES ($1, $2, $3, $4, $5)`,
            [seq, added?.id, row.text, row.metadata, impact]
          );
        } else if (old.text !== row.text || old.metadata !== row.metadata || old.impact !== impact) {
          await this._db.execute(
            `UPDATE notebook_terms SET text_weight = $3, metadata_weight = $4, impact = $5
             WHERE notebook_seq = $1 AND term_id = $2`,
            [seq, old.id, row.text, row.metadata, impact]
          );
        }
      }
    }
    if (keepVector) {
      await this._db.execute('INSERT INTO similarity_vectors (notebook_seq) VALUES ($1) ON CONFLICT DO NOTHING', [seq]);
    }
  }

  /** How many vectors hold each of `terms` now, by key (absent: none). */
  private async _documents(terms: readonly IWeightedTerm[]): Promise<Map<string, number>> {
    const counts = new Map<string, number>();
    if (terms.length === 0) {
      return counts;
    }
    const rows = await this._db.query<{ kind: TermKind; term: string; documents: number }>(
      `SELECT s.kind, s.term, s.documents FROM similarity_terms s
       JOIN unnest($1::text[], $2::text[]) AS t (kind, term) ON s.kind = t.kind AND s.term = t.term`,
      [terms.map(term => term.kind), terms.map(term => term.term)]
    );
    for (const row of rows) {
      counts.set(termKey(row), row.documents);
    }
    return counts;
  }

  /** Notebook `seq`'s stored terms, by key; its rows stay locked to the end of the transaction. */
  private async _stored(seq: number): Promise<Map<string, IStoredTermRow>> {
    const rows = await this._db.query<IStoredTermRow>(
      `SELECT t.term_id AS id, s.kind, s.term, t.text_weight AS text, t.metadata_weight AS metadata, t.impact
       FROM notebook_terms t JOIN similarity_terms s ON s.id = t.term_id WHERE t.notebook_seq = $1
       FOR UPDATE OF t`,
      [seq]
    );
    return new Map(rows.map(row => [termKey(row), row]));
  }

  private async _corpus(): Promise<number> {
    const row = await this._db.queryOne<{ n: number }>('SELECT count(*) AS n FROM similarity_vectors');
    return row?.n ?? 0;
  }
}

namespace Private {
  /** Byte order of UTF-16 strings as PostgreSQL's "C" collation orders their UTF-8 (outside surrogate pairs). */
  export function byteOrder(a: string, b: string): number {
    return a < b ? -1 : a > b ? 1 : 0;
  }
}

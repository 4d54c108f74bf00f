import type { INotebookSearchText } from '@notebook-gallery/core';
import type { Statement } from 'better-sqlite3';
import type { ICaller } from '../../auth/permissions';
import type { GalleryDatabase } from '../../db/database';
import {
  metadataTerms,
  METADATA_TERMS,
  strongestTerms,
  textTerms,
  TEXT_TERMS,
  type IWeightedTerm
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
import { readableNotebooksSql } from './readableNotebooksSql';
import { SqliteConnectionGate } from './sqliteConnectionGate';

/** `ln(1 + N / df)` in SQL, the inverse document frequency of term `s` now (as in termVectors.ts). */
const IDF_SQL = 'ln(1.0 + corpus.n * 1.0 / s.documents)';

/** The query notebook's terms: `w` is its weight times the idf. One parameter: the notebook's seq. */
const QUERY_TERMS_SQL = `
  corpus AS (SELECT count(*) AS n FROM similarity_vectors),
  q AS (
    SELECT t.term_id, (t.text_weight + t.metadata_weight) * ${IDF_SQL} AS w, ${IDF_SQL} AS idf
    FROM notebook_terms t JOIN similarity_terms s ON s.id = t.term_id, corpus
    WHERE t.notebook_seq = ?
  )`;

/**
 * Term vectors in three tables (migration 9): `similarity_terms` (each term once, with `documents`, the number of
 * vectors holding it), `notebook_terms` (a notebook's terms, with an index by term and impact) and
 * `similarity_vectors` (one row per notebook with a vector; their count is N).
 */
export class SqliteSimilarityRepository implements ISimilarityRepository {
  private readonly _statements: ReturnType<typeof Private.prepare>;
  /** The similar query, compiled once per form of the read rule (anonymous, admin, user). */
  private readonly _similarQueries = new Map<string, Statement>();

  private readonly _gate: SqliteConnectionGate;

  constructor(private readonly _db: GalleryDatabase) {
    this._gate = SqliteConnectionGate.of(_db);
    this._statements = Private.prepare(_db);
  }

  async put(seq: number, metadata: INotebookMetadata, text: INotebookSearchText): Promise<void> {
    return this._gate.run(() => {
      this._db.transaction(() => {
        const corpus = this._corpus();
        const wanted = textVector(strongestTerms(textTerms(text), TEXT_TERMS, corpus, terms => this._documents(terms)));
        this._mergeMetadata(wanted, metadata, corpus);
        this._replace(seq, wanted);
      })();
    });
  }

  async putMetadata(seq: number, metadata: INotebookMetadata): Promise<void> {
    return this._gate.run(() => {
      this._db.transaction(() => {
        const wanted = storedTextVector(this._stored(seq).values());
        this._mergeMetadata(wanted, metadata, this._corpus());
        this._replace(seq, wanted);
      })();
    });
  }

  async remove(seq: number): Promise<void> {
    return this._gate.run(() => {
      this._db.transaction(() => {
        for (const row of this._stored(seq).values()) {
          this._statements.deleteRow.run(seq, row.id);
          this._dropDocument(row.id);
        }
        this._statements.deleteVector.run(seq);
      })();
    });
  }

  async similar(caller: ICaller, seq: number, limit: number): Promise<ISimilarNotebook[]> {
    return this._gate.run(() => {
      const readable = readableNotebooksSql(caller);
      // Each walked term's walk stops at the impact of its POSTINGS_PER_TERM-th readable notebook (0 when it has
      // fewer); the candidates are scored exactly with every term they hold: cosine of the weights times the idf now.
      // Equal weights and equal candidate scores are broken by id, as PostgreSQL's twin does, so which terms are
      // walked and which candidates are kept never depends on the plan.
      let query = this._similarQueries.get(readable.sql);
      if (query === undefined) {
        query = this._db.prepare(
          `WITH ${QUERY_TERMS_SQL},
        floors AS (
          SELECT q.term_id, q.w, q.idf, coalesce((
            SELECT x.impact FROM notebook_terms x JOIN notebooks n ON n.seq = x.notebook_seq
            WHERE x.term_id = q.term_id AND x.notebook_seq <> ? AND ${readable.sql}
            ORDER BY x.impact DESC LIMIT 1 OFFSET ${POSTINGS_PER_TERM - 1}
          ), 0) AS floor
          FROM (SELECT * FROM q ORDER BY q.w DESC, q.term_id LIMIT ${WALKED_TERMS}) q
        ),
        candidates AS (
          SELECT d.notebook_seq AS seq
          FROM floors f
            JOIN notebook_terms d ON d.term_id = f.term_id AND d.impact >= f.floor
            JOIN notebooks n ON n.seq = d.notebook_seq
          WHERE d.notebook_seq <> ? AND ${readable.sql}
          GROUP BY d.notebook_seq
          ORDER BY sum(f.w * f.idf * d.impact) DESC, d.notebook_seq
          LIMIT ?
        ),
        scored AS (
          SELECT c.seq, sum(q.w * q.idf * (d.text_weight + d.metadata_weight)) AS dot,
            sqrt(sum(((d.text_weight + d.metadata_weight) * ${IDF_SQL}) * ((d.text_weight + d.metadata_weight) * ${IDF_SQL}))) AS norm
          FROM candidates c
            JOIN notebook_terms d ON d.notebook_seq = c.seq
            JOIN similarity_terms s ON s.id = d.term_id
            LEFT JOIN q ON q.term_id = d.term_id, corpus
          GROUP BY c.seq
        )
        SELECT n.seq, n.id, scored.dot / scored.norm / (SELECT sqrt(sum(q.w * q.w)) FROM q) AS score
        FROM scored JOIN notebooks n ON n.seq = scored.seq
        ORDER BY score DESC, n.id
        LIMIT ?`
        );
        this._similarQueries.set(readable.sql, query);
      }
      const rows = query.all(
        seq,
        seq,
        ...readable.params,
        seq,
        ...readable.params,
        Math.max(MIN_CANDIDATES, 10 * limit),
        limit
      ) as {
        seq: number;
        id: string;
        score: number;
      }[];
      const shared = this._sharedTerms(
        seq,
        rows.map(row => row.seq)
      );
      return rows.map(row => ({ id: row.id, score: row.score, shared: shared.get(row.seq) ?? [] }));
    });
  }

  async pending(): Promise<string[]> {
    return this._gate.run(() =>
      (this._db.prepare('SELECT notebook_id FROM similarity_reindex_queue').all() as { notebook_id: string }[]).map(
        row => row.notebook_id
      )
    );
  }

  async clearPending(id: string): Promise<void> {
    return this._gate.run(() => {
      this._db.prepare('DELETE FROM similarity_reindex_queue WHERE notebook_id = ?').run(id);
    });
  }

  /** For each of `others`, the terms it shares with notebook `seq` that add most to their similarity. */
  private _sharedTerms(seq: number, others: readonly number[]): Map<number, ISharedTerm[]> {
    if (others.length === 0) {
      return new Map();
    }
    const rows = this._db
      .prepare(
        `WITH ${QUERY_TERMS_SQL}
        SELECT d.notebook_seq AS seq, s.kind, s.term
        FROM notebook_terms d JOIN q ON q.term_id = d.term_id JOIN similarity_terms s ON s.id = d.term_id
        WHERE d.notebook_seq IN (${others.map(() => '?').join(', ')})
        ORDER BY d.notebook_seq, q.w * q.idf * (d.text_weight + d.metadata_weight) DESC, s.kind, s.term`
      )
      .all(seq, ...others) as ISharedTermRow[];
    return sharedTerms(rows);
  }

  /** Adds the strongest terms of title, description and tags to `wanted` as their metadata weights. */
  private _mergeMetadata(wanted: Map<string, IStoredTerm>, metadata: INotebookMetadata, corpus: number): void {
    const strongest = strongestTerms(metadataTerms(metadata), METADATA_TERMS, corpus, terms => this._documents(terms));
    addMetadataTerms(wanted, strongest);
  }

  /** Makes the stored vector of `seq` equal `wanted`, keeping each term's document count in step. */
  private _replace(seq: number, wanted: ReadonlyMap<string, IStoredTerm>): void {
    const stored = this._stored(seq);
    for (const [key, row] of stored) {
      if (!wanted.has(key)) {
        this._statements.deleteRow.run(seq, row.id);
        this._dropDocument(row.id);
      }
    }
    const norm = vectorNorm(wanted);
    for (const [key, row] of wanted) {
      const impact = (row.text + row.metadata) / norm;
      const old = stored.get(key);
      if (old === undefined) {
        const { id } = this._statements.addDocument.get(row.kind, row.term) as { id: number };
        this._statements.insertRow.run(seq, id, row.text, row.metadata, impact);
      } else if (old.text !== row.text || old.metadata !== row.metadata || old.impact !== impact) {
        this._statements.updateRow.run(row.text, row.metadata, impact, seq, old.id);
      }
    }
    this._statements.putVector.run(seq);
  }

  /** How many vectors hold each of `terms` now (0 for a term none holds). */
  private _documents(terms: readonly IWeightedTerm[]): number[] {
    const counts = new Map<string, number>();
    for (const kind of new Set(terms.map(term => term.kind))) {
      const names = terms.filter(term => term.kind === kind).map(term => term.term);
      const rows = this._statements.documents.all(kind, JSON.stringify(names)) as { term: string; documents: number }[];
      for (const row of rows) {
        counts.set(termKey({ kind, term: row.term }), row.documents);
      }
    }
    return terms.map(term => counts.get(termKey(term)) ?? 0);
  }

  private _stored(seq: number): Map<string, IStoredTermRow> {
    const rows = this._statements.stored.all(seq) as IStoredTermRow[];
    return new Map(rows.map(row => [termKey(row), row]));
  }

  /** One vector fewer holds the term; a term none holds any more is deleted. */
  private _dropDocument(termId: number): void {
    if (this._statements.deleteLastDocument.run(termId).changes === 0) {
      this._statements.dropDocument.run(termId);
    }
  }

  private _corpus(): number {
    return (this._statements.corpus.get() as { n: number }).n;
  }
}

namespace Private {
  /** The statements a save runs many times, compiled once. */
  export function prepare(db: GalleryDatabase) {
    return {
      corpus: db.prepare('SELECT count(*) AS n FROM similarity_vectors'),
      documents: db.prepare(
        'SELECT term, documents FROM similarity_terms WHERE kind = ? AND term IN (SELECT value FROM json_each(?))'
      ),
      stored: db.prepare(
        `SELECT t.term_id AS id, s.kind, s.term, t.text_weight AS text, t.metadata_weight AS metadata, t.impact
         FROM notebook_terms t JOIN similarity_terms s ON s.id = t.term_id WHERE t.notebook_seq = ?`
      ),
      addDocument: db.prepare(
        `INSERT INTO similarity_terms (kind, term, documents) VALUES (?, ?, 1)
         ON CONFLICT (kind, term) DO UPDATE SET documents = documents + 1 RETURNING id`
      ),
      dropDocument: db.prepare('UPDATE similarity_terms SET documents = documents - 1 WHERE id = ?'),
      deleteLastDocument: db.prepare('DELETE FROM similarity_terms WHERE id = ? AND documents = 1'),
      insertRow: db.prepare(
        `INSERT INTO notebook_terms (notebook_seq, term_id, text_weight, metadata_weight, impact)
         VALUES (?, ?, ?, ?, ?)`
      ),
      updateRow: db.prepare(
        `UPDATE notebook_terms SET text_weight = ?, metadata_weight = ?, impact = ?
         WHERE notebook_seq = ? AND term_id = ?`
      ),
      deleteRow: db.prepare('DELETE FROM notebook_terms WHERE notebook_seq = ? AND term_id = ?'),
      putVector: db.prepare('INSERT OR IGNORE INTO similarity_vectors (notebook_seq) VALUES (?)'),
      deleteVector: db.prepare('DELETE FROM similarity_vectors WHERE notebook_seq = ?')
    };
  }
}

import type { ICaller } from '../../auth/permissions';
import type { GalleryDatabase } from '../../db/database';
import type { INotebookEmbeddings } from '../../search/embedding/notebookEmbeddings';
import type { IEmbeddingFilter, IEmbeddingRepository, INearNotebook, IQueuedNotebook } from '../embeddingRepository';
import { listFilterSql } from './notebookListFilter';
import { SqliteTermVocabulary } from './sqliteSearchIndex';
import { SqliteConnectionGate } from './sqliteConnectionGate';

import { METADATA_SHARE, nextBatch, VectorMemory } from '../../search/embedding/vectorMemory';

/** Re-exported for the embedding bench, which blends the same way. */
export { METADATA_SHARE };

/**
 * The table `notebook_embeddings` (migration 14; the model that made them since 16): two int8 BLOBs per notebook,
 * and `embedding_queue` (migration 16), the notebooks to embed again. Searched by brute force over a copy
 * in memory that each connection keeps current by `version`; the read rule is applied in SQL to the best scores.
 */
export class SqliteEmbeddingRepository implements IEmbeddingRepository {
  private readonly _vocabulary: SqliteTermVocabulary;
  /** The vectors as of the last search on this connection (a read worker keeps one for its life). */
  private readonly _memory = new VectorMemory();

  private readonly _gate: SqliteConnectionGate;

  constructor(private readonly _db: GalleryDatabase) {
    this._gate = SqliteConnectionGate.of(_db);
    this._vocabulary = new SqliteTermVocabulary(_db);
  }

  async enqueue(seq: number): Promise<void> {
    return this._gate.run(() => {
      this._db
        .prepare(
          `INSERT INTO embedding_queue (notebook_seq, queued) VALUES (?, 1)
         ON CONFLICT (notebook_seq) DO UPDATE SET queued = embedding_queue.queued + 1`
        )
        .run(seq);
    });
  }

  async enqueueStale(model: string): Promise<number> {
    return this._gate.run(() =>
      this._db.transaction(() => {
        this._db.prepare('DELETE FROM notebook_embeddings WHERE model <> ?').run(model);
        this._db
          .prepare(
            `INSERT INTO embedding_queue (notebook_seq, queued)
           SELECT n.seq, 1 FROM notebooks n
           WHERE NOT EXISTS (SELECT 1 FROM notebook_embeddings e WHERE e.notebook_seq = n.seq)
           ON CONFLICT (notebook_seq) DO NOTHING`
          )
          .run();
        return (this._db.prepare('SELECT count(*) AS count FROM embedding_queue').get() as { count: number }).count;
      })()
    );
  }

  async queued(limit: number): Promise<IQueuedNotebook[]> {
    return this._gate.run(() => {
      const rows = this._db
        .prepare(
          `SELECT q.notebook_seq AS seq, q.queued, s.title, s.description, s.tags, s.markdown, s.code
         FROM embedding_queue q JOIN notebook_search s ON s.rowid = q.notebook_seq
         ORDER BY q.notebook_seq LIMIT ?`
        )
        .all(limit) as {
        seq: number;
        queued: number;
        title: string | null;
        description: string | null;
        tags: string | null;
        markdown: string | null;
        code: string | null;
      }[];
      return rows.map(row => ({
        seq: row.seq,
        queued: row.queued,
        title: row.title ?? '',
        description: row.description ?? '',
        tags: (row.tags ?? '').split(' ').filter(tag => tag !== ''),
        markdown: row.markdown ?? '',
        code: row.code ?? ''
      }));
    });
  }

  async put(seq: number, embeddings: INotebookEmbeddings, model: string, queued: number): Promise<void> {
    return this._gate.run(() =>
      this._db.transaction(() => {
        this._db
          .prepare(
            `INSERT INTO notebook_embeddings (notebook_seq, metadata_vector, text_vector, version, model)
           SELECT ?, ?, ?, (SELECT coalesce(max(version), 0) + 1 FROM notebook_embeddings), ?
           WHERE EXISTS (SELECT 1 FROM notebooks WHERE seq = ?)
           ON CONFLICT (notebook_seq) DO UPDATE SET metadata_vector = excluded.metadata_vector,
             text_vector = excluded.text_vector, version = excluded.version, model = excluded.model`
          )
          .run(seq, blob(embeddings.metadata), blob(embeddings.text), model, seq);
        this._db.prepare('DELETE FROM embedding_queue WHERE notebook_seq = ? AND queued = ?').run(seq, queued);
      })()
    );
  }

  async remove(seq: number): Promise<void> {
    return this._gate.run(() => {
      this._db.prepare('DELETE FROM notebook_embeddings WHERE notebook_seq = ?').run(seq);
      this._db.prepare('DELETE FROM embedding_queue WHERE notebook_seq = ?').run(seq);
    });
  }

  async nearest(
    caller: ICaller,
    filter: IEmbeddingFilter,
    query: Float32Array,
    limit: number,
    minScore: number
  ): Promise<INearNotebook[]> {
    return this._gate.run(() => {
      // The listing's own filter builder, without q: the read rule and the request's filters, nothing else.
      const list = listFilterSql(caller, { ...filter, q: undefined }, this._vocabulary);
      if (list === null || limit <= 0) {
        return [];
      }
      this._refresh();
      // The memory ranks every vector once per search (see VectorMemory.rank); its best are checked against the read
      // rule and filters in SQL, more at a time until `limit` pass or none above minScore is left.
      const found: INearNotebook[] = [];
      const ranking = this._memory.rank(query, minScore);
      for (let checked = 0; found.length < limit;) {
        const candidates = ranking.next(nextBatch(checked, found.length, limit - found.length));
        if (candidates.length === 0) {
          break;
        }
        const seqs = candidates.map(candidate => candidate.seq);
        // Without q the row source has no parameters: list.params are the conditions'.
        const allowed = new Map(
          this._db
            .prepare(
              `SELECT n.seq, n.id FROM ${list.source} n
             WHERE ${list.where.join(' AND ')} AND n.seq IN (${seqs.map(() => '?').join(', ')})`
            )
            .raw()
            .all(...list.params, ...seqs) as [number, string][]
        );
        for (const candidate of candidates) {
          const id = allowed.get(candidate.seq);
          if (id !== undefined && found.length < limit) {
            found.push({ seq: candidate.seq, id, score: candidate.score });
          }
        }
        checked += candidates.length;
      }
      // A later batch may hold one that the wider front scored above one of an earlier batch.
      return found.sort((a, b) => b.score - a.score);
    });
  }

  /** Reads the vectors written since the last look into memory. */
  private _refresh(): void {
    const rows = this._db
      .prepare(
        `SELECT notebook_seq, metadata_vector, text_vector, version FROM notebook_embeddings
         WHERE version > ? ORDER BY version`
      )
      .raw()
      .all(this._memory.version) as [number, Buffer, Buffer, number][];
    for (const [seq, metadata, text, version] of rows) {
      this._memory.set(seq, int8(metadata), int8(text), version);
    }
  }
}

function blob(vector: Int8Array): Buffer {
  return Buffer.from(vector.buffer, vector.byteOffset, vector.byteLength);
}

function int8(value: Buffer): Int8Array {
  return new Int8Array(value.buffer, value.byteOffset, value.byteLength);
}

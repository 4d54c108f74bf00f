import type { ICaller } from '../../auth/permissions';
import type { PgDatabase } from '../../db/postgres/pgDatabase';
import type { INotebookEmbeddings } from '../../search/embedding/notebookEmbeddings';
import { nextBatch, VectorMemory } from '../../search/embedding/vectorMemory';
import type { IEmbeddingFilter, IEmbeddingRepository, INearNotebook, IQueuedNotebook } from '../embeddingRepository';
import { pgListFilter } from './pgNotebookListFilter';
import { PgParams } from './pgParams';

/**
 * The table `notebook_embeddings` in PostgreSQL: two int8 `bytea` vectors per notebook, searched by brute force over
 * a copy in this process's memory (VectorMemory, as SQLite does), the read rule and filters applied in SQL to the
 * best scores.
 *
 * The copy is refreshed with the rows written since the last look. SQLite tells them by `version`, a counter only
 * its one writer moves; here several replicas write at once, and a transaction that took a smaller counter may
 * commit after a reader has passed it. So a trigger records the transaction that last wrote each row
 * (`notebook_embedding_writes`, schema version 2; a table of its own so `notebook_embeddings` keeps SQLite's columns
 * and a copy by migrate-to-postgres is recorded too), and a refresh reads the rows written by transactions at or
 * after the oldest one that was still running at the previous refresh (`pg_snapshot_xmin`): nothing committed later
 * can be older than that. `version` is kept as in SQLite, so both schemas stay alike.
 */
export class PgEmbeddingRepository implements IEmbeddingRepository {
  private readonly _memory = new VectorMemory();
  /** The oldest transaction running at the last refresh; every row written since is at or after it. */
  private _horizon = 0n;

  constructor(private readonly _db: PgDatabase) {}

  async enqueue(seq: number): Promise<void> {
    await this._db.execute(
      `INSERT INTO embedding_queue (notebook_seq, queued) VALUES ($1, 1)
       ON CONFLICT (notebook_seq) DO UPDATE SET queued = embedding_queue.queued + 1`,
      [seq]
    );
  }

  async enqueueStale(model: string): Promise<number> {
    const rows = await this._db.query<{ count: string }>(
      `WITH dropped AS (DELETE FROM notebook_embeddings WHERE model <> $1 RETURNING notebook_seq),
       added AS (
         INSERT INTO embedding_queue (notebook_seq, queued)
         SELECT n.seq, 1 FROM notebooks n
         WHERE NOT EXISTS (SELECT 1 FROM notebook_embeddings e WHERE e.notebook_seq = n.seq AND e.model = $1)
         ON CONFLICT (notebook_seq) DO NOTHING
         RETURNING notebook_seq
       )
       SELECT ((SELECT count(*) FROM embedding_queue) + (SELECT count(*) FROM added))::text AS count`,
      [model]
    );
    return Number(rows[0]?.count ?? 0);
  }

  async queued(limit: number): Promise<IQueuedNotebook[]> {
    const rows = await this._db.query<{
      seq: number;
      queued: number;
      title: string;
      description: string;
      tags: string;
      markdown: string;
      code: string;
    }>(
      `SELECT q.notebook_seq AS seq, q.queued, s.title, s.description, s.tags, s.markdown, s.code
       FROM embedding_queue q JOIN notebook_search s ON s.seq = q.notebook_seq
       ORDER BY q.notebook_seq LIMIT $1`,
      [limit]
    );
    return rows.map(row => ({
      ...row,
      seq: Number(row.seq),
      queued: Number(row.queued),
      tags: row.tags.split(' ').filter(tag => tag !== '')
    }));
  }

  async put(seq: number, embeddings: INotebookEmbeddings, model: string, queued: number): Promise<void> {
    // One statement, so the vectors and the queue change together without a transaction of their own.
    await this._db.execute(
      `WITH done AS (DELETE FROM embedding_queue WHERE notebook_seq = $1 AND queued = $5)
       INSERT INTO notebook_embeddings (notebook_seq, metadata_vector, text_vector, version, model)
       SELECT $1, $2, $3, (SELECT coalesce(max(version), 0) + 1 FROM notebook_embeddings), $4
       WHERE EXISTS (SELECT 1 FROM notebooks WHERE seq = $1)
       ON CONFLICT (notebook_seq) DO UPDATE SET metadata_vector = excluded.metadata_vector,
         text_vector = excluded.text_vector, version = excluded.version, model = excluded.model`,
      [seq, Private.bytes(embeddings.metadata), Private.bytes(embeddings.text), model, queued]
    );
  }

  async remove(seq: number): Promise<void> {
    await this._db.execute('DELETE FROM notebook_embeddings WHERE notebook_seq = $1', [seq]);
    await this._db.execute('DELETE FROM embedding_queue WHERE notebook_seq = $1', [seq]);
  }

  async nearest(
    caller: ICaller,
    filter: IEmbeddingFilter,
    query: Float32Array,
    limit: number,
    minScore: number
  ): Promise<INearNotebook[]> {
    // The listing's own filter builder, without q: the read rule and the request's filters, nothing else.
    const params = new PgParams();
    const list = await pgListFilter(this._db, caller, { ...filter, q: undefined }, params, false);
    if (list === null || limit <= 0) {
      return [];
    }
    await this._refresh();
    const seqs = `$${params.values.length + 1}::bigint[]`;
    const found: INearNotebook[] = [];
    const ranking = this._memory.rank(query, minScore);
    for (let checked = 0; found.length < limit;) {
      const candidates = ranking.next(nextBatch(checked, found.length, limit - found.length));
      if (candidates.length === 0) {
        break;
      }
      const rows = await this._db.query<{ seq: number; id: string }>(
        `SELECT n.seq, n.id FROM ${list.source} n WHERE ${list.where.join(' AND ')} AND n.seq = ANY(${seqs})`,
        [...params.values, candidates.map(candidate => candidate.seq)]
      );
      const allowed = new Map(rows.map(row => [row.seq, row.id]));
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
  }

  /** Reads into memory the vectors written since the last refresh (and a few seen already, harmlessly). */
  private async _refresh(): Promise<void> {
    const rows = await this._db.query<{
      horizon: string;
      notebook_seq: number | null;
      metadata_vector: Buffer | null;
      text_vector: Buffer | null;
    }>(
      `WITH h AS (SELECT pg_snapshot_xmin(pg_current_snapshot()) AS xmin)
       SELECT h.xmin::text AS horizon, e.notebook_seq, e.metadata_vector, e.text_vector
       FROM h LEFT JOIN (notebook_embedding_writes w JOIN notebook_embeddings e ON e.notebook_seq = w.notebook_seq)
         ON w.written_xid >= $1::text::xid8
       ORDER BY w.written_xid`,
      [this._horizon.toString()]
    );
    for (const row of rows) {
      if (row.notebook_seq !== null && row.metadata_vector !== null && row.text_vector !== null) {
        this._memory.set(row.notebook_seq, Private.int8(row.metadata_vector), Private.int8(row.text_vector), 0);
      }
    }
    const horizon = rows.length > 0 ? BigInt(rows[0].horizon) : this._horizon;
    if (horizon > this._horizon) {
      this._horizon = horizon;
    }
  }
}

namespace Private {
  export function bytes(vector: Int8Array): Buffer {
    return Buffer.from(vector.buffer, vector.byteOffset, vector.byteLength);
  }

  export function int8(value: Buffer): Int8Array {
    return new Int8Array(value.buffer, value.byteOffset, value.byteLength);
  }
}

import type { ICaller } from '../../auth/permissions';
import type { GalleryDatabase } from '../../db/database';
import { cosine, type INotebookEmbeddings } from '../../search/embedding/notebookEmbeddings';
import type {
  IEmbeddingFilter,
  IEmbeddingRepository,
  IIndexedNotebookText,
  INearNotebook
} from '../embeddingRepository';
import { listFilterSql } from './notebookListFilter';
import { SqliteTermVocabulary } from './sqliteSearchIndex';

/**
 * How much the metadata embedding counts against the cells' one: a title says what a notebook is about in few words,
 * the cells in many (tuned on the evaluation's tuned-on queries; the held-out ones agree).
 */
export const METADATA_SHARE = 0.5;

/** The table `notebook_embeddings` (migration 12): two int8 BLOBs per notebook, searched by brute force. */
export class SqliteEmbeddingRepository implements IEmbeddingRepository {
  private readonly _vocabulary: SqliteTermVocabulary;

  constructor(private readonly _db: GalleryDatabase) {
    this._vocabulary = new SqliteTermVocabulary(_db);
  }

  put(seq: number, embeddings: INotebookEmbeddings): void {
    this._db
      .prepare(
        `INSERT INTO notebook_embeddings (notebook_seq, metadata_vector, text_vector) VALUES (?, ?, ?)
         ON CONFLICT (notebook_seq) DO UPDATE SET metadata_vector = excluded.metadata_vector,
           text_vector = excluded.text_vector`
      )
      .run(seq, blob(embeddings.metadata), blob(embeddings.text));
  }

  putMetadata(seq: number, metadata: Int8Array): void {
    this._db
      .prepare('UPDATE notebook_embeddings SET metadata_vector = ? WHERE notebook_seq = ?')
      .run(blob(metadata), seq);
  }

  remove(seq: number): void {
    this._db.prepare('DELETE FROM notebook_embeddings WHERE notebook_seq = ?').run(seq);
  }

  missing(limit: number): IIndexedNotebookText[] {
    const rows = this._db
      .prepare(
        `SELECT n.seq, s.title, s.description, s.tags, s.markdown, s.code
         FROM notebooks n JOIN notebook_search s ON s.rowid = n.seq
         WHERE NOT EXISTS (SELECT 1 FROM notebook_embeddings e WHERE e.notebook_seq = n.seq)
         ORDER BY n.seq LIMIT ?`
      )
      .all(limit) as {
      seq: number;
      title: string | null;
      description: string | null;
      tags: string | null;
      markdown: string | null;
      code: string | null;
    }[];
    return rows.map(row => ({
      seq: row.seq,
      title: row.title ?? '',
      description: row.description ?? '',
      tags: (row.tags ?? '').split(' ').filter(tag => tag !== ''),
      markdown: row.markdown ?? '',
      code: row.code ?? ''
    }));
  }

  nearest(
    caller: ICaller,
    filter: IEmbeddingFilter,
    query: Float32Array,
    limit: number,
    minScore: number
  ): INearNotebook[] {
    // The listing's own filter builder, without q: the read rule and the request's filters, nothing else.
    const list = listFilterSql(caller, { ...filter, q: undefined }, this._vocabulary);
    if (list === null || limit <= 0) {
      return [];
    }
    const rows = this._db
      .prepare(
        `SELECT n.seq, n.id, e.metadata_vector, e.text_vector
         FROM ${list.source} n JOIN notebook_embeddings e ON e.notebook_seq = n.seq
         WHERE ${list.where.join(' AND ')}`
      )
      .raw()
      .iterate(...list.params) as IterableIterator<[number, string, Buffer, Buffer]>;
    // Brute force, keeping the best `limit` in a sorted array: exact, and linear in the readable notebooks.
    const best: INearNotebook[] = [];
    for (const [seq, id, metadata, text] of rows) {
      const score = METADATA_SHARE * cosine(query, int8(metadata)) + (1 - METADATA_SHARE) * cosine(query, int8(text));
      if (score < minScore || (best.length === limit && score <= best[best.length - 1].score)) {
        continue;
      }
      let at = best.length;
      while (at > 0 && best[at - 1].score < score) {
        at--;
      }
      best.splice(at, 0, { seq, id, score });
      if (best.length > limit) {
        best.pop();
      }
    }
    return best;
  }
}

function blob(vector: Int8Array): Buffer {
  return Buffer.from(vector.buffer, vector.byteOffset, vector.byteLength);
}

function int8(value: Buffer): Int8Array {
  return new Int8Array(value.buffer, value.byteOffset, value.byteLength);
}

import type { NotebookScope } from '@notebook-gallery/core';
import type { ICaller } from '../auth/permissions';
import type { INotebookEmbeddings } from '../search/embedding/notebookEmbeddings';
import type { INotebookMetadata } from './notebookRepository';

/** A notebook's metadata and cells as the search index holds them, to embed a notebook saved before the model. */
export interface IIndexedNotebookText extends INotebookMetadata {
  seq: number;
  markdown: string;
  code: string;
}

/** A notebook close in meaning to a query. */
export interface INearNotebook {
  seq: number;
  id: string;
  /** The blended cosine of the query with the notebook's two embeddings, in [-1, 1]. */
  score: number;
}

/** Filters a caller's vector search shares with the listing (the read rule is always applied). */
export interface IEmbeddingFilter {
  scope?: NotebookScope;
  tag?: string;
  owner?: string;
  starred?: boolean;
}

/**
 * Each notebook's embeddings (see notebookEmbeddings.ts), kept current with the search index by every save,
 * metadata change and delete, in the same transaction (searchWithEmbeddings.ts).
 */
export interface IEmbeddingRepository {
  /** Replaces both embeddings of notebook `seq`. */
  put(seq: number, embeddings: INotebookEmbeddings): Promise<void>;
  /** Replaces the metadata embedding; a notebook without a row is left for the backfill. */
  putMetadata(seq: number, metadata: Int8Array): Promise<void>;
  remove(seq: number): Promise<void>;
  /** Up to `limit` notebooks that have no embeddings yet, with their indexed text. */
  missing(limit: number): Promise<IIndexedNotebookText[]>;
  /**
   * The `limit` notebooks `caller` may read (and that pass `filter`) nearest in meaning to `query`, best first, of
   * those scoring at least `minScore`.
   */
  nearest(
    caller: ICaller,
    filter: IEmbeddingFilter,
    query: Float32Array,
    limit: number,
    minScore: number
  ): Promise<INearNotebook[]>;
}

import type { NotebookScope } from '@notebook-gallery/core';
import type { ICaller } from '../auth/permissions';
import type { INotebookEmbeddings } from '../search/embedding/notebookEmbeddings';
import type { INotebookMetadata } from './notebookRepository';

/** A notebook on the embedding queue, with its metadata and cells as the search index holds them. */
export interface IQueuedNotebook extends INotebookMetadata {
  seq: number;
  markdown: string;
  code: string;
  /** How many times it was queued: its vectors leave the queue only if it was not queued again meanwhile. */
  queued: number;
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
 * Each notebook's embeddings (see notebookEmbeddings.ts) and the embedding queue: the notebooks whose vectors are
 * missing or stale. Every save, metadata change and delete queues its notebook in its own transaction
 * (searchWithEmbeddings.ts), cheaply; the queue's worker embeds them afterwards, off the request path, because a
 * transformer takes a few hundred milliseconds per notebook. The queue is a table, so a restart resumes it.
 */
export interface IEmbeddingRepository {
  /** Queues notebook `seq` (again): its vectors no longer say what it holds. */
  enqueue(seq: number): Promise<void>;
  /**
   * Drops the vectors that `model` did not make and queues every notebook without vectors of `model`: a new model
   * re-embeds everything in the background rather than compare vectors of two models. Returns how many are queued.
   */
  enqueueStale(model: string): Promise<number>;
  /** Up to `limit` queued notebooks, with their indexed text. */
  queued(limit: number): Promise<IQueuedNotebook[]>;
  /**
   * Stores both embeddings of notebook `seq`, made by `model` from its text as it was when queued for the `queued`-th
   * time, and takes it off the queue unless it was queued again since. A notebook deleted meanwhile is skipped.
   */
  put(seq: number, embeddings: INotebookEmbeddings, model: string, queued: number): Promise<void>;
  /** Drops the notebook's vectors and its place on the queue (it is being deleted). */
  remove(seq: number): Promise<void>;
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

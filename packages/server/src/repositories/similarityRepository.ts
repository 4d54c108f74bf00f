import type { INotebookSearchText } from '@notebook-gallery/core';
import type { ICaller } from '../auth/permissions';
import type { TermKind } from '../search/termVectors';
import type { INotebookMetadata } from './notebookRepository';

/** A term two notebooks share, as a reason they are similar. */
export interface ISharedTerm {
  kind: TermKind;
  term: string;
}

/** A notebook similar to another one, with its cosine similarity and the shared terms that weigh most. */
export interface ISimilarNotebook {
  id: string;
  /** Cosine similarity in (0, 1]. */
  score: number;
  /** Strongest first, at most 3, each term once whatever its kind. */
  shared: ISharedTerm[];
}

/**
 * Per-notebook term vectors (at most 64 weighted terms: packages, names in code, words) and how many notebooks hold
 * each term, kept current by every save, metadata change and delete, in the same transaction as the search index
 * (see searchWithSimilarity.ts), inside one {@link IUnitOfWork}.
 */
export interface ISimilarityRepository {
  /** Replaces the vector of notebook `seq` with one built from its metadata and text. */
  put(seq: number, metadata: INotebookMetadata, text: INotebookSearchText): Promise<void>;
  /** Replaces only the terms that come from title, description and tags, keeping those from the cells. */
  putMetadata(seq: number, metadata: INotebookMetadata): Promise<void>;
  /** Drops the vector of notebook `seq`. */
  remove(seq: number): Promise<void>;
  /**
   * The notebooks `caller` may read most similar to notebook `seq` (which is left out), best first; notebooks that
   * share no term are not similar at all. The read rule is applied in the query.
   */
  similar(caller: ICaller, seq: number, limit: number): Promise<ISimilarNotebook[]>;
  /** Ids of notebooks that have no vector yet, queued by the upgrade that added vectors. */
  pending(): Promise<string[]>;
  /** Takes a notebook off the {@link pending} queue once its vector is built (or it is gone). */
  clearPending(id: string): Promise<void>;
}

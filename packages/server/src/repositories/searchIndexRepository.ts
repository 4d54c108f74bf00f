import type { INotebookSearchText } from '@notebook-gallery/core';
import type { INotebookMetadata } from './notebookRepository';

/**
 * The full-text index over title, description, tags, markdown and code. It only indexes; the notebook listing
 * matches it (with snippets) when a list request has `q`.
 */
export interface ISearchIndex {
  /** Indexes a notebook's metadata and text under its row id, replacing what was indexed before. */
  put(seq: number, metadata: INotebookMetadata, text: INotebookSearchText): void;
  /** Re-indexes only the metadata, keeping the notebook's text. */
  putMetadata(seq: number, metadata: INotebookMetadata): void;
  /** Drops a notebook from the index. */
  remove(seq: number): void;
}

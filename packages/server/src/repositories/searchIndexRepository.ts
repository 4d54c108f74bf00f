import type { INotebookSearchText } from '@notebook-gallery/core';
import type { INotebookMetadata } from './notebookRepository';

/** What the index knows of a notebook besides its text: its metadata and the owner's display name. */
export interface ISearchEntry extends INotebookMetadata {
  /** A username, or the group's name for a group-owned notebook. */
  owner: string;
}

/**
 * The full-text index over title, description, tags, owner, kernel language, imported packages, markdown and code.
 * It only indexes; the notebook listing matches it (with snippets) when a list request has `q`.
 */
export interface ISearchIndex {
  /** Indexes a notebook's metadata and text under its row id, replacing what was indexed before. */
  put(seq: number, entry: ISearchEntry, text: INotebookSearchText): Promise<void>;
  /** Re-indexes only the metadata, keeping the notebook's text. */
  putMetadata(seq: number, metadata: INotebookMetadata): Promise<void>;
  /** Re-indexes only the owner, after a transfer. */
  putOwner(seq: number, owner: string): Promise<void>;
  /** Drops a notebook from the index. */
  remove(seq: number): Promise<void>;
  /** Ids of notebooks whose text is not indexed yet, queued by the upgrade that added columns. */
  pendingText(): Promise<string[]>;
  /** Takes a notebook off the {@link pendingText} queue once its text is indexed (or it is gone). */
  clearPending(id: string): Promise<void>;
}

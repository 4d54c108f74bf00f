import type { ILineRange } from '@notebook-gallery/core';

/** A cell comment's anchor as stored: the revision it was written on and the cell's source hash there. */
export interface ICommentAnchorRecord {
  cellId: string;
  revision: string;
  sourceHash: string;
  lines: ILineRange | null;
}

/** A comment as the database keeps it; the service adds what the caller may do with it. */
export interface ICommentRecord {
  id: string;
  notebookId: string;
  author: string;
  body: string;
  createdAt: string;
  editedAt: string | null;
  resolvedAt: string | null;
  resolvedBy: string | null;
  parentId: string | null;
  changeRequestId: string | null;
  anchor: ICommentAnchorRecord | null;
}

/** A new comment, neither edited nor resolved yet. */
export type INewComment = Omit<ICommentRecord, 'editedAt' | 'resolvedAt' | 'resolvedBy'>;

/** Comments in the database. */
export interface ICommentRepository {
  insert(comment: INewComment): Promise<void>;
  /** The comment with this id, on any notebook, or undefined. */
  find(id: string): Promise<ICommentRecord | undefined>;
  /**
   * In one query, oldest first: the notebook's comments outside change requests and the review comments of its
   * accepted change requests.
   */
  listForNotebook(notebookId: string): Promise<ICommentRecord[]>;
  /** The review comments of one change request, oldest first. */
  listForChangeRequest(changeRequestId: string): Promise<ICommentRecord[]>;
  /** Authors of the thread rooted at `rootId` (the root's and every reply's), each once. */
  threadAuthors(rootId: string): Promise<string[]>;
  setBody(id: string, body: string, editedAt: string): Promise<void>;
  /** Resolves (`at` and `by` set) or reopens (both null) the comment. */
  setResolved(id: string, at: string | null, by: string | null): Promise<void>;
  /** Removes the comment and its replies. */
  delete(id: string): Promise<void>;
}

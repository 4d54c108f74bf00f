import type { ICommentRecord, INewComment } from './commentRepository';

/** A row of `comments` as both backends return it for {@link COMMENT_COLUMNS}. */
export interface ICommentRow {
  id: string;
  notebook_id: string;
  author: string;
  body: string;
  created_at: string;
  edited_at: string | null;
  resolved_at: string | null;
  resolved_by: string | null;
  parent_id: string | null;
  change_request_id: string | null;
  cell_id: string | null;
  revision: string | null;
  source_hash: string | null;
  line_from: number | null;
  line_to: number | null;
}

/** The columns of {@link ICommentRow}, of `comments` aliased `c`. */
export const COMMENT_COLUMNS = `c.id, c.notebook_id, c.author, c.body, c.created_at, c.edited_at, c.resolved_at,
  c.resolved_by, c.parent_id, c.change_request_id, c.cell_id, c.revision, c.source_hash, c.line_from, c.line_to`;

/** The comment a row holds; it has an anchor only when cell, revision and source hash are all set. */
export function commentRecord(row: ICommentRow): ICommentRecord {
  return {
    id: row.id,
    notebookId: row.notebook_id,
    author: row.author,
    body: row.body,
    createdAt: row.created_at,
    editedAt: row.edited_at,
    resolvedAt: row.resolved_at,
    resolvedBy: row.resolved_by,
    parentId: row.parent_id,
    changeRequestId: row.change_request_id,
    anchor:
      row.cell_id !== null && row.revision !== null && row.source_hash !== null
        ? {
            cellId: row.cell_id,
            revision: row.revision,
            sourceHash: row.source_hash,
            lines: row.line_from !== null && row.line_to !== null ? { from: row.line_from, to: row.line_to } : null
          }
        : null
  };
}

/** The columns a new comment fills, in the order of {@link newCommentValues}. */
export const NEW_COMMENT_COLUMNS = `id, notebook_id, author, body, created_at, parent_id, change_request_id, cell_id,
  revision, source_hash, line_from, line_to`;

/** The values of {@link NEW_COMMENT_COLUMNS} for `comment`; an absent anchor, or its absent lines, are nulls. */
export function newCommentValues(comment: INewComment): unknown[] {
  const anchor = comment.anchor;
  return [
    comment.id,
    comment.notebookId,
    comment.author,
    comment.body,
    comment.createdAt,
    comment.parentId,
    comment.changeRequestId,
    anchor?.cellId ?? null,
    anchor?.revision ?? null,
    anchor?.sourceHash ?? null,
    anchor?.lines?.from ?? null,
    anchor?.lines?.to ?? null
  ];
}

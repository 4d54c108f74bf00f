/** Comments, threads and inbox events as the gallery server sends them. */
import type { CommentState, IComment, ICommentThread, IInboxEvent } from '@notebook-gallery/core';

export const REVISION = 'r'.repeat(40);

/** A comment by alice on cell `cellId` (null: on the notebook). */
export function comment(id: string, cellId: string | null, overrides: Partial<IComment> = {}): IComment {
  return {
    id,
    notebookId: 'nb-1',
    author: 'alice',
    body: `comment ${id}`,
    createdAt: '2026-12-01T10:00:00.000Z',
    editedAt: null,
    resolved: false,
    resolvedAt: null,
    resolvedBy: null,
    parentId: null,
    anchor: cellId === null ? null : { cellId, revision: REVISION, sourceHash: 'h'.repeat(64), lines: null },
    changeRequestId: null,
    mentions: [],
    canEdit: true,
    canDelete: true,
    canResolve: true,
    ...overrides
  };
}

/** A thread whose first comment is `id`, with `replies` replies. */
export function thread(id: string, cellId: string | null, state: CommentState, replies = 0): ICommentThread {
  return {
    comment: comment(id, cellId),
    state,
    earlier: state === 'changed' || state === 'outdated' ? { revision: REVISION, source: `old ${id}` } : null,
    replies: Array.from({ length: replies }, (_, index) =>
      comment(`${id}-reply-${index}`, cellId, { parentId: id, author: 'bob' })
    )
  };
}

/** An unread comment event from bob on alice's notebook. */
export function inboxEvent(id: string, overrides: Partial<IInboxEvent> = {}): IInboxEvent {
  return {
    id,
    kind: 'comment',
    notebookId: 'nb-1',
    notebookTitle: 'Sales forecast',
    actor: 'bob',
    commentId: 'c1',
    changeRequestId: null,
    revision: null,
    createdAt: '2026-12-01T10:00:00.000Z',
    read: false,
    ...overrides
  };
}

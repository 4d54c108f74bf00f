/**
 * API shapes of comments on notebooks, cells and line ranges of cells, with replies, edits, resolve and reopen, and
 * the review comments of change requests. Limits are constants so clients can check a comment before sending it.
 */
import { Type, type Static } from '@sinclair/typebox';
import { Nullable, TimestampSchema } from './common';

/** Longest comment text, in characters. */
export const COMMENT_BODY_MAX_LENGTH = 10_000;

/** Most distinct `@username` mentions one comment may hold. */
export const COMMENT_MENTIONS_MAX = 50;

/** How a mention is written: `@` then a username (see USERNAME_PATTERN), not preceded by a word character or `@`. */
const MENTION = /(?<![A-Za-z0-9._@-])@([A-Za-z0-9][A-Za-z0-9._-]{0,63})/g;

/**
 * The distinct usernames a comment's text mentions with `@username`, in order of first mention (a trailing `.`, as
 * at the end of a sentence, is not part of the name). `ann@example.org` is no mention.
 */
export function commentMentions(body: string): string[] {
  const names = new Set<string>();
  for (const match of body.matchAll(MENTION)) {
    names.add(match[1].replace(/[.]+$/, ''));
  }
  return [...names];
}

/** `:commentId` of a comment. */
export const CommentIdParamsSchema = Type.Object(
  { commentId: Type.String({ minLength: 1, maxLength: 64 }) },
  { additionalProperties: false }
);
export type ICommentIdParams = Static<typeof CommentIdParamsSchema>;

/** A range of lines of a cell's source, 1-based and inclusive. */
export const LineRangeSchema = Type.Object(
  { from: Type.Integer({ minimum: 1 }), to: Type.Integer({ minimum: 1 }) },
  { additionalProperties: false }
);
export type ILineRange = Static<typeof LineRangeSchema>;

/** Where a new comment goes when it is not on the notebook as a whole: a cell, or some of its lines. */
export const CommentAnchorRequestSchema = Type.Object(
  {
    cellId: Type.String({ minLength: 1, maxLength: 64 }),
    revision: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 64,
        description:
          'The revision the comment was written on; the latest when absent. A review comment is always on its change request’s proposed version'
      })
    ),
    lines: Type.Optional(LineRangeSchema)
  },
  { additionalProperties: false }
);
export type ICommentAnchorRequest = Static<typeof CommentAnchorRequestSchema>;

/** A cell comment's anchor as stored: the cell, the revision it was written on and the cell's source hash there. */
export const CommentAnchorSchema = Type.Object(
  {
    cellId: Type.String(),
    revision: Type.String({ description: 'A revision of the notebook, or for a review comment the proposal commit' }),
    sourceHash: Type.String({ description: 'SHA-256 (hex) of the cell source at that revision' }),
    lines: Nullable(LineRangeSchema)
  },
  { additionalProperties: false }
);
export type ICommentAnchor = Static<typeof CommentAnchorSchema>;

/** `POST /api/notebooks/:id/comments` body. */
export const CreateCommentRequestSchema = Type.Object(
  {
    body: Type.String({ minLength: 1, maxLength: COMMENT_BODY_MAX_LENGTH, pattern: '\\S' }),
    anchor: Type.Optional(CommentAnchorRequestSchema),
    parentId: Type.Optional(
      Type.String({ minLength: 1, maxLength: 64, description: 'Reply to this thread (its root comment)' })
    ),
    changeRequestId: Type.Optional(
      Type.String({ minLength: 1, maxLength: 64, description: 'A review comment on this change request' })
    )
  },
  { additionalProperties: false }
);
export type ICreateCommentRequest = Static<typeof CreateCommentRequestSchema>;

/** `PATCH /api/comments/:commentId` body. */
export const EditCommentRequestSchema = Type.Object(
  { body: Type.String({ minLength: 1, maxLength: COMMENT_BODY_MAX_LENGTH, pattern: '\\S' }) },
  { additionalProperties: false }
);
export type IEditCommentRequest = Static<typeof EditCommentRequestSchema>;

/** One comment, as any reader of its notebook sees it. */
export const CommentSchema = Type.Object(
  {
    id: Type.String(),
    notebookId: Type.String(),
    author: Type.String(),
    body: Type.String({ description: 'Markdown; render it sanitized' }),
    createdAt: TimestampSchema,
    editedAt: Nullable(TimestampSchema),
    resolved: Type.Boolean(),
    resolvedAt: Nullable(TimestampSchema),
    resolvedBy: Nullable(Type.String()),
    parentId: Nullable(Type.String({ description: 'The thread’s root comment; null for a root' })),
    anchor: Nullable(CommentAnchorSchema),
    changeRequestId: Nullable(Type.String()),
    mentions: Type.Array(Type.String(), { description: 'Usernames the text mentions' }),
    canEdit: Type.Boolean({ description: 'Whether the caller may edit it (its author)' }),
    canDelete: Type.Boolean(),
    canResolve: Type.Boolean()
  },
  { additionalProperties: false }
);
export type IComment = Static<typeof CommentSchema>;

/**
 * A thread's anchor against the latest revision: on the notebook; a cell whose source is as it was (`current`);
 * a cell that changed since (`changed`: "on an earlier version of this cell"); or a cell that is gone (`outdated`).
 */
export const CommentStateSchema = Type.Union([
  Type.Literal('notebook'),
  Type.Literal('current'),
  Type.Literal('changed'),
  Type.Literal('outdated')
]);
export type CommentState = Static<typeof CommentStateSchema>;

/** The cell as the comment saw it, for `changed` and `outdated` threads. */
export const EarlierCellSchema = Type.Object(
  { revision: Type.String(), source: Type.String() },
  { additionalProperties: false }
);
export type IEarlierCell = Static<typeof EarlierCellSchema>;

/** A root comment, its state, and its replies oldest first. */
export const CommentThreadSchema = Type.Object(
  {
    comment: CommentSchema,
    state: CommentStateSchema,
    earlier: Nullable(EarlierCellSchema),
    replies: Type.Array(CommentSchema)
  },
  { additionalProperties: false }
);
export type ICommentThread = Static<typeof CommentThreadSchema>;

/** `GET /api/notebooks/:id/comments` query. */
export const CommentListQuerySchema = Type.Object(
  {
    changeRequest: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 64,
        description: 'The review comments of this change request instead of the notebook’s comments'
      })
    )
  },
  { additionalProperties: false }
);
export type ICommentListQuery = Static<typeof CommentListQuerySchema>;

/**
 * `GET /api/notebooks/:id/comments` reply: threads oldest first; `threads` holds those on the notebook and on cells
 * that still exist, `outdated` those whose cell is gone from `revision` (kept, never dropped).
 */
export const CommentListResponseSchema = Type.Object(
  {
    revision: Type.String({
      description: 'What states are computed against: the latest revision, or the change request’s proposal'
    }),
    threads: Type.Array(CommentThreadSchema),
    outdated: Type.Array(CommentThreadSchema)
  },
  { additionalProperties: false }
);
export type ICommentListResponse = Static<typeof CommentListResponseSchema>;

/** `:id` and `:revision` of `GET /api/notebooks/:id/revisions/:revision/comments`. */
export const RevisionCommentsParamsSchema = Type.Object(
  { id: Type.String({ minLength: 1, maxLength: 64 }), revision: Type.String({ minLength: 1, maxLength: 64 }) },
  { additionalProperties: false }
);
export type IRevisionCommentsParams = Static<typeof RevisionCommentsParamsSchema>;

/** The review of the change request whose acceptance made a revision. */
export const RevisionReviewSchema = Type.Object(
  {
    changeRequestId: Type.String(),
    proposer: Type.String(),
    threads: Type.Array(CommentThreadSchema)
  },
  { additionalProperties: false }
);

/** `GET /api/notebooks/:id/revisions/:revision/comments` reply: the reviews that led to the revision (often none). */
export const RevisionCommentsResponseSchema = Type.Object(
  { reviews: Type.Array(RevisionReviewSchema) },
  { additionalProperties: false }
);
export type IRevisionCommentsResponse = Static<typeof RevisionCommentsResponseSchema>;

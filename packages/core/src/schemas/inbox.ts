/**
 * API shapes of the inbox (events that concern a user, read and unread), notebook mutes and the user's webhook.
 */
import { Type, type Static } from '@sinclair/typebox';
import { Nullable, TimestampSchema } from './common';

/**
 * Why an event reached its recipient: a comment on their notebook; a reply in a thread they wrote in; an
 * `@mention`; a change request to review on their notebook; the outcome of their change request; a new revision
 * of a notebook they starred or copied.
 */
export const InboxEventKindSchema = Type.Union([
  Type.Literal('comment'),
  Type.Literal('reply'),
  Type.Literal('mention'),
  Type.Literal('change-request'),
  Type.Literal('change-request-accepted'),
  Type.Literal('change-request-declined'),
  Type.Literal('revision')
]);
export type InboxEventKind = Static<typeof InboxEventKindSchema>;

/** One event of a user's inbox. */
export const InboxEventSchema = Type.Object(
  {
    id: Type.String(),
    kind: InboxEventKindSchema,
    notebookId: Type.String(),
    notebookTitle: Type.String(),
    actor: Type.String({ description: 'Who caused it' }),
    commentId: Nullable(Type.String()),
    changeRequestId: Nullable(Type.String()),
    revision: Nullable(Type.String({ description: 'The new revision, for `revision` and `change-request-accepted`' })),
    createdAt: TimestampSchema,
    read: Type.Boolean()
  },
  { additionalProperties: false }
);
export type IInboxEvent = Static<typeof InboxEventSchema>;

/** Most events one inbox page holds when the query does not say. */
export const INBOX_PAGE_DEFAULT_LIMIT = 20;

/** `GET /api/inbox` query. */
export const InboxQuerySchema = Type.Object(
  {
    unread: Type.Optional(Type.Boolean({ description: 'Only unread events' })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: INBOX_PAGE_DEFAULT_LIMIT })),
    cursor: Type.Optional(Type.String({ maxLength: 200, description: 'nextCursor from the previous page' }))
  },
  { additionalProperties: false }
);
export type IInboxQuery = Static<typeof InboxQuerySchema>;

/** `GET /api/inbox` reply, newest first; pass `nextCursor` back as `cursor` for the next page. */
export const InboxResponseSchema = Type.Object(
  { items: Type.Array(InboxEventSchema), nextCursor: Nullable(Type.String()) },
  { additionalProperties: false }
);
export type IInboxResponse = Static<typeof InboxResponseSchema>;

/** `GET /api/inbox/unread-count` reply. */
export const UnreadCountResponseSchema = Type.Object(
  { unread: Type.Integer({ minimum: 0 }) },
  { additionalProperties: false }
);
export type IUnreadCountResponse = Static<typeof UnreadCountResponseSchema>;

/** `POST /api/inbox/read` body: mark these events read, or every event. */
export const MarkReadRequestSchema = Type.Union([
  Type.Object(
    { ids: Type.Array(Type.String({ minLength: 1, maxLength: 32 }), { minItems: 1, maxItems: 500 }) },
    { additionalProperties: false }
  ),
  Type.Object({ all: Type.Literal(true) }, { additionalProperties: false })
]);
export type IMarkReadRequest = Static<typeof MarkReadRequestSchema>;

/** `PUT` and `DELETE /api/notebooks/:id/mute` reply. */
export const MuteResponseSchema = Type.Object({ muted: Type.Boolean() }, { additionalProperties: false });
export type IMuteResponse = Static<typeof MuteResponseSchema>;

/** `PUT /api/me/webhook` body. */
export const SetWebhookRequestSchema = Type.Object(
  { url: Type.String({ minLength: 1, maxLength: 2000, description: 'An http or https URL' }) },
  { additionalProperties: false }
);
export type ISetWebhookRequest = Static<typeof SetWebhookRequestSchema>;

/** `GET /api/me/webhook` reply: the URL, or null when there is none. The secret is never shown again. */
export const WebhookSchema = Type.Object(
  { url: Nullable(Type.String()), createdAt: Nullable(TimestampSchema) },
  { additionalProperties: false }
);
export type IWebhook = Static<typeof WebhookSchema>;

/** `PUT /api/me/webhook` reply: the new secret, shown this once. */
export const WebhookCreatedSchema = Type.Object(
  {
    url: Type.String(),
    createdAt: TimestampSchema,
    secret: Type.String({ description: 'HMAC-SHA256 key of the X-Gallery-Signature-256 header; shown only now' })
  },
  { additionalProperties: false }
);
export type IWebhookCreated = Static<typeof WebhookCreatedSchema>;

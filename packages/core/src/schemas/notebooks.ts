/**
 * API shapes of the notebook routes, written once with TypeBox: the server validates and serialises with them (and
 * they become the OpenAPI document); the types below, derived with `Static`, are what the extension's client uses.
 */
import { Type, type Static } from '@sinclair/typebox';
import type { INotebook } from '../nbformat';
import {
  NameSchema,
  Nullable,
  PrincipalKindSchema,
  ShareRoleSchema,
  TimestampSchema,
  VisibilitySchema
} from './common';
import { EnvironmentSchema, NotebookHealthSchema } from './notebookHealth';
import { ConfirmedSecretsSchema } from './secrets';

/** Items per page of `GET /api/notebooks` when the query does not say. */
export const NOTEBOOK_LIST_DEFAULT_LIMIT = 20;

/** A whole nbformat 4 notebook; checked by core's validateNotebook, never reshaped by the schema layer. */
export const NotebookSchema = Type.Unsafe<INotebook>({
  type: 'object',
  description: 'An nbformat 4 notebook (.ipynb JSON); outputs are stripped before it is stored',
  additionalProperties: true
});

/** A git commit SHA. */
export const RevisionIdSchema = Type.String({ minLength: 1, maxLength: 64 });

/*
 * The limits of a notebook's listing and of a message, in one place: the schemas below enforce them on the server and
 * the save dialog checks them as the user types, so the two can never disagree.
 */
/** Characters in a notebook's title. */
export const NOTEBOOK_TITLE_MAX_LENGTH = 200;
/** Characters in a notebook's description. */
export const NOTEBOOK_DESCRIPTION_MAX_LENGTH = 5000;
/** Tags on one notebook. */
export const NOTEBOOK_MAX_TAGS = 20;
/** Characters in one tag. */
export const NOTEBOOK_TAG_MAX_LENGTH = 50;
/** Characters in the message of a revision or a change request. */
export const REVISION_MESSAGE_MAX_LENGTH = 2000;

const TitleSchema = Type.String({ minLength: 1, maxLength: NOTEBOOK_TITLE_MAX_LENGTH, pattern: '\\S' });
const DescriptionSchema = Type.String({ maxLength: NOTEBOOK_DESCRIPTION_MAX_LENGTH });
const TagsSchema = Type.Array(Type.String({ minLength: 1, maxLength: NOTEBOOK_TAG_MAX_LENGTH }), {
  maxItems: NOTEBOOK_MAX_TAGS
});
const MessageSchema = Type.String({ maxLength: REVISION_MESSAGE_MAX_LENGTH });

/** The notebook a copy was saved from, when saved as a new notebook. */
export const ParentRefSchema = Type.Object(
  { id: Type.String({ minLength: 1 }), revision: RevisionIdSchema },
  { additionalProperties: false }
);
export type IParentRef = Static<typeof ParentRefSchema>;

/** A user or a group. */
export const PrincipalSchema = Type.Object(
  { kind: PrincipalKindSchema, name: NameSchema },
  { additionalProperties: false }
);
export type IPrincipal = Static<typeof PrincipalSchema>;

/** One explicit share of a notebook. */
export const ShareSchema = Type.Object(
  { kind: PrincipalKindSchema, name: NameSchema, role: ShareRoleSchema },
  { additionalProperties: false }
);
export type IShare = Static<typeof ShareSchema>;

const summaryProperties = {
  id: Type.String(),
  title: Type.String(),
  description: Type.String(),
  tags: Type.Array(Type.String()),
  owner: Type.String({ description: 'A username, or a group name when ownerKind is group' }),
  ownerKind: PrincipalKindSchema,
  visibility: VisibilitySchema,
  group: Nullable(Type.String()),
  createdAt: TimestampSchema,
  updatedAt: TimestampSchema,
  revision: Type.String({ description: 'Git commit SHA of the latest revision' }),
  revisionNumber: Type.Integer({ minimum: 1 }),
  parent: Nullable(ParentRefSchema),
  canEdit: Type.Boolean({ description: 'The caller may save new revisions' }),
  canManage: Type.Boolean({ description: 'The caller may change settings and sharing, transfer and delete' }),
  runs: Type.Integer({ minimum: 0, description: 'Run reports kept (one per reporter and revision)' }),
  health: NotebookHealthSchema,
  environment: EnvironmentSchema,
  stars: Type.Integer({ minimum: 0 }),
  starred: Type.Boolean({ description: 'The caller starred it' }),
  views: Type.Integer({ minimum: 0, description: 'Views, at most one per user an hour' }),
  downloads: Type.Integer({ minimum: 0, description: 'Downloads, at most one per user an hour' }),
  opens: Type.Integer({ minimum: 0, description: 'Opens in JupyterLab, at most one per user an hour' }),
  trending: Type.Number({ minimum: 0, description: 'Recent use, decayed with age (half-life 7 days); 0 when none' }),
  sharedWith: Type.Optional(
    Type.Array(ShareSchema, {
      description:
        'The explicit shares (users and groups, with their role); sent only to callers who may manage the notebook'
    })
  )
};

/** A notebook's metadata, as listed and as returned after a save. */
export const NotebookSummarySchema = Type.Object(summaryProperties, { additionalProperties: false });
export type INotebookSummary = Static<typeof NotebookSummarySchema>;

/** A list item; `snippet` and `snippetHighlights` are set when the list answers a search. */
export const NotebookListItemSchema = Type.Object(
  {
    ...summaryProperties,
    snippet: Type.Optional(Type.String({ description: 'Plain text around the best matches (never HTML)' })),
    snippetHighlights: Type.Optional(
      Type.Array(Type.Tuple([Type.Integer({ minimum: 0 }), Type.Integer({ minimum: 0 })]), {
        description: 'The matched words in snippet, as [start, end) offsets in UTF-16 code units'
      })
    )
  },
  { additionalProperties: false }
);
export type INotebookListItem = Static<typeof NotebookListItemSchema>;

/** Reply to create and update: the notebook after the save; `changed` is false when no commit was needed. */
export const SaveNotebookResponseSchema = Type.Object(
  { ...summaryProperties, changed: Type.Boolean() },
  { additionalProperties: false }
);
export type ISaveNotebookResponse = Static<typeof SaveNotebookResponseSchema>;

/** `GET /api/notebooks` reply; pass `nextCursor` back as `cursor` for the next page. */
export const NotebookListResponseSchema = Type.Object(
  { items: Type.Array(NotebookListItemSchema), nextCursor: Nullable(Type.String()) },
  { additionalProperties: false }
);
export type INotebookListResponse = Static<typeof NotebookListResponseSchema>;

/** Sort orders for `GET /api/notebooks`. */
export const NotebookSortSchema = Type.Union([
  Type.Literal('updated'),
  Type.Literal('created'),
  Type.Literal('title'),
  Type.Literal('relevance'),
  Type.Literal('stars'),
  Type.Literal('views'),
  Type.Literal('runs'),
  Type.Literal('health'),
  Type.Literal('trending')
]);
export type NotebookSort = Static<typeof NotebookSortSchema>;

/** Sidebar filters: notebooks I own, shared with me explicitly, of my groups, or public. */
export const NotebookScopeSchema = Type.Union(
  [Type.Literal('mine'), Type.Literal('shared'), Type.Literal('group'), Type.Literal('public')],
  { description: 'mine: owned by me; shared: shared with me or my groups; group: of my groups; public' }
);
export type NotebookScope = Static<typeof NotebookScopeSchema>;

/** `GET /api/notebooks` query. */
export const NotebookListQuerySchema = Type.Object({
  q: Type.Optional(
    Type.String({
      maxLength: 500,
      description:
        'Words to find in title, description, tags, owner, language, imported packages, markdown and code; ' +
        'understands "a phrase", -word, tag:x, owner:y, lang:r and package:pandas'
    })
  ),
  scope: Type.Optional(NotebookScopeSchema),
  tag: Type.Optional(Type.String({ maxLength: NOTEBOOK_TAG_MAX_LENGTH })),
  owner: Type.Optional(Type.String({ maxLength: 64 })),
  sort: Type.Optional(NotebookSortSchema),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: NOTEBOOK_LIST_DEFAULT_LIMIT })),
  starred: Type.Optional(Type.Boolean({ description: 'Only notebooks the caller starred' })),
  cursor: Type.Optional(Type.String({ maxLength: 1000, description: 'nextCursor from the previous page' }))
});
export type INotebookListQuery = Static<typeof NotebookListQuerySchema>;

/** `GET /api/notebooks/:id/content` query. */
export const NotebookContentQuerySchema = Type.Object({
  revision: Type.Optional(
    Type.String({ minLength: 1, maxLength: 64, description: 'A revision SHA; the latest when absent' })
  )
});

/** `POST /api/notebooks` body. */
export const CreateNotebookRequestSchema = Type.Object(
  {
    notebook: NotebookSchema,
    title: TitleSchema,
    description: Type.Optional(DescriptionSchema),
    tags: Type.Optional(TagsSchema),
    message: Type.Optional(MessageSchema),
    parent: Type.Optional(ParentRefSchema),
    visibility: Type.Optional(VisibilitySchema),
    group: Type.Optional(NameSchema),
    ownedByGroup: Type.Optional(Type.Boolean()),
    confirmedSecrets: Type.Optional(ConfirmedSecretsSchema)
  },
  { additionalProperties: false }
);
export type ICreateNotebookRequest = Static<typeof CreateNotebookRequestSchema>;

/**
 * `PUT /api/notebooks/:id` body. A stale `baseRevision` gets 409 REVISION_CONFLICT, unless `merge` is true: then the
 * server merges base, this notebook and the latest revision, and commits when that is clean.
 */
export const UpdateNotebookRequestSchema = Type.Object(
  {
    notebook: NotebookSchema,
    baseRevision: RevisionIdSchema,
    message: Type.Optional(MessageSchema),
    merge: Type.Optional(Type.Boolean({ description: 'Merge three-way when baseRevision is stale' })),
    confirmedSecrets: Type.Optional(ConfirmedSecretsSchema)
  },
  { additionalProperties: false }
);
export type IUpdateNotebookRequest = Static<typeof UpdateNotebookRequestSchema>;

/** `PATCH /api/notebooks/:id` body. */
export const PatchNotebookRequestSchema = Type.Object(
  {
    title: Type.Optional(TitleSchema),
    description: Type.Optional(DescriptionSchema),
    tags: Type.Optional(TagsSchema),
    visibility: Type.Optional(VisibilitySchema),
    group: Type.Optional(Nullable(NameSchema))
  },
  { additionalProperties: false, minProperties: 1 }
);
export type IPatchNotebookRequest = Static<typeof PatchNotebookRequestSchema>;

/** One saved revision. */
export const RevisionSchema = Type.Object(
  {
    revision: Type.String(),
    number: Type.Integer({ minimum: 1 }),
    author: Type.String(),
    message: Type.String(),
    createdAt: TimestampSchema
  },
  { additionalProperties: false }
);
export type IRevision = Static<typeof RevisionSchema>;

/** A revision as listed, with what it needs to run. */
export const RevisionListItemSchema = Type.Object(
  { ...RevisionSchema.properties, environment: EnvironmentSchema },
  { additionalProperties: false }
);
export type IRevisionListItem = Static<typeof RevisionListItemSchema>;

/** `GET /api/notebooks/:id/revisions` reply, newest first. */
export const RevisionListResponseSchema = Type.Object(
  { items: Type.Array(RevisionListItemSchema) },
  { additionalProperties: false }
);
export type IRevisionListResponse = Static<typeof RevisionListResponseSchema>;

/** Reply and body of the sharing routes; it has no owner field, so sharing can never change the owner. */
export const SharingSchema = Type.Object(
  {
    visibility: VisibilitySchema,
    group: Nullable(NameSchema),
    shares: Type.Array(ShareSchema, { maxItems: 100 })
  },
  { additionalProperties: false }
);
export type ISharing = Static<typeof SharingSchema>;

/** `GET /api/notebooks/:id/deletion-impact` reply: what deleting the notebook would affect (managers only). */
export const DeletionImpactSchema = Type.Object(
  {
    revisions: Type.Integer({ minimum: 1, description: 'Revisions deleted with it' }),
    forks: Type.Integer({
      minimum: 0,
      description: 'Notebooks in the gallery saved as copies of it, readable by the caller or not; they stay'
    }),
    openedBy: Type.Integer({
      minimum: 0,
      description: 'People who opened a copy in JupyterLab; their copies stay but stop receiving updates'
    })
  },
  { additionalProperties: false }
);
export type IDeletionImpact = Static<typeof DeletionImpactSchema>;

/** `POST /api/notebooks/:id/transfer` body. */
export const TransferRequestSchema = Type.Object({ owner: PrincipalSchema }, { additionalProperties: false });
export type ITransferRequest = Static<typeof TransferRequestSchema>;

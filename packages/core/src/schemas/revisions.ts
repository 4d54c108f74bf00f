/**
 * API shapes of revisions: notebook-aware diffs, three-way merge conflicts, restore, change requests and lineage.
 * The diff and merge shapes are also what core's pure `diffNotebooks` and `mergeNotebooks` return, so the server and
 * the extension render and resolve exactly the same structures.
 */
import { Type, type Static } from '@sinclair/typebox';
import { ApiErrorSchema, ItemsResponse, Nullable, PrincipalKindSchema, TimestampSchema } from './common';
import { NotebookSchema, REVISION_MESSAGE_MAX_LENGTH, RevisionIdSchema, SaveNotebookResponseSchema } from './notebooks';
import { ConfirmedSecretsSchema } from './secrets';

const CellTypeSchema = Type.Union([Type.Literal('code'), Type.Literal('markdown'), Type.Literal('raw')]);
const MessageSchema = Type.String({ maxLength: REVISION_MESSAGE_MAX_LENGTH });

/** One line of a source diff; `from`/`to` are 0-based line numbers on each side (absent on the side without it). */
export const DiffLineSchema = Type.Object(
  {
    op: Type.Union([Type.Literal('equal'), Type.Literal('added'), Type.Literal('removed')]),
    text: Type.String({ description: 'The line without its newline' }),
    from: Type.Optional(Type.Integer({ minimum: 0 })),
    to: Type.Optional(Type.Integer({ minimum: 0 }))
  },
  { additionalProperties: false }
);
export type IDiffLine = Static<typeof DiffLineSchema>;

/** A metadata key that differs; `key` is a dotted path such as `kernelspec.name` or `tags`. */
export const MetadataChangeSchema = Type.Object(
  {
    key: Type.String(),
    op: Type.Union([Type.Literal('added'), Type.Literal('removed'), Type.Literal('changed')]),
    from: Type.Optional(Type.Unknown()),
    to: Type.Optional(Type.Unknown())
  },
  { additionalProperties: false }
);
export type IMetadataChange = Static<typeof MetadataChangeSchema>;

/**
 * One cell in a diff, in the order of the newer notebook with removed cells placed where they stood. `source` holds
 * every line of the cell (equal lines included, so a view can show context or collapse it); it is absent when the
 * source did not change.
 */
export const CellDiffSchema = Type.Object(
  {
    status: Type.Union([
      Type.Literal('added'),
      Type.Literal('removed'),
      Type.Literal('modified'),
      Type.Literal('unchanged')
    ]),
    moved: Type.Boolean({ description: 'The cell is at another position relative to the cells around it' }),
    id: Nullable(Type.String({ description: 'The cell id (the newer side’s when both have one)' })),
    cellType: CellTypeSchema,
    previousCellType: Type.Optional(CellTypeSchema),
    fromIndex: Nullable(Type.Integer({ minimum: 0 })),
    toIndex: Nullable(Type.Integer({ minimum: 0 })),
    source: Type.Optional(Type.Array(DiffLineSchema)),
    metadata: Type.Optional(Type.Array(MetadataChangeSchema))
  },
  { additionalProperties: false }
);
export type ICellDiff = Static<typeof CellDiffSchema>;

/** A whole structured diff between two notebooks (outputs never appear: the gallery stores none). */
export const NotebookDiffSchema = Type.Object(
  {
    cells: Type.Array(CellDiffSchema),
    metadata: Type.Array(MetadataChangeSchema),
    summary: Type.Object(
      {
        added: Type.Integer({ minimum: 0 }),
        removed: Type.Integer({ minimum: 0 }),
        modified: Type.Integer({ minimum: 0 }),
        moved: Type.Integer({ minimum: 0 }),
        unchanged: Type.Integer({ minimum: 0 })
      },
      { additionalProperties: false }
    )
  },
  { additionalProperties: false }
);
export type INotebookDiff = Static<typeof NotebookDiffSchema>;

/** The parent's revision a fork was made from, which the fork's first revision is compared with. */
export const ParentRevisionSchema = Type.Object(
  {
    id: Type.String(),
    title: Type.String(),
    owner: Type.String({ description: 'A username, or a group name when ownerKind is group' }),
    ownerKind: PrincipalKindSchema,
    revision: Type.String(),
    number: Type.Integer({ minimum: 1 })
  },
  { additionalProperties: false }
);
export type IParentRevision = Static<typeof ParentRevisionSchema>;

/**
 * `GET /api/notebooks/:id/diff` reply: the diff plus the two revisions it compares. `from` is null when `to` is the
 * first revision and no `from` was asked for. The diff is then against the parent's revision the notebook was forked
 * from (`parent`), or against an empty notebook: for a notebook that is no fork, and for a fork whose parent was
 * deleted or may not be read by the caller (`parentHidden`; the two are not told apart, as everywhere else).
 */
export const RevisionDiffResponseSchema = Type.Object(
  {
    from: Nullable(
      Type.Object({ revision: Type.String(), number: Type.Integer({ minimum: 1 }) }, { additionalProperties: false })
    ),
    to: Type.Object({ revision: Type.String(), number: Type.Integer({ minimum: 1 }) }, { additionalProperties: false }),
    parent: Nullable(ParentRevisionSchema),
    parentHidden: Type.Boolean({
      description:
        'The first revision of a fork whose parent is deleted or not readable, compared with an empty notebook'
    }),
    diff: NotebookDiffSchema
  },
  { additionalProperties: false }
);
export type IRevisionDiffResponse = Static<typeof RevisionDiffResponseSchema>;

/** `GET /api/notebooks/:id/diff` query: `from` defaults to the revision before `to`, `to` to the latest. */
export const RevisionDiffQuerySchema = Type.Object(
  { from: Type.Optional(RevisionIdSchema), to: Type.Optional(RevisionIdSchema) },
  { additionalProperties: false }
);
export type IRevisionDiffQuery = Static<typeof RevisionDiffQuerySchema>;

/** How the user settles one conflict: my version, theirs, or both (mine first). */
export const MergeChoiceSchema = Type.Union([Type.Literal('local'), Type.Literal('remote'), Type.Literal('both')]);
export type MergeChoice = Static<typeof MergeChoiceSchema>;

/**
 * A change both sides made differently, never resolved silently. `id` is stable for the same three notebooks
 * (derived from the cell id and the key), so a client can pass choices back to `mergeNotebooks`.
 * - `source`: the same lines of one cell changed differently; base/local/remote are the cell's whole source.
 * - `deleted`: one side deleted a cell the other changed; the deleting side is null.
 * - `cell-type`: the cell type changed differently; the values are the types.
 * - `metadata`: a metadata key (of a cell when `cellId` is set, else of the notebook) changed differently; the
 *   values are JSON text, null when the key is absent on that side.
 * - `attachment`: an attachment of a cell (its file name in `key`) changed on one side and deleted, or changed
 *   differently, on the other; the values say each version's MIME type and size (`image/png, 1234 bytes`), null
 *   on the side that does not have it.
 */
export const MergeConflictSchema = Type.Object(
  {
    id: Type.String(),
    kind: Type.Union([
      Type.Literal('source'),
      Type.Literal('deleted'),
      Type.Literal('cell-type'),
      Type.Literal('metadata'),
      Type.Literal('attachment')
    ]),
    cellId: Nullable(Type.String()),
    cellType: Nullable(CellTypeSchema),
    key: Nullable(Type.String()),
    base: Nullable(Type.String()),
    local: Nullable(Type.String()),
    remote: Nullable(Type.String())
  },
  { additionalProperties: false }
);
export type IMergeConflict = Static<typeof MergeConflictSchema>;

/** The revision a save was merged with, for "merged with changes by bob". */
export const MergedWithSchema = Type.Object(
  { revision: Type.String(), number: Type.Integer({ minimum: 1 }), author: Type.String() },
  { additionalProperties: false }
);
export type IMergedWith = Static<typeof MergedWithSchema>;

/** Reply to a save that was merged on the server (`PUT` with `merge: true` on a stale base, or an accept). */
export const MergedSaveResponseSchema = Type.Object(
  {
    ...SaveNotebookResponseSchema.properties,
    merged: Type.Boolean(),
    mergedWith: Type.Optional(MergedWithSchema),
    notebook: Type.Optional(NotebookSchema)
  },
  { additionalProperties: false }
);
export type IMergedSaveResponse = Static<typeof MergedSaveResponseSchema>;

/** A 409 REVISION_CONFLICT reply: the revision the notebook is at now, and the conflicts when a merge was tried. */
export const MergeConflictReplySchema = Type.Intersect([
  ApiErrorSchema,
  Type.Object({
    currentRevision: Type.String(),
    conflicts: Type.Optional(Type.Array(MergeConflictSchema))
  })
]);
export type IMergeConflictReply = Static<typeof MergeConflictReplySchema>;

/** `POST /api/notebooks/:id/restore` body: copy an old revision forward as a new one. */
export const RestoreRevisionRequestSchema = Type.Object(
  { revision: RevisionIdSchema, message: Type.Optional(MessageSchema) },
  { additionalProperties: false }
);
export type IRestoreRevisionRequest = Static<typeof RestoreRevisionRequestSchema>;

/** A notebook in a lineage; `title` and `owner` only of notebooks the caller may read. */
export const LineageRefSchema = Type.Object(
  {
    id: Type.String(),
    title: Type.String(),
    owner: Type.String(),
    revision: Type.String({ description: 'For the parent: the revision the fork was made from' })
  },
  { additionalProperties: false }
);
export type ILineageRef = Static<typeof LineageRefSchema>;

/** `GET /api/notebooks/:id/lineage`: what it was forked from and its forks, both limited to what the caller reads. */
export const LineageResponseSchema = Type.Object(
  {
    parent: Nullable(LineageRefSchema),
    parentHidden: Type.Boolean({ description: 'Forked from a notebook the caller may not read' }),
    forks: Type.Array(LineageRefSchema)
  },
  { additionalProperties: false }
);
export type ILineageResponse = Static<typeof LineageResponseSchema>;

/** Where a change request stands. */
export const ChangeRequestStatusSchema = Type.Union([
  Type.Literal('open'),
  Type.Literal('accepted'),
  Type.Literal('declined'),
  Type.Literal('withdrawn')
]);
export type ChangeRequestStatus = Static<typeof ChangeRequestStatusSchema>;

/** A proposed revision of a notebook by someone who may read but not edit it. */
export const ChangeRequestSchema = Type.Object(
  {
    id: Type.String(),
    notebookId: Type.String(),
    notebookTitle: Type.String(),
    proposer: Type.String(),
    message: Type.String(),
    baseRevision: Type.String(),
    status: ChangeRequestStatusSchema,
    createdAt: TimestampSchema,
    decidedAt: Nullable(TimestampSchema),
    decidedBy: Nullable(Type.String()),
    comment: Nullable(Type.String({ description: 'The reviewer’s comment when declined (optional on accept)' })),
    acceptedRevision: Nullable(Type.String()),
    canDecide: Type.Boolean({ description: 'The caller may accept or decline it' })
  },
  { additionalProperties: false }
);
export type IChangeRequest = Static<typeof ChangeRequestSchema>;

/** `POST /api/notebooks/:id/change-requests` body. */
export const CreateChangeRequestSchema = Type.Object(
  {
    notebook: NotebookSchema,
    baseRevision: RevisionIdSchema,
    message: Type.String({ minLength: 1, maxLength: REVISION_MESSAGE_MAX_LENGTH }),
    confirmedSecrets: Type.Optional(ConfirmedSecretsSchema)
  },
  { additionalProperties: false }
);
export type ICreateChangeRequest = Static<typeof CreateChangeRequestSchema>;

/** Reply with one change request and its diff against the revision it was based on. */
export const ChangeRequestDetailSchema = Type.Object(
  { ...ChangeRequestSchema.properties, diff: NotebookDiffSchema },
  { additionalProperties: false }
);
export type IChangeRequestDetail = Static<typeof ChangeRequestDetailSchema>;

/** `GET /api/change-requests` and `GET /api/notebooks/:id/change-requests` reply, newest first. */
export const ChangeRequestListResponseSchema = ItemsResponse(ChangeRequestSchema);
export type IChangeRequestListResponse = Static<typeof ChangeRequestListResponseSchema>;

/** `GET /api/change-requests` query: mine (proposed by me) or to review (on notebooks I may edit). */
export const ChangeRequestListQuerySchema = Type.Object(
  {
    role: Type.Optional(Type.Union([Type.Literal('proposer'), Type.Literal('reviewer')])),
    status: Type.Optional(ChangeRequestStatusSchema)
  },
  { additionalProperties: false }
);
export type IChangeRequestListQuery = Static<typeof ChangeRequestListQuerySchema>;

/** `GET /api/notebooks/:id/change-requests` query. */
export const NotebookChangeRequestListQuerySchema = Type.Object(
  { status: Type.Optional(ChangeRequestStatusSchema) },
  { additionalProperties: false }
);
export type INotebookChangeRequestListQuery = Static<typeof NotebookChangeRequestListQuerySchema>;

/** `POST .../change-requests/:requestId/decline` body (and the base of the accept body). */
export const DecideChangeRequestSchema = Type.Object(
  { comment: Type.Optional(Type.String({ maxLength: 2000 })) },
  { additionalProperties: false }
);
export type IDecideChangeRequest = Static<typeof DecideChangeRequestSchema>;

/** `POST .../change-requests/:requestId/accept` body: a decision, and the secret-check confirmations it needs. */
export const AcceptChangeRequestSchema = Type.Object(
  { ...DecideChangeRequestSchema.properties, confirmedSecrets: Type.Optional(ConfirmedSecretsSchema) },
  { additionalProperties: false }
);
export type IAcceptChangeRequest = Static<typeof AcceptChangeRequestSchema>;

/** `:id` and `:requestId` of a change-request route. */
export const ChangeRequestParamsSchema = Type.Object(
  { id: Type.String({ minLength: 1, maxLength: 64 }), requestId: Type.String({ minLength: 1, maxLength: 64 }) },
  { additionalProperties: false }
);
export type IChangeRequestParams = Static<typeof ChangeRequestParamsSchema>;

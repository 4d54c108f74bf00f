/**
 * Shapes of the admin routes that restore what our own export archive carries beyond revisions (accounts, shares,
 * stars, change requests, comments), so `notebook-gallery import --server` brings in the same gallery as
 * `--data-dir`. Each mirrors a step of the import pipeline's target.
 */
import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { NameSchema, TimestampSchema } from './common';
import { ShareSchema } from './notebooks';
import { ConfirmedSecretsSchema } from './secrets';

const CommitIdSchema = Type.String({ pattern: '^[0-9a-f]{40}$' });
/**
 * A value or null, null FIRST: the server's validator coerces types (`coerceTypes`), and tried first a number or string
 * schema would turn null into 0 or "" and pass.
 */
const nullable = <T extends TSchema>(schema: T) => Type.Union([Type.Null(), schema]);
/** An id the exporting gallery gave a change request or a comment. */
const ArchiveIdSchema = Type.String({ minLength: 1, maxLength: 200 });
const TextSchema = Type.String({ maxLength: 100_000 });

/** Everything one archived notebook carries beyond its revisions. */
export const ArchiveExtrasSchema = Type.Object(
  {
    users: Type.Array(
      Type.Object(
        { username: NameSchema, email: nullable(Type.String({ maxLength: 500 })), createdAt: TimestampSchema },
        { additionalProperties: false }
      ),
      { maxItems: 100_000 }
    ),
    groups: Type.Array(
      Type.Object(
        {
          name: NameSchema,
          createdAt: TimestampSchema,
          members: Type.Array(
            Type.Object(
              {
                username: NameSchema,
                role: Type.Union([Type.Literal('owner'), Type.Literal('editor'), Type.Literal('member')])
              },
              { additionalProperties: false }
            )
          )
        },
        { additionalProperties: false }
      )
    ),
    shares: Type.Array(ShareSchema),
    stars: Type.Array(
      Type.Object({ username: NameSchema, createdAt: TimestampSchema }, { additionalProperties: false })
    ),
    changeRequests: Type.Array(
      Type.Object(
        {
          id: ArchiveIdSchema,
          proposer: NameSchema,
          message: TextSchema,
          baseRevision: CommitIdSchema,
          commit: CommitIdSchema,
          status: Type.Union([
            Type.Literal('open'),
            Type.Literal('accepted'),
            Type.Literal('declined'),
            Type.Literal('withdrawn')
          ]),
          createdAt: TimestampSchema,
          decidedAt: nullable(TimestampSchema),
          decidedBy: nullable(NameSchema),
          comment: nullable(TextSchema),
          acceptedRevision: nullable(CommitIdSchema),
          notebook: Type.Unknown({ description: 'The proposal; validated, stripped and checked for secrets as a save' })
        },
        { additionalProperties: false }
      )
    ),
    comments: Type.Array(
      Type.Object(
        {
          id: ArchiveIdSchema,
          author: NameSchema,
          body: TextSchema,
          createdAt: TimestampSchema,
          editedAt: nullable(TimestampSchema),
          resolvedAt: nullable(TimestampSchema),
          resolvedBy: nullable(NameSchema),
          parentId: nullable(ArchiveIdSchema),
          changeRequestId: nullable(ArchiveIdSchema),
          cellId: nullable(Type.String({ maxLength: 200 })),
          revision: nullable(CommitIdSchema),
          sourceHash: nullable(Type.String({ maxLength: 200 })),
          lineFrom: nullable(Type.Integer({ minimum: 1 })),
          lineTo: nullable(Type.Integer({ minimum: 1 }))
        },
        { additionalProperties: false }
      )
    )
  },
  { additionalProperties: false }
);
export type IArchiveExtrasBody = Static<typeof ArchiveExtrasSchema>;

/** `POST /api/admin/import/accounts`: before an item's revisions, the accounts and groups it names. */
export const ImportAccountsRequestSchema = Type.Object(
  { extras: ArchiveExtrasSchema },
  { additionalProperties: false }
);
export const ImportAccountsResponseSchema = Type.Object(
  { usersWithoutPassword: Type.Array(Type.String()), groupsCreated: Type.Array(Type.String()) },
  { additionalProperties: false }
);

/** `POST /api/admin/import/notebooks/:id/merge-parent`: the proposal commit a merge revision needs, written first. */
export const ImportMergeParentRequestSchema = Type.Object(
  { extras: ArchiveExtrasSchema, commit: CommitIdSchema, confirmedSecrets: Type.Optional(ConfirmedSecretsSchema) },
  { additionalProperties: false }
);
export const ImportMergeParentResponseSchema = Type.Object(
  { written: Type.Boolean({ description: 'Whether the notebook now holds the commit' }) },
  { additionalProperties: false }
);

/** `POST /api/admin/import/notebooks/:id/extras`: after an item's revisions, its shares, stars, requests, comments. */
export const ImportExtrasRequestSchema = Type.Object(
  { extras: ArchiveExtrasSchema, confirmedSecrets: Type.Optional(ConfirmedSecretsSchema) },
  { additionalProperties: false }
);
export const ImportExtrasResponseSchema = Type.Object(
  {
    changeRequests: Type.Integer({ description: 'Change requests restored' }),
    comments: Type.Integer({ description: 'Comments restored' }),
    notRestored: Type.Array(Type.String(), { description: 'What was left out, with why' })
  },
  { additionalProperties: false }
);
export type IImportExtrasResponse = Static<typeof ImportExtrasResponseSchema>;

/** Shapes of the admin import route (`notebook-gallery import --server`). */
import { Type, type Static } from '@sinclair/typebox';
import { NameSchema, TimestampSchema, VisibilitySchema } from './common';
import { ConfirmedSecretsSchema } from './secrets';

/** A key a source gives a notebook or a revision: a path, a uuid, a commit id, a content hash. */
const SourceKeySchema = Type.String({ minLength: 1, maxLength: 4096 });

/** `POST /api/admin/import/revisions` body: one revision of one imported notebook, with all the service needs. */
export const ImportRevisionRequestSchema = Type.Object(
  {
    origin: Type.String({ minLength: 1, maxLength: 4096, description: 'The source, e.g. "folder:/srv/notebooks"' }),
    sourceKey: SourceKeySchema,
    metadata: Type.Object(
      {
        title: Type.String({ maxLength: 500 }),
        description: Type.String({ maxLength: 20_000 }),
        tags: Type.Array(Type.String({ maxLength: 200 }), { maxItems: 100 }),
        visibility: VisibilitySchema,
        owner: NameSchema,
        group: Type.Union([NameSchema, Type.Null()]),
        ownedByGroup: Type.Boolean()
      },
      { additionalProperties: false }
    ),
    revisionKey: SourceKeySchema,
    notebook: Type.Unknown({ description: 'The notebook as the source has it; validated and stripped like a save' }),
    authorName: Type.String({ minLength: 1, maxLength: 500 }),
    authorEmail: Type.String({ minLength: 1, maxLength: 500 }),
    username: NameSchema,
    date: TimestampSchema,
    message: Type.String({ maxLength: 20_000 }),
    /** Who committed the revision in the source, when not its author at `date` (a reviewer accepting a change request). */
    committer: Type.Optional(
      Type.Object(
        {
          name: Type.String({ minLength: 1, maxLength: 500 }),
          email: Type.String({ minLength: 1, maxLength: 500 }),
          date: TimestampSchema
        },
        { additionalProperties: false }
      )
    ),
    /**
     * The commit's second parent when the source has the revision as a merge (the proposal commit of an accepted
     * change request): a commit the notebook's repository must already hold.
     */
    mergeParent: Type.Optional(Type.String({ pattern: '^[0-9a-f]{40}$' })),
    wantedId: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9_-]{16}$' })),
    /** Fingerprints the admin confirmed as not secrets (`--confirm-secret`), as a save's `confirmedSecrets`. */
    confirmedSecrets: Type.Optional(ConfirmedSecretsSchema)
  },
  { additionalProperties: false }
);
export type IImportRevisionRequestBody = Static<typeof ImportRevisionRequestSchema>;

/** What applying one revision did. */
export const ImportRevisionResponseSchema = Type.Object(
  {
    notebookId: Type.String(),
    status: Type.Union([
      Type.Literal('created'),
      Type.Literal('applied'),
      Type.Literal('unchanged'),
      Type.Literal('skipped')
    ])
  },
  { additionalProperties: false }
);
export type IImportRevisionResponse = Static<typeof ImportRevisionResponseSchema>;

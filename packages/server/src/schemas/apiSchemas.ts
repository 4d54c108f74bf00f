/**
 * JSON schemas of the REST API (mirroring the types in @notebook-gallery/core's api.ts); they validate requests,
 * serialise replies and become the OpenAPI document.
 */

/** The `{ items: [...] }` reply every list route but the paginated notebook list gives. */
function itemsResponse<T extends object>(item: T) {
  return {
    type: 'object',
    required: ['items'],
    properties: { items: { type: 'array', items: item } },
    additionalProperties: false
  } as const;
}

/** Every non-2xx reply; details such as `currentRevision` or `path` ride along as extra properties. */
export const apiErrorSchema = {
  type: 'object',
  required: ['error', 'message'],
  properties: {
    error: { type: 'string', description: 'An ErrorCode, e.g. REVISION_CONFLICT' },
    message: { type: 'string' }
  },
  additionalProperties: true
} as const;

/** The listed error statuses, each answered with {@link apiErrorSchema}. */
export function errorResponses(...statuses: number[]): Record<number, typeof apiErrorSchema> {
  return Object.fromEntries(statuses.map(status => [status, apiErrorSchema]));
}

/** A whole nbformat 4 notebook; checked by core's validateNotebook, never reshaped by the schema layer. */
export const notebookSchema = {
  type: 'object',
  description: 'An nbformat 4 notebook (.ipynb JSON); outputs are stripped before it is stored',
  additionalProperties: true
} as const;

/** A git commit SHA. */
export const revisionIdSchema = { type: 'string', minLength: 1, maxLength: 64 } as const;

export const parentRefSchema = {
  type: 'object',
  required: ['id', 'revision'],
  properties: { id: { type: 'string', minLength: 1 }, revision: revisionIdSchema },
  additionalProperties: false
} as const;

const titleSchema = { type: 'string', minLength: 1, maxLength: 200, pattern: '\\S' } as const;
const descriptionSchema = { type: 'string', maxLength: 5000 } as const;
const tagsSchema = { type: 'array', maxItems: 20, items: { type: 'string', minLength: 1, maxLength: 50 } } as const;
const messageSchema = { type: 'string', maxLength: 2000 } as const;

const nameSchema = { type: 'string', minLength: 1, maxLength: 64 } as const;
const visibilitySchema = { type: 'string', enum: ['private', 'group', 'public'] } as const;
const principalKindSchema = { type: 'string', enum: ['user', 'group'] } as const;

const summaryProperties = {
  id: { type: 'string' },
  title: { type: 'string' },
  description: { type: 'string' },
  tags: { type: 'array', items: { type: 'string' } },
  owner: { type: 'string', description: 'A username, or a group name when ownerKind is group' },
  ownerKind: principalKindSchema,
  visibility: visibilitySchema,
  group: { type: ['string', 'null'] },
  createdAt: { type: 'string', format: 'date-time' },
  updatedAt: { type: 'string', format: 'date-time' },
  revision: { type: 'string', description: 'Git commit SHA of the latest revision' },
  revisionNumber: { type: 'integer', minimum: 1 },
  parent: { anyOf: [parentRefSchema, { type: 'null' }] },
  canEdit: { type: 'boolean', description: 'The caller may save new revisions' },
  canManage: { type: 'boolean', description: 'The caller may change settings and sharing, transfer and delete' }
} as const;

const summaryRequired = Object.keys(summaryProperties);

export const notebookSummarySchema = {
  type: 'object',
  required: summaryRequired,
  properties: summaryProperties,
  additionalProperties: false
} as const;

export const notebookListItemSchema = {
  type: 'object',
  required: summaryRequired,
  properties: { ...summaryProperties, snippet: { type: 'string' } },
  additionalProperties: false
} as const;

export const saveNotebookResponseSchema = {
  type: 'object',
  required: [...summaryRequired, 'changed'],
  properties: { ...summaryProperties, changed: { type: 'boolean' } },
  additionalProperties: false
} as const;

export const notebookListResponseSchema = {
  type: 'object',
  required: ['items', 'nextCursor'],
  properties: {
    items: { type: 'array', items: notebookListItemSchema },
    nextCursor: { type: ['string', 'null'] }
  },
  additionalProperties: false
} as const;

export const revisionSchema = {
  type: 'object',
  required: ['revision', 'number', 'author', 'message', 'createdAt'],
  properties: {
    revision: { type: 'string' },
    number: { type: 'integer', minimum: 1 },
    author: { type: 'string' },
    message: { type: 'string' },
    createdAt: { type: 'string', format: 'date-time' }
  },
  additionalProperties: false
} as const;

export const revisionListResponseSchema = itemsResponse(revisionSchema);

export const createNotebookBodySchema = {
  type: 'object',
  required: ['notebook', 'title'],
  properties: {
    notebook: notebookSchema,
    title: titleSchema,
    description: descriptionSchema,
    tags: tagsSchema,
    message: messageSchema,
    parent: parentRefSchema,
    visibility: visibilitySchema,
    group: nameSchema,
    ownedByGroup: { type: 'boolean' }
  },
  additionalProperties: false
} as const;

export const updateNotebookBodySchema = {
  type: 'object',
  required: ['notebook', 'baseRevision'],
  properties: { notebook: notebookSchema, baseRevision: revisionIdSchema, message: messageSchema },
  additionalProperties: false
} as const;

export const patchNotebookBodySchema = {
  type: 'object',
  minProperties: 1,
  properties: {
    title: titleSchema,
    description: descriptionSchema,
    tags: tagsSchema,
    visibility: visibilitySchema,
    group: { anyOf: [nameSchema, { type: 'null' }] }
  },
  additionalProperties: false
} as const;

/** `:id` of a notebook or an API token. */
export const idParamsSchema = {
  type: 'object',
  required: ['id'],
  properties: { id: { type: 'string', minLength: 1, maxLength: 64 } },
  additionalProperties: false
} as const;

export const listNotebooksQuerySchema = {
  type: 'object',
  properties: {
    q: { type: 'string', maxLength: 500, description: 'Words to find in title, description, tags, markdown and code' },
    scope: {
      type: 'string',
      enum: ['mine', 'shared', 'group', 'public'],
      description: 'mine: owned by me; shared: shared with me or my groups; group: of my groups; public'
    },
    tag: { type: 'string', maxLength: 50 },
    owner: { type: 'string', maxLength: 64 },
    sort: { type: 'string', enum: ['updated', 'created', 'title', 'relevance'] },
    limit: { type: 'integer', minimum: 1, maximum: 100, default: 20 },
    cursor: { type: 'string', maxLength: 1000, description: 'nextCursor from the previous page' }
  }
} as const;

export const contentQuerySchema = {
  type: 'object',
  properties: { revision: { ...revisionIdSchema, description: 'A revision SHA; the latest when absent' } }
} as const;

export const principalSchema = {
  type: 'object',
  required: ['kind', 'name'],
  properties: { kind: principalKindSchema, name: nameSchema },
  additionalProperties: false
} as const;

export const shareSchema = {
  type: 'object',
  required: ['kind', 'name', 'role'],
  properties: { kind: principalKindSchema, name: nameSchema, role: { type: 'string', enum: ['reader', 'editor'] } },
  additionalProperties: false
} as const;

/** Reply and body of the sharing routes; it has no owner field, so sharing can never change the owner. */
export const sharingSchema = {
  type: 'object',
  required: ['visibility', 'group', 'shares'],
  properties: {
    visibility: visibilitySchema,
    group: { anyOf: [nameSchema, { type: 'null' }] },
    shares: { type: 'array', maxItems: 100, items: shareSchema }
  },
  additionalProperties: false
} as const;

export const transferBodySchema = {
  type: 'object',
  required: ['owner'],
  properties: { owner: principalSchema },
  additionalProperties: false
} as const;

/** OpenAPI security requirement for routes that need a login token. */
export const bearerSecurity = [{ bearerAuth: [] }];

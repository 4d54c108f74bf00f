/**
 * JSON schemas of the account, group and admin routes (mirroring the types in @notebook-gallery/core's api.ts;
 * the notebook routes' schemas are core's schemas/notebooks.ts); they validate requests,
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

export const userSchema = {
  type: 'object',
  required: ['username', 'isAdmin'],
  properties: { username: { type: 'string' }, isAdmin: { type: 'boolean' } },
  additionalProperties: false
} as const;

const nameSchema = { type: 'string', minLength: 1, maxLength: 64 } as const;
const visibilitySchema = { type: 'string', enum: ['private', 'group', 'public'] } as const;
const groupRoleSchema = { type: 'string', enum: ['owner', 'editor', 'member'] } as const;

/** `:id` of a notebook or an API token. */
export const idParamsSchema = {
  type: 'object',
  required: ['id'],
  properties: { id: { type: 'string', minLength: 1, maxLength: 64 } },
  additionalProperties: false
} as const;

export const loginBodySchema = {
  type: 'object',
  required: ['username', 'password'],
  properties: {
    username: { type: 'string', minLength: 1, maxLength: 64 },
    password: { type: 'string', maxLength: 1024 }
  },
  additionalProperties: false
} as const;

export const loginResponseSchema = {
  type: 'object',
  required: ['token', 'expiresAt', 'user'],
  properties: { token: { type: 'string' }, expiresAt: { type: 'string', format: 'date-time' }, user: userSchema },
  additionalProperties: false
} as const;

export const healthResponseSchema = {
  type: 'object',
  required: ['status', 'version'],
  properties: { status: { type: 'string', enum: ['ok'] }, version: { type: 'string' } },
  additionalProperties: false
} as const;

export const groupSchema = {
  type: 'object',
  required: ['name', 'role', 'members'],
  properties: {
    name: { type: 'string' },
    role: { anyOf: [groupRoleSchema, { type: 'null' }] },
    members: {
      type: 'array',
      items: {
        type: 'object',
        required: ['username', 'role'],
        properties: { username: { type: 'string' }, role: groupRoleSchema },
        additionalProperties: false
      }
    }
  },
  additionalProperties: false
} as const;

export const groupListResponseSchema = itemsResponse(groupSchema);

export const createGroupBodySchema = {
  type: 'object',
  required: ['name'],
  properties: { name: nameSchema },
  additionalProperties: false
} as const;

export const groupParamsSchema = {
  type: 'object',
  required: ['name'],
  properties: { name: nameSchema },
  additionalProperties: false
} as const;

export const memberParamsSchema = {
  type: 'object',
  required: ['name', 'username'],
  properties: { name: nameSchema, username: nameSchema },
  additionalProperties: false
} as const;

export const memberBodySchema = {
  type: 'object',
  required: ['role'],
  properties: { role: groupRoleSchema },
  additionalProperties: false
} as const;

export const userSearchQuerySchema = {
  type: 'object',
  properties: {
    q: { type: 'string', maxLength: 64, default: '', description: 'Start of the username' },
    limit: { type: 'integer', minimum: 1, maximum: 50, default: 20 }
  }
} as const;

export const userSearchResponseSchema = itemsResponse({
  type: 'object',
  required: ['username'],
  properties: { username: { type: 'string' } },
  additionalProperties: false
} as const);

export const authConfigSchema = {
  type: 'object',
  required: ['password', 'registration', 'ssoLoginUrl', 'ssoLabel', 'anonymousRead', 'defaultVisibility'],
  properties: {
    password: { type: 'boolean' },
    registration: { type: 'string', enum: ['closed', 'open', 'domains'] },
    ssoLoginUrl: { type: ['string', 'null'] },
    ssoLabel: { type: ['string', 'null'] },
    anonymousRead: { type: 'boolean' },
    defaultVisibility: visibilitySchema
  },
  additionalProperties: false
} as const;

export const registerBodySchema = {
  type: 'object',
  required: ['username', 'password'],
  properties: {
    username: nameSchema,
    password: { type: 'string', minLength: 8, maxLength: 1024 },
    email: { type: 'string', maxLength: 254, pattern: '^[^@\\s]+@[^@\\s]+$' }
  },
  additionalProperties: false
} as const;

export const changePasswordBodySchema = {
  type: 'object',
  required: ['currentPassword', 'newPassword'],
  properties: {
    currentPassword: { type: 'string', maxLength: 1024 },
    newPassword: { type: 'string', minLength: 8, maxLength: 1024 }
  },
  additionalProperties: false
} as const;

const apiTokenInfoProperties = {
  id: { type: 'string' },
  name: { type: 'string' },
  createdAt: { type: 'string', format: 'date-time' },
  lastUsedAt: { type: ['string', 'null'], format: 'date-time' },
  expiresAt: { type: ['string', 'null'], format: 'date-time' }
} as const;

export const apiTokenInfoSchema = {
  type: 'object',
  required: Object.keys(apiTokenInfoProperties),
  properties: apiTokenInfoProperties,
  additionalProperties: false
} as const;

export const createApiTokenBodySchema = {
  type: 'object',
  required: ['name'],
  properties: {
    name: { type: 'string', minLength: 1, maxLength: 100, pattern: '\\S' },
    expiresInDays: { type: 'integer', minimum: 1, maximum: 3650 }
  },
  additionalProperties: false
} as const;

export const createApiTokenResponseSchema = {
  type: 'object',
  required: [...Object.keys(apiTokenInfoProperties), 'token'],
  properties: { ...apiTokenInfoProperties, token: { type: 'string', description: 'Shown only this once' } },
  additionalProperties: false
} as const;

export const apiTokenListResponseSchema = itemsResponse(apiTokenInfoSchema);

export const auditQuerySchema = {
  type: 'object',
  properties: {
    limit: { type: 'integer', minimum: 1, maximum: 1000, default: 100 },
    before: { type: 'integer', minimum: 1, description: 'id of the oldest entry of the previous page' }
  }
} as const;

export const auditResponseSchema = itemsResponse({
  type: 'object',
  required: ['id', 'actor', 'action', 'target', 'details', 'at'],
  properties: {
    id: { type: 'integer' },
    actor: { type: 'string' },
    action: { type: 'string' },
    target: { type: 'string' },
    details: { type: 'object', additionalProperties: true },
    at: { type: 'string', format: 'date-time' }
  },
  additionalProperties: false
} as const);

/** OpenAPI security requirement for routes that need a login token. */
export const bearerSecurity = [{ bearerAuth: [] }];

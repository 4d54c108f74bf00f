/**
 * Schema pieces every feature's API shapes use. Each schema is written once with TypeBox: the server validates and
 * serialises with it (and it becomes the OpenAPI document), and the TypeScript types both sides use are derived from
 * it with `Static`, so the wire format cannot drift from the types.
 */
import { Type, type Static, type TSchema } from '@sinclair/typebox';

/** Every non-2xx reply; details such as `currentRevision` or `path` ride along as extra properties. */
export const ApiErrorSchema = Type.Object(
  {
    error: Type.String({ description: 'An ErrorCode, e.g. REVISION_CONFLICT' }),
    message: Type.String()
  },
  { additionalProperties: true }
);

/** Every non-2xx reply: `{ error, message, ...details }`. */
export interface IApiError {
  error: string;
  message: string;
  [detail: string]: unknown;
}

/** The listed error statuses, each answered with {@link ApiErrorSchema}; spread into a route's `response`. */
export function errorResponses(...statuses: number[]): Record<number, typeof ApiErrorSchema> {
  return Object.fromEntries(statuses.map(status => [status, ApiErrorSchema]));
}

/** The `{ items: [...] }` reply every list route but the paginated notebook list gives. */
export function ItemsResponse<T extends TSchema>(item: T) {
  return Type.Object({ items: Type.Array(item) }, { additionalProperties: false });
}

/** `T` or null; serialised as `anyOf`, which the OpenAPI document and the serialiser both understand. */
export function Nullable<T extends TSchema>(schema: T) {
  return Type.Union([schema, Type.Null()]);
}

/** A user or group name. */
export const NameSchema = Type.String({ minLength: 1, maxLength: 64 });

/** An ISO 8601 timestamp in UTC. */
export const TimestampSchema = Type.String({ format: 'date-time' });

/** A gallery user as other users see them. */
export const UserSchema = Type.Object(
  { username: Type.String(), isAdmin: Type.Boolean() },
  { additionalProperties: false }
);
export type IUser = Static<typeof UserSchema>;

/** Who may read a notebook besides its owner and explicit shares. */
export const VisibilitySchema = Type.Union([Type.Literal('private'), Type.Literal('group'), Type.Literal('public')]);
export type Visibility = Static<typeof VisibilitySchema>;

/** Owners and share targets are users or groups; user and group names live in separate namespaces. */
export const PrincipalKindSchema = Type.Union([Type.Literal('user'), Type.Literal('group')]);
export type PrincipalKind = Static<typeof PrincipalKindSchema>;

/** A member's role in a group: owners manage membership, editors save revisions, members read. */
export const GroupRoleSchema = Type.Union([Type.Literal('owner'), Type.Literal('editor'), Type.Literal('member')]);
export type GroupRole = Static<typeof GroupRoleSchema>;

/** What an explicit share allows. */
export const ShareRoleSchema = Type.Union([Type.Literal('reader'), Type.Literal('editor')]);
export type ShareRole = Static<typeof ShareRoleSchema>;

/** `:id` of a notebook or an API token. */
export const IdParamsSchema = Type.Object(
  { id: Type.String({ minLength: 1, maxLength: 64 }) },
  { additionalProperties: false }
);
export type IIdParams = Static<typeof IdParamsSchema>;

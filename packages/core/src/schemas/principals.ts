/** Shapes of the lookup of users and groups by the start of their name, which the share dialog suggests from. */
import { Type, type Static } from '@sinclair/typebox';

/** Most users, and most groups, `GET /api/principals` answers when the query does not say. */
export const PRINCIPAL_SEARCH_DEFAULT_LIMIT = 10;

/** Most it answers at all: suggestions are for picking, not for listing everyone. */
export const PRINCIPAL_SEARCH_MAX_LIMIT = 25;

/** `GET /api/principals` query. */
export const PrincipalSearchQuerySchema = Type.Object({
  prefix: Type.String({
    minLength: 1,
    maxLength: 64,
    description: 'Start of the username or group name, any case; % and _ are plain characters'
  }),
  limit: Type.Optional(
    Type.Integer({
      minimum: 1,
      maximum: PRINCIPAL_SEARCH_MAX_LIMIT,
      default: PRINCIPAL_SEARCH_DEFAULT_LIMIT,
      description: 'Most users, and most groups, to answer'
    })
  )
});
export type IPrincipalSearchQuery = Static<typeof PrincipalSearchQuerySchema>;

/** A user whose name matched. */
export const UserMatchSchema = Type.Object({ username: Type.String() }, { additionalProperties: false });
export type IUserMatch = Static<typeof UserMatchSchema>;

/** A group whose name matched; any signed-in user may see it, member or not, but not who is in it. */
export const GroupMatchSchema = Type.Object(
  {
    name: Type.String(),
    memberCount: Type.Integer({ minimum: 0, description: 'Members the gallery knows of' })
  },
  { additionalProperties: false }
);
export type IGroupMatch = Static<typeof GroupMatchSchema>;

/**
 * `GET /api/principals` reply: enabled users and groups whose names start with the prefix in any case, each list
 * with the name equal to the prefix first (the exact spelling before other cases), then alphabetically ignoring case.
 */
export const PrincipalSearchResponseSchema = Type.Object(
  { users: Type.Array(UserMatchSchema), groups: Type.Array(GroupMatchSchema) },
  { additionalProperties: false }
);
export type IPrincipalSearchResponse = Static<typeof PrincipalSearchResponseSchema>;

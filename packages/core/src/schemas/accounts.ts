/**
 * Shapes of the account routes: login, registration, passwords, sessions, API tokens, single sign-on and the user
 * search of the share dialog.
 */
import { Type, type Static } from '@sinclair/typebox';
import { ItemsResponse, NameSchema, Nullable, TimestampSchema, UserSchema, VisibilitySchema } from './common';

/** How new accounts come to exist, set by the admin. */
export const RegistrationModeSchema = Type.Union([
  Type.Literal('closed'),
  Type.Literal('open'),
  Type.Literal('domains')
]);
export type RegistrationMode = Static<typeof RegistrationModeSchema>;

/** `GET /api/auth/config` reply (no login needed): what the login form should offer. */
export const AuthConfigSchema = Type.Object(
  {
    password: Type.Boolean(),
    registration: RegistrationModeSchema,
    ssoLoginUrl: Nullable(
      Type.String({ description: 'Set when single sign-on is available: open it (plus ?origin=) in a popup' })
    ),
    ssoLabel: Nullable(Type.String({ description: 'Human name of the single sign-on method' })),
    anonymousRead: Type.Boolean(),
    defaultVisibility: VisibilitySchema,
    uploadLimitBytes: Type.Integer({
      minimum: 1,
      description: 'The largest request body accepted (--body-limit); a bigger upload gets 413 PAYLOAD_TOO_LARGE'
    })
  },
  { additionalProperties: false }
);
export type IAuthConfig = Static<typeof AuthConfigSchema>;

/** `POST /api/auth/login` body. */
export const LoginRequestSchema = Type.Object(
  {
    username: Type.String({ minLength: 1, maxLength: 64 }),
    password: Type.String({ maxLength: 1024 })
  },
  { additionalProperties: false }
);
export type ILoginRequest = Static<typeof LoginRequestSchema>;

/** `POST /api/auth/login` reply; send the token as `Authorization: Bearer <token>` until `expiresAt`. */
export const LoginResponseSchema = Type.Object(
  { token: Type.String(), expiresAt: TimestampSchema, user: UserSchema },
  { additionalProperties: false }
);
export type ILoginResponse = Static<typeof LoginResponseSchema>;

/** `POST /api/auth/register` body. */
export const RegisterRequestSchema = Type.Object(
  {
    username: NameSchema,
    password: Type.String({ minLength: 8, maxLength: 1024 }),
    email: Type.Optional(Type.String({ maxLength: 254, pattern: '^[^@\\s]+@[^@\\s]+$' }))
  },
  { additionalProperties: false }
);
export type IRegisterRequest = Static<typeof RegisterRequestSchema>;

/** `POST /api/auth/password` body. */
export const ChangePasswordRequestSchema = Type.Object(
  {
    currentPassword: Type.String({ maxLength: 1024 }),
    newPassword: Type.String({ minLength: 8, maxLength: 1024 })
  },
  { additionalProperties: false }
);
export type IChangePasswordRequest = Static<typeof ChangePasswordRequestSchema>;

/**
 * `personal`: made by the user by name, kept when the password changes. `session`: what JupyterLab gets from a
 * password login or single sign-on; a password change or "sign out everywhere" ends it.
 */
export const ApiTokenKindSchema = Type.Union([Type.Literal('personal'), Type.Literal('session')]);
export type ApiTokenKind = Static<typeof ApiTokenKindSchema>;

const apiTokenInfoProperties = {
  id: Type.String(),
  name: Type.String(),
  kind: ApiTokenKindSchema,
  createdAt: TimestampSchema,
  lastUsedAt: Nullable(TimestampSchema),
  expiresAt: Nullable(TimestampSchema)
};

/** An API token as listed; the secret itself is shown only once, at creation. */
export const ApiTokenInfoSchema = Type.Object(apiTokenInfoProperties, { additionalProperties: false });
export type IApiTokenInfo = Static<typeof ApiTokenInfoSchema>;

/** `POST /api/tokens` body. */
export const CreateApiTokenRequestSchema = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 100, pattern: '\\S' }),
    expiresInDays: Type.Optional(
      Type.Integer({ minimum: 1, maximum: 3650, description: "Lifetime in days; absent means the server's default" })
    ),
    kind: Type.Optional(
      Type.Union([Type.Literal('personal'), Type.Literal('session')], {
        description: 'personal (the default) or session'
      })
    )
  },
  { additionalProperties: false }
);
export type ICreateApiTokenRequest = Static<typeof CreateApiTokenRequestSchema>;

/** `POST /api/tokens` reply: `token` is shown this once and stored only hashed. */
export const CreateApiTokenResponseSchema = Type.Object(
  { ...apiTokenInfoProperties, token: Type.String({ description: 'Shown only this once' }) },
  { additionalProperties: false }
);
export type ICreateApiTokenResponse = Static<typeof CreateApiTokenResponseSchema>;

/** `GET /api/tokens` reply. */
export const ApiTokenListResponseSchema = ItemsResponse(ApiTokenInfoSchema);
export type IApiTokenListResponse = Static<typeof ApiTokenListResponseSchema>;

/** What the single sign-on popup posts to `window.opener` (only to an allowed origin). */
export const SsoTokenMessageSchema = Type.Object(
  {
    type: Type.Literal('notebook-gallery:token'),
    token: Type.String(),
    tokenId: Type.String({ description: "The token's id, so that logging out can revoke it" }),
    expiresAt: Nullable(TimestampSchema),
    user: UserSchema
  },
  { additionalProperties: false }
);
export type ISsoTokenMessage = Static<typeof SsoTokenMessageSchema>;

/** `GET /api/auth/sso/start` query and `POST /api/auth/sso/session` body: the JupyterLab origin of the popup. */
export const SsoOriginSchema = Type.Object({
  origin: Type.String({ maxLength: 300, description: 'The JupyterLab origin that opened the popup' })
});
export type ISsoOrigin = Static<typeof SsoOriginSchema>;

/** `GET /api/users` query. */
export const UserSearchQuerySchema = Type.Object({
  q: Type.String({ maxLength: 64, default: '', description: 'Start of the username' }),
  limit: Type.Integer({ minimum: 1, maximum: 50, default: 20 })
});
export type IUserSearchQuery = Static<typeof UserSearchQuerySchema>;

/** `GET /api/users` reply. */
export const UserSearchResponseSchema = ItemsResponse(
  Type.Object({ username: Type.String() }, { additionalProperties: false })
);
export type IUserSearchResponse = Static<typeof UserSearchResponseSchema>;

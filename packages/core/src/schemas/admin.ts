/** Shapes of the admin routes: accounts and the audit log. */
import { Type, type Static } from '@sinclair/typebox';
import { ItemsResponse, NameSchema, TimestampSchema } from './common';

/** An account as admins see it. */
export const AdminUserSchema = Type.Object(
  { username: Type.String(), isAdmin: Type.Boolean(), disabled: Type.Boolean(), createdAt: TimestampSchema },
  { additionalProperties: false }
);
export type IAdminUser = Static<typeof AdminUserSchema>;

/** `GET /api/admin/users` reply, by username. */
export const AdminUserListResponseSchema = ItemsResponse(AdminUserSchema);
export type IAdminUserListResponse = Static<typeof AdminUserListResponseSchema>;

/** `:username` of an account. */
export const UsernameParamsSchema = Type.Object({ username: NameSchema }, { additionalProperties: false });
export type IUsernameParams = Static<typeof UsernameParamsSchema>;

/** `PATCH /api/admin/users/:username` body. */
export const PatchAdminUserRequestSchema = Type.Object(
  {
    disabled: Type.Boolean({
      description: "true: the account's logins and tokens stop working at once; false: it may log in again"
    })
  },
  { additionalProperties: false }
);
export type IPatchAdminUserRequest = Static<typeof PatchAdminUserRequestSchema>;

/** One audited admin action. */
export const AuditEntrySchema = Type.Object(
  {
    id: Type.Integer(),
    actor: Type.String(),
    action: Type.String(),
    target: Type.String(),
    details: Type.Unsafe<Record<string, unknown>>({ type: 'object', additionalProperties: true }),
    at: TimestampSchema
  },
  { additionalProperties: false }
);
export type IAuditEntry = Static<typeof AuditEntrySchema>;

/** `GET /api/admin/audit` query. */
export const AuditQuerySchema = Type.Object({
  limit: Type.Integer({ minimum: 1, maximum: 1000, default: 100 }),
  before: Type.Optional(Type.Integer({ minimum: 1, description: 'id of the oldest entry of the previous page' }))
});
export type IAuditQuery = Static<typeof AuditQuerySchema>;

/** `GET /api/admin/audit` reply, newest first. */
export const AuditListResponseSchema = ItemsResponse(AuditEntrySchema);
export type IAuditListResponse = Static<typeof AuditListResponseSchema>;

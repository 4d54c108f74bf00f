/** Shapes of the group routes. */
import { Type, type Static } from '@sinclair/typebox';
import { GroupRoleSchema, ItemsResponse, NameSchema, Nullable } from './common';

/** One member of a group and their role. */
export const GroupMemberSchema = Type.Object(
  { username: Type.String(), role: GroupRoleSchema },
  { additionalProperties: false }
);
export type IGroupMember = Static<typeof GroupMemberSchema>;

/** A group and its members, as a member sees it; `role` is the caller's, null for admins who are not members. */
export const GroupSchema = Type.Object(
  { name: Type.String(), role: Nullable(GroupRoleSchema), members: Type.Array(GroupMemberSchema) },
  { additionalProperties: false }
);
export type IGroup = Static<typeof GroupSchema>;

/** `GET /api/groups` reply: the caller's groups (every group for admins). */
export const GroupListResponseSchema = ItemsResponse(GroupSchema);
export type IGroupListResponse = Static<typeof GroupListResponseSchema>;

/** `POST /api/groups` body. */
export const CreateGroupRequestSchema = Type.Object({ name: NameSchema }, { additionalProperties: false });
export type ICreateGroupRequest = Static<typeof CreateGroupRequestSchema>;

/** `:name` of a group. */
export const GroupParamsSchema = Type.Object({ name: NameSchema }, { additionalProperties: false });
export type IGroupParams = Static<typeof GroupParamsSchema>;

/** `:name` and `:username` of a group membership. */
export const MemberParamsSchema = Type.Object(
  { name: NameSchema, username: NameSchema },
  { additionalProperties: false }
);
export type IMemberParams = Static<typeof MemberParamsSchema>;

/** `PUT /api/groups/:name/members/:username` body. */
export const SetMemberRequestSchema = Type.Object({ role: GroupRoleSchema }, { additionalProperties: false });
export type ISetMemberRequest = Static<typeof SetMemberRequestSchema>;

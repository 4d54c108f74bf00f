import type { GroupRole, IGroup, IGroupListResponse } from '@notebook-gallery/core';
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { hasGroupRole, withoutAdmin } from '../auth/permissions';
import { ForbiddenError } from '../errors/ForbiddenError';
import { GroupNotFoundError } from '../errors/GroupNotFoundError';
import {
  bearerSecurity,
  createGroupBodySchema,
  errorResponses,
  groupListResponseSchema,
  groupParamsSchema,
  groupSchema,
  memberBodySchema,
  memberParamsSchema
} from '../schemas/apiSchemas';

interface IMemberParams {
  name: string;
  username: string;
}

/**
 * Groups: anyone may create one (and owns it); members see it; only its owners (and admins) change membership.
 * Reading a group the caller is not in answers 404 GROUP_NOT_FOUND, so member lists stay private. Changing the
 * members of an existing group without owning it is an escalation attempt and answers 403: group names are not
 * secret (notebooks show them), and the refusal must say so.
 */
export const groupRoutes: FastifyPluginAsync = async fastify => {
  fastify.addHook('onRequest', fastify.authenticate);
  const groups = fastify.groups;
  const tags = ['groups'];

  /**
   * Checks that `name` exists and the caller holds `minimum` in it: a reader outside the group gets 404, anyone
   * else without the role 403.
   */
  const authorizeGroup = (request: FastifyRequest, name: string, minimum: GroupRole): void => {
    if (!groups.exists(name) || (minimum === 'member' && !hasGroupRole(request.caller, name, 'member'))) {
      throw new GroupNotFoundError(name);
    }
    if (!hasGroupRole(request.caller, name, minimum)) {
      throw new ForbiddenError(`Only owners of group "${name}" or an admin may change its members`);
    }
  };

  fastify.get<{ Reply: IGroupListResponse }>(
    '/api/groups',
    {
      schema: {
        summary: 'Your groups (every group for admins)',
        tags,
        security: bearerSecurity,
        response: { 200: groupListResponseSchema, ...errorResponses(401) }
      }
    },
    async request => ({ items: groups.list(request.user.username, request.user.isAdmin) })
  );

  fastify.post<{ Body: { name: string }; Reply: IGroup }>(
    '/api/groups',
    {
      schema: {
        summary: 'Create a group; you become its owner',
        tags,
        security: bearerSecurity,
        body: createGroupBodySchema,
        response: { 201: groupSchema, ...errorResponses(400, 401, 409) }
      }
    },
    async (request, reply) => reply.code(201).send(groups.create(request.body.name, request.user.username))
  );

  fastify.get<{ Params: { name: string }; Reply: IGroup }>(
    '/api/groups/:name',
    {
      schema: {
        summary: 'A group and its members (members and admins only)',
        tags,
        security: bearerSecurity,
        params: groupParamsSchema,
        response: { 200: groupSchema, ...errorResponses(401, 404) }
      }
    },
    async request => {
      authorizeGroup(request, request.params.name, 'member');
      return groups.get(request.params.name, request.user.username);
    }
  );

  fastify.put<{ Params: IMemberParams; Body: { role: GroupRole }; Reply: IGroup }>(
    '/api/groups/:name/members/:username',
    {
      schema: {
        summary: "Add a member or change a member's role (group owners and admins)",
        tags,
        security: bearerSecurity,
        params: memberParamsSchema,
        body: memberBodySchema,
        response: { 200: groupSchema, ...errorResponses(400, 401, 403, 404) }
      }
    },
    async request => {
      const { name, username } = request.params;
      authorizeGroup(request, name, 'owner');
      groups.setMember(name, username, request.body.role);
      auditIfAdminOnly(request, 'group.member.put', name, { username, role: request.body.role });
      return groups.get(name, request.user.username);
    }
  );

  fastify.delete<{ Params: IMemberParams }>(
    '/api/groups/:name/members/:username',
    {
      schema: {
        summary: 'Remove a member (group owners and admins); the last owner cannot be removed',
        tags,
        security: bearerSecurity,
        params: memberParamsSchema,
        response: { 204: { type: 'null', description: 'Removed' }, ...errorResponses(400, 401, 403, 404) }
      }
    },
    async (request, reply) => {
      const { name, username } = request.params;
      authorizeGroup(request, name, 'owner');
      groups.removeMember(name, username);
      auditIfAdminOnly(request, 'group.member.delete', name, { username });
      return reply.code(204).send();
    }
  );

  function auditIfAdminOnly(request: FastifyRequest, action: string, group: string, details: object): void {
    if (!hasGroupRole(withoutAdmin(request.caller), group, 'owner')) {
      fastify.audit.record(request.user.username, action, `group:${group}`, { ...details });
    }
  }
};

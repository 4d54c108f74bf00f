import {
  CreateGroupRequestSchema,
  errorResponses,
  GroupListResponseSchema,
  GroupParamsSchema,
  GroupSchema,
  MemberParamsSchema,
  SetMemberRequestSchema
} from '@notebook-gallery/core';
import type { FastifyPluginAsync } from 'fastify';
import { bearerSecurity } from '../schemas/routeSchemas';
import { noContent, type CoreTypeProvider } from '../schemas/routeSchemas';

/** Groups; who may see and change what is services/groupService.ts's call. */
export const groupRoutes: FastifyPluginAsync = async instance => {
  const fastify = instance.withTypeProvider<CoreTypeProvider>();
  fastify.addHook('onRequest', fastify.authenticate);
  const { groups } = fastify;
  const tags = ['groups'];

  fastify.get(
    '/api/groups',
    {
      schema: {
        summary: 'Your groups (every group for admins)',
        tags,
        security: bearerSecurity,
        response: { 200: GroupListResponseSchema, ...errorResponses(401) }
      }
    },
    async request => ({ items: await groups.list(request.user.username, request.user.isAdmin) })
  );

  fastify.post(
    '/api/groups',
    {
      schema: {
        summary: 'Create a group; you become its owner',
        tags,
        security: bearerSecurity,
        body: CreateGroupRequestSchema,
        response: { 201: GroupSchema, ...errorResponses(400, 401, 409) }
      }
    },
    async (request, reply) => reply.code(201).send(await groups.create(request.body.name, request.user.username))
  );

  fastify.get(
    '/api/groups/:name',
    {
      schema: {
        summary: 'A group and its members (members and admins only)',
        tags,
        security: bearerSecurity,
        params: GroupParamsSchema,
        response: { 200: GroupSchema, ...errorResponses(401, 404) }
      }
    },
    async request => groups.getFor({ ...request.caller, user: request.user }, request.params.name)
  );

  fastify.put(
    '/api/groups/:name/members/:username',
    {
      schema: {
        summary: "Add a member or change a member's role (group owners and admins)",
        tags,
        security: bearerSecurity,
        params: MemberParamsSchema,
        body: SetMemberRequestSchema,
        response: { 200: GroupSchema, ...errorResponses(400, 401, 403, 404) }
      }
    },
    async request => {
      const { name, username } = request.params;
      return groups.setMemberFor({ ...request.caller, user: request.user }, name, username, request.body.role);
    }
  );

  fastify.delete(
    '/api/groups/:name/members/:username',
    {
      schema: {
        summary:
          'Remove a member (group owners and admins); the last owner cannot be removed, a non-member answers MEMBER_NOT_FOUND',
        tags,
        security: bearerSecurity,
        params: MemberParamsSchema,
        response: { 204: noContent('Removed'), ...errorResponses(400, 401, 403, 404) }
      }
    },
    async (request, reply) => {
      await groups.removeMemberFor(
        { ...request.caller, user: request.user },
        request.params.name,
        request.params.username
      );
      return reply.code(204).send();
    }
  );
};

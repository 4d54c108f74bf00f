import {
  AdminUserListResponseSchema,
  AdminUserSchema,
  AuditListResponseSchema,
  AuditQuerySchema,
  errorResponses,
  PatchAdminUserRequestSchema,
  UsernameParamsSchema
} from '@notebook-gallery/core';
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { ForbiddenError } from '../errors/ForbiddenError';
import { bearerSecurity, type CoreTypeProvider } from '../schemas/routeSchemas';

/** Admin-only views and actions: the audit log and accounts. */
export const adminRoutes: FastifyPluginAsync = async instance => {
  const fastify = instance.withTypeProvider<CoreTypeProvider>();
  fastify.addHook('onRequest', fastify.authenticate);
  fastify.addHook('preHandler', async (request: FastifyRequest) => {
    if (!request.user.isAdmin) {
      throw new ForbiddenError('Only admins may do this');
    }
  });
  const tags = ['admin'];

  fastify.get(
    '/api/admin/audit',
    {
      schema: {
        summary: 'What admins did that only their admin role allowed, newest first (admins only)',
        tags,
        security: bearerSecurity,
        querystring: AuditQuerySchema,
        response: { 200: AuditListResponseSchema, ...errorResponses(401, 403) }
      }
    },
    async request => ({ items: await fastify.audit.list(request.query.limit, request.query.before) })
  );

  fastify.get(
    '/api/admin/users',
    {
      schema: {
        summary: 'Every account, with whether it is disabled (admins only)',
        tags,
        security: bearerSecurity,
        response: { 200: AdminUserListResponseSchema, ...errorResponses(401, 403) }
      }
    },
    async () => ({ items: await fastify.accounts.listUsers() })
  );

  fastify.patch(
    '/api/admin/users/:username',
    {
      schema: {
        summary:
          'Disable an account (its logins and tokens stop working at once) or enable it again; audited (admins only, not on themselves)',
        tags,
        security: bearerSecurity,
        params: UsernameParamsSchema,
        body: PatchAdminUserRequestSchema,
        response: { 200: AdminUserSchema, ...errorResponses(400, 401, 403, 404) }
      }
    },
    async request => fastify.accounts.setDisabled(request.params.username, request.body.disabled, request.user)
  );
};

import type { FastifyPluginAsync } from 'fastify';
import type { IAuditEntry } from '../audit/auditLog';
import { ForbiddenError } from '../errors/ForbiddenError';
import { auditQuerySchema, auditResponseSchema, bearerSecurity, errorResponses } from '../schemas/apiSchemas';

/** Admin-only views. */
export const adminRoutes: FastifyPluginAsync = async fastify => {
  fastify.get<{ Querystring: { limit: number; before?: number }; Reply: { items: IAuditEntry[] } }>(
    '/api/admin/audit',
    {
      onRequest: fastify.authenticate,
      schema: {
        summary: 'What admins did that only their admin role allowed, newest first (admins only)',
        tags: ['admin'],
        security: bearerSecurity,
        querystring: auditQuerySchema,
        response: { 200: auditResponseSchema, ...errorResponses(401, 403) }
      }
    },
    async request => {
      if (!request.user.isAdmin) {
        throw new ForbiddenError('Only admins may read the audit log');
      }
      return { items: fastify.audit.list(request.query.limit, request.query.before) };
    }
  );
};

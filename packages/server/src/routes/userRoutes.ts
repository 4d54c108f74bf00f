import type { FastifyPluginAsync } from 'fastify';
import { bearerSecurity, errorResponses, userSearchQuerySchema, userSearchResponseSchema } from '../schemas/apiSchemas';

/** Finding users by name, for the share dialog. */
export const userRoutes: FastifyPluginAsync = async fastify => {
  fastify.get<{ Querystring: { q: string; limit: number }; Reply: { items: Array<{ username: string }> } }>(
    '/api/users',
    {
      onRequest: fastify.authenticate,
      schema: {
        summary: 'Usernames starting with q (logged-in users only; a few at a time)',
        tags: ['users'],
        security: bearerSecurity,
        querystring: userSearchQuerySchema,
        response: { 200: userSearchResponseSchema, ...errorResponses(400, 401) }
      }
    },
    async request => ({
      items: fastify.users.search(request.query.q, request.query.limit).map(username => ({ username }))
    })
  );
};

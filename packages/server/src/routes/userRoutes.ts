import { errorResponses, UserSearchQuerySchema, UserSearchResponseSchema } from '@notebook-gallery/core';
import type { FastifyPluginAsync } from 'fastify';
import { bearerSecurity, type CoreTypeProvider } from '../schemas/routeSchemas';

/** Finding users by name, for the share dialog. */
export const userRoutes: FastifyPluginAsync = async instance => {
  const fastify = instance.withTypeProvider<CoreTypeProvider>();
  fastify.get(
    '/api/users',
    {
      onRequest: fastify.authenticate,
      schema: {
        summary: 'Usernames starting with q (logged-in users only; a few at a time)',
        tags: ['users'],
        security: bearerSecurity,
        querystring: UserSearchQuerySchema,
        response: { 200: UserSearchResponseSchema, ...errorResponses(400, 401) }
      }
    },
    async request => ({
      items: (await fastify.accounts.search(request.query.q, request.query.limit)).map(username => ({ username }))
    })
  );
};

import {
  errorResponses,
  PRINCIPAL_SEARCH_DEFAULT_LIMIT,
  PrincipalSearchQuerySchema,
  PrincipalSearchResponseSchema
} from '@notebook-gallery/core';
import type { FastifyPluginAsync } from 'fastify';
import { bearerSecurity, type CoreTypeProvider } from '../schemas/routeSchemas';

/** Finding users and groups by the start of their name, for the share dialog's suggestions. */
export const principalRoutes: FastifyPluginAsync = async instance => {
  const fastify = instance.withTypeProvider<CoreTypeProvider>();
  fastify.get(
    '/api/principals',
    {
      // Signed-in users only, even where anonymous reading is on: names of people and groups are not public.
      onRequest: fastify.authenticate,
      schema: {
        summary: 'Users and groups whose names start with a prefix, in any case (signed-in users only)',
        tags: ['users', 'groups'],
        security: bearerSecurity,
        querystring: PrincipalSearchQuerySchema,
        response: { 200: PrincipalSearchResponseSchema, ...errorResponses(400, 401) }
      }
    },
    async request =>
      fastify.gallery.principals.search(request.query.prefix, request.query.limit ?? PRINCIPAL_SEARCH_DEFAULT_LIMIT)
  );
};

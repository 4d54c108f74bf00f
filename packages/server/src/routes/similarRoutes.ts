import {
  errorResponses,
  IdParamsSchema,
  SIMILAR_DEFAULT_LIMIT,
  SimilarQuerySchema,
  SimilarResponseSchema
} from '@notebook-gallery/core';
import type { FastifyPluginAsync } from 'fastify';
import { bearerSecurity, type CoreTypeProvider } from '../schemas/routeSchemas';

/** Similar notebooks: read like the notebook itself (anonymous callers too when anonymous reading is on). */
export const similarRoutes: FastifyPluginAsync = async instance => {
  const fastify = instance.withTypeProvider<CoreTypeProvider>();
  const similarity = fastify.gallery.similarity;

  fastify.get(
    '/api/notebooks/:id/similar',
    {
      onRequest: fastify.authenticateOrAnonymous,
      schema: {
        summary:
          'Notebooks similar to this one (shared packages, names in code and words) and notebooks that the people ' +
          'who opened it also opened; only notebooks the caller may read',
        tags: ['notebooks'],
        security: bearerSecurity,
        params: IdParamsSchema,
        querystring: SimilarQuerySchema,
        response: { 200: SimilarResponseSchema, ...errorResponses(400, 401, 404, 503) }
      }
    },
    async request => similarity.similar(request.caller, request.params.id, request.query.limit ?? SIMILAR_DEFAULT_LIMIT)
  );
};

import {
  ActivityRequestSchema,
  errorResponses,
  FacetsQuerySchema,
  FacetsResponseSchema,
  IdParamsSchema,
  StarResponseSchema,
  TAG_LIST_DEFAULT_LIMIT,
  TagsQuerySchema,
  TagsResponseSchema
} from '@notebook-gallery/core';
import type { FastifyPluginAsync } from 'fastify';
import { bearerSecurity, noContent, type CoreTypeProvider } from '../schemas/routeSchemas';

/**
 * Stars, usage activity, search facets and tag autocomplete: each route hands the caller and the validated request
 * to the signal service, which checks read access.
 */
export const signalRoutes: FastifyPluginAsync = async instance => {
  const fastify = instance.withTypeProvider<CoreTypeProvider>();
  const signals = fastify.gallery.signals;
  const tags = ['signals'];
  const readHook = { onRequest: fastify.authenticateOrAnonymous };
  const writeHook = { onRequest: fastify.authenticate };

  for (const [method, starred] of [
    ['PUT', true],
    ['DELETE', false]
  ] as const) {
    fastify.route({
      method,
      url: '/api/notebooks/:id/star',
      config: { writeLimit: 'activity' },
      ...writeHook,
      schema: {
        summary: starred ? 'Star a notebook (again: no change)' : 'Unstar a notebook (again: no change)',
        tags,
        security: bearerSecurity,
        params: IdParamsSchema,
        response: { 200: StarResponseSchema, ...errorResponses(401, 404) }
      },
      handler: async request => signals.setStar(request.caller, request.params.id, starred)
    });
  }

  fastify.post(
    '/api/notebooks/:id/activity',
    {
      config: { writeLimit: 'activity' },
      ...writeHook,
      schema: {
        summary:
          'Record that you viewed, opened or downloaded a notebook; a repeat of the same kind within an hour is not counted',
        tags,
        security: bearerSecurity,
        params: IdParamsSchema,
        body: ActivityRequestSchema,
        response: { 204: noContent('Recorded'), ...errorResponses(400, 401, 404) }
      }
    },
    async (request, reply) => {
      await signals.recordActivity(request.caller, request.params.id, request.body.kind);
      return reply.code(204).send();
    }
  );

  fastify.get(
    '/api/notebooks/facets',
    {
      ...readHook,
      schema: {
        summary: 'The most frequent tags, owners and languages of the notebooks a listing with these filters finds',
        tags,
        security: bearerSecurity,
        querystring: FacetsQuerySchema,
        response: { 200: FacetsResponseSchema, ...errorResponses(400, 401, 503) }
      }
    },
    async request => signals.facets(request.caller, request.query)
  );

  fastify.get(
    '/api/tags',
    {
      ...readHook,
      schema: {
        summary: 'Tags of the notebooks you may read that start with a prefix, most used first',
        tags,
        security: bearerSecurity,
        querystring: TagsQuerySchema,
        response: { 200: TagsResponseSchema, ...errorResponses(400, 401) }
      }
    },
    async request =>
      signals.tags(request.caller, request.query.prefix ?? '', request.query.limit ?? TAG_LIST_DEFAULT_LIMIT)
  );
};

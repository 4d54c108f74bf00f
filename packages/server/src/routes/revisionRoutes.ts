import {
  SecretsFoundReplySchema,
  errorResponses,
  IdParamsSchema,
  LineageResponseSchema,
  MergedSaveResponseSchema,
  RestoreRevisionRequestSchema,
  RevisionDiffQuerySchema,
  RevisionDiffResponseSchema
} from '@notebook-gallery/core';
import type { FastifyPluginAsync } from 'fastify';
import { bearerSecurity, type CoreTypeProvider } from '../schemas/routeSchemas';

/** A notebook's history beyond saving: diffs between revisions, restoring an old one, and its lineage. */
export const revisionRoutes: FastifyPluginAsync = async instance => {
  const fastify = instance.withTypeProvider<CoreTypeProvider>();
  const revisions = fastify.revisions;
  const tags = ['revisions'];
  const readHook = { onRequest: fastify.authenticateOrAnonymous };
  const writeHook = { onRequest: fastify.authenticate };

  fastify.get(
    '/api/notebooks/:id/diff',
    {
      ...readHook,
      schema: {
        summary: 'What changed between two revisions, cell by cell (to: the latest; from: the revision before to)',
        tags,
        security: bearerSecurity,
        params: IdParamsSchema,
        querystring: RevisionDiffQuerySchema,
        response: { 200: RevisionDiffResponseSchema, ...errorResponses(400, 401, 404) }
      }
    },
    async request => revisions.diff(request.caller, request.params.id, request.query)
  );

  fastify.post(
    '/api/notebooks/:id/restore',
    {
      config: { writeLimit: 'save' },
      ...writeHook,
      schema: {
        summary: 'Save an old revision again as a new revision; history is never rewritten',
        tags,
        security: bearerSecurity,
        params: IdParamsSchema,
        body: RestoreRevisionRequestSchema,
        response: { 200: MergedSaveResponseSchema, 422: SecretsFoundReplySchema, ...errorResponses(400, 401, 403, 404) }
      }
    },
    async request => revisions.restore(request.caller, request.params.id, request.body)
  );

  fastify.get(
    '/api/notebooks/:id/lineage',
    {
      ...readHook,
      schema: {
        summary: 'The notebook it was forked from and its forks, as far as the caller may read them',
        tags,
        security: bearerSecurity,
        params: IdParamsSchema,
        response: { 200: LineageResponseSchema, ...errorResponses(401, 404) }
      }
    },
    async request => revisions.lineage(request.caller, request.params.id)
  );
};

import { errorResponses, HealthReportRequestSchema, IdParamsSchema } from '@notebook-gallery/core';
import type { FastifyPluginAsync } from 'fastify';
import { bearerSecurity, noContent, type CoreTypeProvider } from '../schemas/routeSchemas';

/** Run reports from the extension of users who opted in to report whether gallery notebooks run. */
export const healthReportRoutes: FastifyPluginAsync = async instance => {
  const fastify = instance.withTypeProvider<CoreTypeProvider>();
  const health = fastify.notebookHealth;

  fastify.post(
    '/api/notebooks/:id/health',
    {
      config: { writeLimit: 'health-report' },
      onRequest: fastify.authenticate,
      schema: {
        summary:
          'Report which code cells of a revision ran without error (cell ids and source hashes, never outputs); ' +
          "replaces the caller's earlier report on that revision",
        tags: ['health'],
        security: bearerSecurity,
        params: IdParamsSchema,
        body: HealthReportRequestSchema,
        response: { 204: noContent('Recorded'), ...errorResponses(400, 401, 404, 413) }
      }
    },
    async (request, reply) => {
      await health.report(request.caller, request.params.id, request.body);
      return reply.code(204).send();
    }
  );
};

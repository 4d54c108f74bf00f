import { HealthResponseSchema } from '@notebook-gallery/core';
import type { FastifyPluginAsync } from 'fastify';
import { VERSION } from '../version';
import type { CoreTypeProvider } from '../schemas/routeSchemas';

/** `GET /healthz`, for load balancers and the start scripts. */
export const healthRoutes: FastifyPluginAsync = async instance => {
  instance
    .withTypeProvider<CoreTypeProvider>()
    .get(
      '/healthz',
      { schema: { summary: 'Liveness check', tags: ['meta'], response: { 200: HealthResponseSchema } } },
      async () => ({ status: 'ok' as const, version: VERSION })
    );
};

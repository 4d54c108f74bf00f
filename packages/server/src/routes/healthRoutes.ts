import { HealthResponseSchema } from '@notebook-gallery/core';
import type { FastifyPluginAsync } from 'fastify';
import { VERSION } from '../version';
import type { CoreTypeProvider } from '../schemas/routeSchemas';

/** `GET /healthz`, for load balancers and the start scripts; in a JupyterHub also `GET <prefix>/`, which the hub polls. */
export const healthRoutes: FastifyPluginAsync = async instance => {
  const paths = instance.config.hub ? ['/healthz', '/'] : ['/healthz'];
  for (const url of paths) {
    instance
      .withTypeProvider<CoreTypeProvider>()
      .get(
        url,
        { schema: { summary: 'Liveness check', tags: ['meta'], response: { 200: HealthResponseSchema } } },
        async () => ({ status: 'ok' as const, version: VERSION })
      );
  }
};

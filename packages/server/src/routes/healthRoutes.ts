import { HealthResponseSchema } from '@notebook-gallery/core';
import type { FastifyPluginAsync } from 'fastify';
import { VERSION } from '../version';
import type { CoreTypeProvider } from '../schemas/routeSchemas';

/**
 * `GET /healthz`, for load balancers and the start scripts; in a JupyterHub also `GET <prefix>/`, which the hub polls.
 * `/` answers the health check to every request that does not prefer HTML (the hub's poll sends no Accept header);
 * a browser gets the gallery page there instead (galleryPageRoutes.ts, pages/acceptNegotiation.ts).
 */
export const healthRoutes: FastifyPluginAsync = async instance => {
  const routes = [
    { url: '/healthz', constraints: {} },
    ...(instance.config.hub ? [{ url: '/', constraints: { accept: 'json' } }] : [])
  ];
  for (const { url, constraints } of routes) {
    instance.withTypeProvider<CoreTypeProvider>().get(
      url,
      {
        constraints,
        schema: { summary: 'Liveness check', tags: ['meta'], response: { 200: HealthResponseSchema } }
      },
      async () => ({ status: 'ok' as const, version: VERSION })
    );
  }
};

import { HealthResponseSchema, LivenessResponseSchema } from '@notebook-gallery/core';
import type { FastifyPluginAsync } from 'fastify';
import { serviceHealth } from '../storage/serviceHealth';
import { VERSION } from '../version';
import type { CoreTypeProvider } from '../schemas/routeSchemas';

/**
 * Three probes, for three questions (docs/admin-guide.md "Health and readiness"):
 * - `GET /healthz`, for load balancers, the start scripts, and people: are the database and the data directory
 *   usable? 200, or 503 naming which failed. In a JupyterHub also `GET <prefix>/`, which the hub polls. `/` answers
 *   the health check to every request that does not prefer HTML (the hub's poll sends no Accept header); a browser
 *   gets the gallery page there instead (galleryPageRoutes.ts, pages/acceptNegotiation.ts).
 * - `GET /readyz`, Kubernetes' readiness: the same checks. The server listens only once start-up repair is done, so
 *   an answer at all means that part is ready; a 503 takes the replica out of the Service while PostgreSQL or the
 *   volume is away, and puts it back when they return.
 * - `GET /livez`, Kubernetes' liveness and startup: the process answers, nothing more. A restart cannot bring a
 *   database back, so liveness must not fail with it: with N replicas on one database, a database outage would
 *   otherwise restart every pod at once, each one repeating its start-up repair when the database returns.
 */
export const healthRoutes: FastifyPluginAsync = async instance => {
  const routes = [
    { url: '/healthz', constraints: {}, summary: 'Health: the database and the data directory' },
    { url: '/readyz', constraints: {}, summary: 'Readiness (Kubernetes): the database and the data directory' },
    ...(instance.config.hub
      ? [{ url: '/', constraints: { accept: 'json' }, summary: 'Health, as the hub polls it' }]
      : [])
  ];
  const parts = { databaseCheck: instance.gallery.databaseCheck, dataDir: instance.config.dataDir };
  for (const { url, constraints, summary } of routes) {
    instance.withTypeProvider<CoreTypeProvider>().get(
      url,
      {
        constraints,
        schema: { summary, tags: ['meta'], response: { 200: HealthResponseSchema, 503: HealthResponseSchema } }
      },
      async (_request, reply) => {
        const health = await serviceHealth(parts);
        return reply.code(health.status === 'ok' ? 200 : 503).send(health);
      }
    );
  }
  instance.withTypeProvider<CoreTypeProvider>().get(
    '/livez',
    {
      schema: {
        summary: 'Liveness (Kubernetes): the process answers',
        tags: ['meta'],
        response: { 200: LivenessResponseSchema }
      }
    },
    async () => ({ status: 'ok' as const, version: VERSION })
  );
};

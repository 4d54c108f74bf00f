import type { IHealthResponse } from '@notebook-gallery/core';
import type { FastifyPluginAsync } from 'fastify';
import { healthResponseSchema } from '../schemas/apiSchemas';
import { VERSION } from '../version';

/** `GET /healthz`, for load balancers and the start scripts. */
export const healthRoutes: FastifyPluginAsync = async fastify => {
  fastify.get<{ Reply: IHealthResponse }>(
    '/healthz',
    { schema: { summary: 'Liveness check', tags: ['meta'], response: { 200: healthResponseSchema } } },
    async () => ({ status: 'ok', version: VERSION })
  );
};

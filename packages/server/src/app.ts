import fastifyCors from '@fastify/cors';
import Fastify, { type FastifyInstance } from 'fastify';
import type { IGalleryConfig } from './config';
import { authPlugin } from './plugins/authPlugin';
import { databasePlugin } from './plugins/databasePlugin';
import { errorHandlerPlugin } from './plugins/errorHandlerPlugin';
import { openApiPlugin } from './plugins/openApiPlugin';
import { searchPlugin } from './plugins/searchPlugin';
import { storagePlugin } from './plugins/storagePlugin';
import { authRoutes } from './routes/authRoutes';
import { healthRoutes } from './routes/healthRoutes';
import { notebookRoutes } from './routes/notebookRoutes';

/** Methods the extension uses; listed for CORS preflight. */
const API_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];

/**
 * Builds the gallery app (not listening): opens the database, reconciles storage after any crash and registers
 * every route.
 * @throws {Error} when the data directory or database cannot be opened.
 */
export async function buildApp(config: IGalleryConfig): Promise<FastifyInstance> {
  const app = Fastify({
    logger: { level: config.logLevel },
    bodyLimit: config.bodyLimit,
    ajv: {
      // Notebooks may carry any key; validation must never remove what a client sent.
      customOptions: { removeAdditional: false, coerceTypes: 'array', useDefaults: true, allErrors: false }
    }
  });
  await app.register(errorHandlerPlugin);
  await app.register(databasePlugin, { config });
  await app.register(searchPlugin);
  await app.register(storagePlugin);
  await app.register(authPlugin);
  await app.register(fastifyCors, {
    origin: config.corsOrigins,
    methods: API_METHODS,
    allowedHeaders: ['Authorization', 'Content-Type'],
    maxAge: 600
  });
  await app.register(openApiPlugin);
  await app.register(healthRoutes);
  await app.register(authRoutes);
  await app.register(notebookRoutes);
  return app;
}

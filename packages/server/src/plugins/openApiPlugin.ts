import fastifySwagger from '@fastify/swagger';
import fp from 'fastify-plugin';
import { VERSION } from '../version';

/** Collects every route's schemas into an OpenAPI 3 document served at GET /api/openapi.json; register before routes. */
export const openApiPlugin = fp(
  async fastify => {
    await fastify.register(fastifySwagger, {
      openapi: {
        openapi: '3.0.3',
        // In a JupyterHub every path is served under the service prefix.
        ...(fastify.config.hub ? { servers: [{ url: fastify.config.hub.prefix }] } : {}),
        info: {
          title: 'Notebook Gallery API',
          description: 'Share Jupyter notebooks: each notebook is a git history, listed and searched through SQLite.',
          version: VERSION
        },
        components: {
          securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } }
        }
      }
    });
    fastify.get(
      '/api/openapi.json',
      {
        schema: {
          summary: 'This API as an OpenAPI 3 document',
          tags: ['meta'],
          response: { 200: { type: 'object', additionalProperties: true } }
        }
      },
      async () => fastify.swagger()
    );
  },
  { name: 'gallery-openapi' }
);

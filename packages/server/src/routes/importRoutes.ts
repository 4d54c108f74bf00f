import { errorResponses, ImportRevisionRequestSchema, ImportRevisionResponseSchema } from '@notebook-gallery/core';
import type { FastifyPluginAsync } from 'fastify';
import { bearerSecurity, type CoreTypeProvider } from '../schemas/routeSchemas';

/**
 * `notebook-gallery import --server`: each revision of each imported notebook is one request to the import service,
 * the same one `import --data-dir` calls in process, so both give the same gallery. Admins only (the service checks).
 */
export const importRoutes: FastifyPluginAsync = async instance => {
  const fastify = instance.withTypeProvider<CoreTypeProvider>();
  fastify.addHook('onRequest', fastify.authenticate);

  fastify.post(
    '/api/admin/import/revisions',
    {
      config: { writeLimit: 'import' },
      schema: {
        summary:
          'Apply one revision of an imported notebook: created with its first, skipped when an earlier run applied it (admins only)',
        tags: ['admin'],
        security: bearerSecurity,
        body: ImportRevisionRequestSchema,
        response: { 200: ImportRevisionResponseSchema, ...errorResponses(400, 401, 403, 413, 422) }
      }
    },
    async request => fastify.gallery.imports.applyRevision(request.caller, request.body)
  );
};

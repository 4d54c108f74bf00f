import {
  errorResponses,
  ImportAccountsRequestSchema,
  ImportAccountsResponseSchema,
  ImportExtrasRequestSchema,
  ImportExtrasResponseSchema,
  ImportMergeParentRequestSchema,
  ImportMergeParentResponseSchema,
  ImportRevisionRequestSchema,
  ImportRevisionResponseSchema,
  IdParamsSchema
} from '@notebook-gallery/core';
import type { FastifyPluginAsync } from 'fastify';
import { summarizeRestore } from '../services/archiveExtrasService';
import { bearerSecurity, type CoreTypeProvider } from '../schemas/routeSchemas';

/**
 * `notebook-gallery import --server`: each revision of each imported notebook is one request to the import service,
 * and our own archive's accounts, merge proposals and extras one request each to the archive extras service: the
 * same services `import --data-dir` calls in process, so both give the same gallery. Admins only (the services check).
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

  fastify.post(
    '/api/admin/import/accounts',
    {
      config: { writeLimit: 'import' },
      schema: {
        summary:
          "Before an archived notebook's revisions: make the accounts (without a password) and groups it names (admins only)",
        tags: ['admin'],
        security: bearerSecurity,
        body: ImportAccountsRequestSchema,
        response: { 200: ImportAccountsResponseSchema, ...errorResponses(400, 401, 403, 413) }
      }
    },
    async request => fastify.gallery.archiveExtras.prepareAccounts(request.caller, request.body.extras)
  );

  fastify.post(
    '/api/admin/import/notebooks/:id/merge-parent',
    {
      config: { writeLimit: 'import' },
      schema: {
        summary: 'Before a revision that accepted a change request: write the proposal commit it merges (admins only)',
        tags: ['admin'],
        security: bearerSecurity,
        params: IdParamsSchema,
        body: ImportMergeParentRequestSchema,
        response: { 200: ImportMergeParentResponseSchema, ...errorResponses(400, 401, 403, 404, 413, 422) }
      }
    },
    async request => ({
      written: await fastify.gallery.archiveExtras.writeProposal(
        request.caller,
        request.params.id,
        request.body.extras,
        request.body.commit,
        request.body.confirmedSecrets
      )
    })
  );

  fastify.post(
    '/api/admin/import/notebooks/:id/extras',
    {
      config: { writeLimit: 'import' },
      schema: {
        summary:
          "After an archived notebook's revisions: restore its shares, stars, change requests and comments (admins only)",
        tags: ['admin'],
        security: bearerSecurity,
        params: IdParamsSchema,
        body: ImportExtrasRequestSchema,
        response: { 200: ImportExtrasResponseSchema, ...errorResponses(400, 401, 403, 404, 413) }
      }
    },
    async request =>
      summarizeRestore(
        await fastify.gallery.archiveExtras.restore(
          request.caller,
          request.params.id,
          request.body.extras,
          request.body.confirmedSecrets
        )
      )
  );
};

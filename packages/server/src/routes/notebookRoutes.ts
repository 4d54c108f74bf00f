import {
  SecretsFoundReplySchema,
  ApiErrorSchema,
  CreateNotebookRequestSchema,
  DeletionImpactSchema,
  errorResponses,
  NOTEBOOK_LIST_DEFAULT_LIMIT,
  NOTEBOOK_MIME_TYPE,
  NotebookContentQuerySchema,
  IdParamsSchema,
  MergeConflictReplySchema,
  MergedSaveResponseSchema,
  NotebookListQuerySchema,
  NotebookListResponseSchema,
  NotebookSchema,
  NotebookSummarySchema,
  PatchNotebookRequestSchema,
  RevisionListResponseSchema,
  SaveNotebookResponseSchema,
  SharingSchema,
  TransferRequestSchema,
  UpdateNotebookRequestSchema
} from '@notebook-gallery/core';
import type { FastifyPluginAsync } from 'fastify';
import { bearerSecurity, type CoreTypeProvider } from '../schemas/routeSchemas';

/**
 * The notebook API: each route hands the caller and the validated request to the notebook service, which
 * authorizes, audits and prepares; the route only picks the status code and the reply's content type.
 */
export const notebookRoutes: FastifyPluginAsync = async instance => {
  const fastify = instance.withTypeProvider<CoreTypeProvider>();
  const notebooks = fastify.notebooks;
  const tags = ['notebooks'];
  /** Routes anonymous visitors may use when anonymous reading is on; the rest need a login. */
  const readHook = { onRequest: fastify.authenticateOrAnonymous };
  const writeHook = { onRequest: fastify.authenticate };

  fastify.get(
    '/api/notebooks',
    {
      ...readHook,
      schema: {
        summary: 'List or search the notebooks the caller may read, one page at a time',
        tags,
        security: bearerSecurity,
        querystring: NotebookListQuerySchema,
        response: { 200: NotebookListResponseSchema, ...errorResponses(400, 401, 503) }
      }
    },
    async request =>
      notebooks.list(request.caller, { ...request.query, limit: request.query.limit ?? NOTEBOOK_LIST_DEFAULT_LIMIT })
  );

  fastify.post(
    '/api/notebooks',
    {
      config: { writeLimit: 'save' },
      ...writeHook,
      schema: {
        summary: 'Save a notebook to the gallery as a new notebook (outputs are stripped)',
        tags,
        security: bearerSecurity,
        body: CreateNotebookRequestSchema,
        response: {
          201: SaveNotebookResponseSchema,
          422: SecretsFoundReplySchema,
          ...errorResponses(400, 401, 403, 404, 413)
        }
      }
    },
    async (request, reply) => reply.code(201).send(await notebooks.create(request.caller, request.body))
  );

  fastify.get(
    '/api/notebooks/:id',
    {
      ...readHook,
      schema: {
        summary: "A notebook's metadata",
        tags,
        security: bearerSecurity,
        params: IdParamsSchema,
        response: { 200: NotebookSummarySchema, ...errorResponses(401, 404) }
      }
    },
    async request => notebooks.get(request.caller, request.params.id)
  );

  fastify.put(
    '/api/notebooks/:id',
    {
      config: { writeLimit: 'save' },
      ...writeHook,
      schema: {
        summary:
          'Save a new revision; on a stale baseRevision merge three-way when merge is true, else 409 REVISION_CONFLICT',
        tags,
        security: bearerSecurity,
        params: IdParamsSchema,
        body: UpdateNotebookRequestSchema,
        response: {
          200: MergedSaveResponseSchema,
          409: { anyOf: [MergeConflictReplySchema, ApiErrorSchema] },
          422: SecretsFoundReplySchema,
          ...errorResponses(400, 401, 403, 404, 413)
        }
      }
    },
    async request => notebooks.saveRevision(request.caller, request.params.id, request.body)
  );

  fastify.patch(
    '/api/notebooks/:id',
    {
      config: { writeLimit: 'save' },
      ...writeHook,
      schema: {
        summary: 'Change title, description, tags or visibility (no new revision); the owner cannot change here',
        tags,
        security: bearerSecurity,
        params: IdParamsSchema,
        body: PatchNotebookRequestSchema,
        response: { 200: NotebookSummarySchema, ...errorResponses(400, 401, 403, 404) }
      }
    },
    async request => notebooks.patch(request.caller, request.params.id, request.body)
  );

  fastify.delete(
    '/api/notebooks/:id',
    {
      config: { writeLimit: 'save' },
      ...writeHook,
      schema: {
        summary: 'Delete a notebook (its repository is moved to the trash, not destroyed)',
        tags,
        security: bearerSecurity,
        params: IdParamsSchema,
        response: { 204: { type: 'null', description: 'Deleted' }, ...errorResponses(401, 403, 404) }
      }
    },
    async (request, reply) => {
      await notebooks.delete(request.caller, request.params.id);
      return reply.code(204).send();
    }
  );

  fastify.get(
    '/api/notebooks/:id/deletion-impact',
    {
      ...writeHook,
      schema: {
        summary:
          'What deleting a notebook would affect: its revisions, the forks saved from it and the people who opened a copy (managers only)',
        tags,
        security: bearerSecurity,
        params: IdParamsSchema,
        response: { 200: DeletionImpactSchema, ...errorResponses(401, 403, 404) }
      }
    },
    async request => notebooks.deletionImpact(request.caller, request.params.id)
  );

  // Registered without the type provider: the reply is the stored file's bytes, which the schema only documents.
  instance.get<{ Params: { id: string }; Querystring: { revision?: string } }>(
    '/api/notebooks/:id/content',
    {
      ...readHook,
      schema: {
        summary: 'The committed .ipynb file of a revision (the latest by default)',
        tags,
        security: bearerSecurity,
        params: IdParamsSchema,
        querystring: NotebookContentQuerySchema,
        response: {
          200: {
            description:
              'The notebook file. ETag: its git blob. With `revision` it never changes (cached as immutable); ' +
              'without, caches revalidate each time (no-cache)',
            content: { [NOTEBOOK_MIME_TYPE]: { schema: NotebookSchema } }
          },
          304: { description: 'Not modified: If-None-Match names the current ETag', type: 'null' },
          ...errorResponses(401, 404)
        }
      }
    },
    async (request, reply) => {
      const { revision } = request.query;
      // Read access (and the revision) are checked before any 304, so a cached ETag reveals nothing once access ends.
      const content = await notebooks.content(request.caller, request.params.id, revision);
      const etag = `"${content.blobSha}"`;
      reply.header('etag', etag);
      reply.header(
        'cache-control',
        revision === undefined ? 'private, no-cache' : 'private, max-age=31536000, immutable'
      );
      if (Private.matchesEtag(request.headers['if-none-match'], etag)) {
        return reply.code(304).send();
      }
      return reply.type(NOTEBOOK_MIME_TYPE).send(await content.read());
    }
  );

  fastify.get(
    '/api/notebooks/:id/revisions',
    {
      ...readHook,
      schema: {
        summary: "A notebook's revisions, newest first",
        tags,
        security: bearerSecurity,
        params: IdParamsSchema,
        response: { 200: RevisionListResponseSchema, ...errorResponses(401, 404) }
      }
    },
    async request => notebooks.listRevisions(request.caller, request.params.id)
  );

  fastify.get(
    '/api/notebooks/:id/sharing',
    {
      ...writeHook,
      schema: {
        summary: 'Who can see the notebook: visibility, group and explicit shares (managers only)',
        tags,
        security: bearerSecurity,
        params: IdParamsSchema,
        response: { 200: SharingSchema, ...errorResponses(401, 403, 404) }
      }
    },
    async request => notebooks.getSharing(request.caller, request.params.id)
  );

  fastify.put(
    '/api/notebooks/:id/sharing',
    {
      config: { writeLimit: 'save' },
      ...writeHook,
      schema: {
        summary: 'Replace visibility, group and explicit shares; 400 names any unknown user or group',
        tags,
        security: bearerSecurity,
        params: IdParamsSchema,
        body: SharingSchema,
        response: { 200: SharingSchema, ...errorResponses(400, 401, 403, 404) }
      }
    },
    async request => notebooks.setSharing(request.caller, request.params.id, request.body)
  );

  fastify.post(
    '/api/notebooks/:id/transfer',
    {
      config: { writeLimit: 'save' },
      ...writeHook,
      schema: {
        summary: 'Give the notebook to another user, or to a group you own or edit (managers only)',
        tags,
        security: bearerSecurity,
        params: IdParamsSchema,
        body: TransferRequestSchema,
        response: { 200: NotebookSummarySchema, ...errorResponses(400, 401, 403, 404) }
      }
    },
    async request => notebooks.transfer(request.caller, request.params.id, request.body)
  );
};

namespace Private {
  /** Whether an If-None-Match header names `etag` (weak comparison, as RFC 9110 asks for If-None-Match) or is `*`. */
  export function matchesEtag(header: string | undefined, etag: string): boolean {
    if (header === undefined) {
      return false;
    }
    return header.split(',').some(candidate => {
      const tag = candidate.trim();
      return tag === '*' || tag.replace(/^W\//, '') === etag;
    });
  }
}

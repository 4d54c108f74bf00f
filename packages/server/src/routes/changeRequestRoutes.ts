import {
  AcceptChangeRequestSchema,
  SecretsFoundReplySchema,
  ApiErrorSchema,
  ChangeRequestDetailSchema,
  ChangeRequestListQuerySchema,
  ChangeRequestListResponseSchema,
  ChangeRequestParamsSchema,
  ChangeRequestSchema,
  CreateChangeRequestSchema,
  DecideChangeRequestSchema,
  errorResponses,
  IdParamsSchema,
  MergeConflictReplySchema,
  MergedSaveResponseSchema,
  NOTEBOOK_MIME_TYPE,
  NotebookChangeRequestListQuerySchema,
  NotebookSchema
} from '@notebook-gallery/core';
import type { FastifyPluginAsync } from 'fastify';
import { bearerSecurity, type CoreTypeProvider } from '../schemas/routeSchemas';

/**
 * Change requests: proposals by readers who may not edit a notebook, reviewed by those who may. Every route needs
 * a login; the service applies the rules of auth/permissions.ts.
 */
export const changeRequestRoutes: FastifyPluginAsync = async instance => {
  const fastify = instance.withTypeProvider<CoreTypeProvider>();
  const changeRequests = fastify.changeRequests;
  const tags = ['change requests'];
  const writeHook = { onRequest: fastify.authenticate };

  fastify.post(
    '/api/notebooks/:id/change-requests',
    {
      config: { writeLimit: 'change-request' },
      ...writeHook,
      schema: {
        summary: 'Propose a version of a notebook you may read (outputs are stripped)',
        tags,
        security: bearerSecurity,
        params: IdParamsSchema,
        body: CreateChangeRequestSchema,
        response: {
          201: ChangeRequestSchema,
          422: SecretsFoundReplySchema,
          ...errorResponses(400, 401, 404, 409, 413)
        }
      }
    },
    async (request, reply) =>
      reply.code(201).send(await changeRequests.create(request.caller, request.params.id, request.body))
  );

  fastify.get(
    '/api/notebooks/:id/change-requests',
    {
      ...writeHook,
      schema: {
        summary: "A notebook's change requests, newest first: all for those who may edit it, else your own",
        tags,
        security: bearerSecurity,
        params: IdParamsSchema,
        querystring: NotebookChangeRequestListQuerySchema,
        response: { 200: ChangeRequestListResponseSchema, ...errorResponses(400, 401, 404) }
      }
    },
    async request => changeRequests.listForNotebook(request.caller, request.params.id, request.query.status)
  );

  fastify.get(
    '/api/change-requests',
    {
      ...writeHook,
      schema: {
        summary: 'Change requests across notebooks: yours (proposer), to review (reviewer), or both',
        tags,
        security: bearerSecurity,
        querystring: ChangeRequestListQuerySchema,
        response: { 200: ChangeRequestListResponseSchema, ...errorResponses(400, 401) }
      }
    },
    async request => changeRequests.listForCaller(request.caller, request.query)
  );

  fastify.get(
    '/api/notebooks/:id/change-requests/:requestId',
    {
      ...writeHook,
      schema: {
        summary: 'One change request with the diff from its base revision to the proposal',
        tags,
        security: bearerSecurity,
        params: ChangeRequestParamsSchema,
        response: { 200: ChangeRequestDetailSchema, ...errorResponses(401, 404) }
      }
    },
    async request => changeRequests.detail(request.caller, request.params.id, request.params.requestId)
  );

  // Registered without the type provider: the reply is the stored file's bytes, which the schema only documents.
  instance.get<{ Params: { id: string; requestId: string } }>(
    '/api/notebooks/:id/change-requests/:requestId/content',
    {
      ...writeHook,
      schema: {
        summary: 'The proposed .ipynb file of a change request',
        tags,
        security: bearerSecurity,
        params: ChangeRequestParamsSchema,
        response: {
          200: { description: 'The notebook file', content: { [NOTEBOOK_MIME_TYPE]: { schema: NotebookSchema } } },
          ...errorResponses(401, 404)
        }
      }
    },
    async (request, reply) => {
      const bytes = await changeRequests.content(request.caller, request.params.id, request.params.requestId);
      return reply.type(NOTEBOOK_MIME_TYPE).send(bytes);
    }
  );

  fastify.post(
    '/api/notebooks/:id/change-requests/:requestId/accept',
    {
      config: { writeLimit: 'save' },
      ...writeHook,
      schema: {
        summary: 'Accept: a new revision authored by the proposer, merged three-way if the notebook moved on',
        tags,
        security: bearerSecurity,
        params: ChangeRequestParamsSchema,
        body: AcceptChangeRequestSchema,
        response: {
          200: MergedSaveResponseSchema,
          // REVISION_CONFLICT with the conflicts, or CHANGE_REQUEST_CLOSED.
          409: { anyOf: [MergeConflictReplySchema, ApiErrorSchema] },
          422: SecretsFoundReplySchema,
          ...errorResponses(400, 401, 403, 404)
        }
      }
    },
    async request => changeRequests.accept(request.caller, request.params.id, request.params.requestId, request.body)
  );

  fastify.post(
    '/api/notebooks/:id/change-requests/:requestId/decline',
    {
      ...writeHook,
      schema: {
        summary: 'Decline, with a comment for the proposer',
        tags,
        security: bearerSecurity,
        params: ChangeRequestParamsSchema,
        body: DecideChangeRequestSchema,
        response: { 200: ChangeRequestSchema, ...errorResponses(400, 401, 403, 404, 409) }
      }
    },
    async request => changeRequests.decline(request.caller, request.params.id, request.params.requestId, request.body)
  );

  fastify.post(
    '/api/notebooks/:id/change-requests/:requestId/withdraw',
    {
      ...writeHook,
      schema: {
        summary: 'Withdraw your own open change request',
        tags,
        security: bearerSecurity,
        params: ChangeRequestParamsSchema,
        response: { 200: ChangeRequestSchema, ...errorResponses(401, 403, 404, 409) }
      }
    },
    async request => changeRequests.withdraw(request.caller, request.params.id, request.params.requestId)
  );
};

import {
  NOTEBOOK_MIME_TYPE,
  type ICreateNotebookRequest,
  type INotebookListQuery,
  type INotebookListResponse,
  type INotebookSummary,
  type IPatchNotebookRequest,
  type IRevisionListResponse,
  type ISaveNotebookResponse,
  type IUpdateNotebookRequest
} from '@notebook-gallery/core';
import type { FastifyPluginAsync } from 'fastify';
import { assertCanEdit, assertCanRead } from '../auth/permissions';
import {
  bearerSecurity,
  contentQuerySchema,
  createNotebookBodySchema,
  errorResponses,
  listNotebooksQuerySchema,
  notebookListResponseSchema,
  notebookParamsSchema,
  notebookSchema,
  notebookSummarySchema,
  patchNotebookBodySchema,
  revisionListResponseSchema,
  saveNotebookResponseSchema,
  updateNotebookBodySchema
} from '../schemas/apiSchemas';
import { prepareNotebook } from '../storage/preparedNotebook';
import { toSummary } from './notebookSummary';

interface IParams {
  id: string;
}

/** The notebook API; every route needs a logged-in user, and edits go through the permissions module. */
export const notebookRoutes: FastifyPluginAsync = async fastify => {
  fastify.addHook('onRequest', fastify.authenticate);
  const store = fastify.notebooks;
  const tags = ['notebooks'];

  fastify.get<{ Querystring: INotebookListQuery & { limit: number }; Reply: INotebookListResponse }>(
    '/api/notebooks',
    {
      schema: {
        summary: 'List or search notebooks, one page at a time',
        tags,
        security: bearerSecurity,
        querystring: listNotebooksQuerySchema,
        response: { 200: notebookListResponseSchema, ...errorResponses(400, 401) }
      }
    },
    async request => {
      const page = fastify.searchIndex.list(request.query);
      return {
        items: page.records.map(record => {
          const snippet = page.snippets.get(record.id);
          return snippet === undefined
            ? toSummary(record, request.user)
            : { ...toSummary(record, request.user), snippet };
        }),
        nextCursor: page.nextCursor
      };
    }
  );

  fastify.post<{ Body: ICreateNotebookRequest; Reply: ISaveNotebookResponse }>(
    '/api/notebooks',
    {
      schema: {
        summary: 'Save a notebook to the gallery as a new notebook (outputs are stripped)',
        tags,
        security: bearerSecurity,
        body: createNotebookBodySchema,
        response: { 201: saveNotebookResponseSchema, ...errorResponses(400, 401, 404, 413) }
      }
    },
    async (request, reply) => {
      const { notebook, ...fields } = request.body;
      const result = await store.create({
        ...fields,
        prepared: prepareNotebook(notebook),
        owner: request.user.username
      });
      return reply.code(201).send({ ...toSummary(result.record, request.user), changed: result.changed });
    }
  );

  fastify.get<{ Params: IParams; Reply: INotebookSummary }>(
    '/api/notebooks/:id',
    {
      schema: {
        summary: "A notebook's metadata",
        tags,
        security: bearerSecurity,
        params: notebookParamsSchema,
        response: { 200: notebookSummarySchema, ...errorResponses(401, 404) }
      }
    },
    async request => {
      const record = store.get(request.params.id);
      assertCanRead(request.user, record);
      return toSummary(record, request.user);
    }
  );

  fastify.put<{ Params: IParams; Body: IUpdateNotebookRequest; Reply: ISaveNotebookResponse }>(
    '/api/notebooks/:id',
    {
      schema: {
        summary: 'Save a new revision; 409 REVISION_CONFLICT when baseRevision is not the latest',
        tags,
        security: bearerSecurity,
        params: notebookParamsSchema,
        body: updateNotebookBodySchema,
        response: { 200: saveNotebookResponseSchema, ...errorResponses(400, 401, 403, 404, 409, 413) }
      }
    },
    async request => {
      const { id } = request.params;
      const record = store.get(id);
      assertCanRead(request.user, record);
      assertCanEdit(request.user, record);
      const prepared = prepareNotebook(request.body.notebook);
      const result = await store.update({
        id,
        prepared,
        author: request.user.username,
        baseRevision: request.body.baseRevision,
        message: request.body.message
      });
      return { ...toSummary(result.record, request.user), changed: result.changed };
    }
  );

  fastify.patch<{ Params: IParams; Body: IPatchNotebookRequest; Reply: INotebookSummary }>(
    '/api/notebooks/:id',
    {
      schema: {
        summary: 'Change title, description or tags (no new revision)',
        tags,
        security: bearerSecurity,
        params: notebookParamsSchema,
        body: patchNotebookBodySchema,
        response: { 200: notebookSummarySchema, ...errorResponses(400, 401, 403, 404) }
      }
    },
    async request => {
      const record = store.get(request.params.id);
      assertCanRead(request.user, record);
      assertCanEdit(request.user, record);
      return toSummary(await store.patch(record.id, request.body), request.user);
    }
  );

  fastify.delete<{ Params: IParams }>(
    '/api/notebooks/:id',
    {
      schema: {
        summary: 'Delete a notebook (its repository is moved to the trash, not destroyed)',
        tags,
        security: bearerSecurity,
        params: notebookParamsSchema,
        response: { 204: { type: 'null', description: 'Deleted' }, ...errorResponses(401, 403, 404) }
      }
    },
    async (request, reply) => {
      const record = store.get(request.params.id);
      assertCanRead(request.user, record);
      assertCanEdit(request.user, record);
      await store.delete(record.id);
      return reply.code(204).send();
    }
  );

  fastify.get<{ Params: IParams; Querystring: { revision?: string } }>(
    '/api/notebooks/:id/content',
    {
      schema: {
        summary: 'The committed .ipynb file of a revision (the latest by default)',
        tags,
        security: bearerSecurity,
        params: notebookParamsSchema,
        querystring: contentQuerySchema,
        response: {
          200: { description: 'The notebook file', content: { [NOTEBOOK_MIME_TYPE]: { schema: notebookSchema } } },
          ...errorResponses(401, 404)
        }
      }
    },
    async (request, reply) => {
      const record = store.get(request.params.id);
      assertCanRead(request.user, record);
      const bytes = await store.readContent(record.id, request.query.revision);
      return reply.type(NOTEBOOK_MIME_TYPE).send(bytes);
    }
  );

  fastify.get<{ Params: IParams; Reply: IRevisionListResponse }>(
    '/api/notebooks/:id/revisions',
    {
      schema: {
        summary: "A notebook's revisions, newest first",
        tags,
        security: bearerSecurity,
        params: notebookParamsSchema,
        response: { 200: revisionListResponseSchema, ...errorResponses(401, 404) }
      }
    },
    async request => {
      const record = store.get(request.params.id);
      assertCanRead(request.user, record);
      return { items: store.listRevisions(record.id) };
    }
  );
};

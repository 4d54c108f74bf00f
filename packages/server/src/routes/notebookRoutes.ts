import {
  NOTEBOOK_MIME_TYPE,
  type ICreateNotebookRequest,
  type INotebookListQuery,
  type INotebookListResponse,
  type INotebookSummary,
  type IPatchNotebookRequest,
  type IRevisionListResponse,
  type ISaveNotebookResponse,
  type ISharing,
  type ITransferRequest,
  type IUpdateNotebookRequest,
  type IUser
} from '@notebook-gallery/core';
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { authorizeNotebook, hasGroupRole, withoutAdmin, type NotebookAction } from '../auth/permissions';
import { assertGroupExists, checkShares, resolveAccess, resolveTransfer } from '../auth/sharingPolicy';
import { ForbiddenError } from '../errors/ForbiddenError';
import { InvalidRequestError } from '../errors/InvalidRequestError';
import {
  bearerSecurity,
  contentQuerySchema,
  createNotebookBodySchema,
  errorResponses,
  listNotebooksQuerySchema,
  notebookListResponseSchema,
  idParamsSchema,
  notebookSchema,
  notebookSummarySchema,
  patchNotebookBodySchema,
  revisionListResponseSchema,
  saveNotebookResponseSchema,
  sharingSchema,
  transferBodySchema,
  updateNotebookBodySchema
} from '../schemas/apiSchemas';
import type { INotebookRecord } from '../storage/notebookRecord';
import { prepareNotebook } from '../storage/preparedNotebook';
import { toSummary } from './notebookSummary';

interface IParams {
  id: string;
}

/**
 * The notebook API. Every route loads the notebook and asks permissions.ts (authorizeNotebook) before anything
 * else; the list asks it through the SQL predicate inside the listing query.
 */
export const notebookRoutes: FastifyPluginAsync = async fastify => {
  const store = fastify.notebooks;
  const tags = ['notebooks'];
  /** Routes anonymous visitors may use when anonymous reading is on; the rest need a login. */
  const readHook = { onRequest: fastify.authenticateOrAnonymous };
  const writeHook = { onRequest: fastify.authenticate };

  /** Loads the notebook and checks `action`, auditing when only the admin role allows it. */
  const authorized = (request: FastifyRequest<{ Params: IParams }>, action: NotebookAction): INotebookRecord => {
    const record = store.get(request.params.id);
    const { asAdmin } = authorizeNotebook(request.caller, record, action);
    if (asAdmin && action !== 'read') {
      fastify.audit.record(request.user.username, `notebook.${request.method.toLowerCase()}`, record.id, {
        url: request.url.split('?')[0],
        owner: record.owner,
        ownerKind: record.ownerKind
      });
    }
    return record;
  };

  fastify.get<{ Querystring: INotebookListQuery & { limit: number }; Reply: INotebookListResponse }>(
    '/api/notebooks',
    {
      ...readHook,
      schema: {
        summary: 'List or search the notebooks the caller may read, one page at a time',
        tags,
        security: bearerSecurity,
        querystring: listNotebooksQuerySchema,
        response: { 200: notebookListResponseSchema, ...errorResponses(400, 401) }
      }
    },
    async request => {
      const page = fastify.searchIndex.list(request.caller, request.query);
      return {
        items: page.records.map(record => {
          const snippet = page.snippets.get(record.id);
          const summary = toSummary(record, request.caller);
          return snippet === undefined ? summary : { ...summary, snippet };
        }),
        nextCursor: page.nextCursor
      };
    }
  );

  fastify.post<{ Body: ICreateNotebookRequest; Reply: ISaveNotebookResponse }>(
    '/api/notebooks',
    {
      ...writeHook,
      schema: {
        summary: 'Save a notebook to the gallery as a new notebook (outputs are stripped)',
        tags,
        security: bearerSecurity,
        body: createNotebookBodySchema,
        response: { 201: saveNotebookResponseSchema, ...errorResponses(400, 401, 403, 404, 413) }
      }
    },
    async (request, reply) => {
      const { notebook, visibility, group, ownedByGroup, ...fields } = request.body;
      const caller = request.caller;
      if (fields.parent) {
        // A copy must not reveal that a notebook the caller cannot read exists.
        authorizeNotebook(caller, store.get(fields.parent.id), 'read');
      }
      let ownerGroup: string | null = null;
      if (ownedByGroup) {
        if (group === undefined) {
          throw new InvalidRequestError('"ownedByGroup" needs the "group" that will own the notebook');
        }
        assertGroupExists(fastify.groups, group);
        if (!hasGroupRole(caller, group, 'editor')) {
          throw new ForbiddenError(`Only owners and editors of group "${group}" may save notebooks owned by it`);
        }
        ownerGroup = group;
      }
      const access = resolveAccess(
        fastify.groups,
        caller,
        { ownerKind: ownerGroup ? 'group' : 'user', group: ownerGroup },
        { visibility: visibility ?? fastify.config.defaultVisibility, group: ownerGroup ? undefined : group }
      );
      const prepared = prepareNotebook(notebook);
      const result = await store.create({
        ...fields,
        ...access,
        prepared,
        ownerKind: ownerGroup ? 'group' : 'user',
        owner: request.user.username
      });
      if (ownerGroup && !hasGroupRole(withoutAdmin(caller), ownerGroup, 'editor')) {
        auditAdmin(request.user, 'notebook.create', result.record.id, { group: ownerGroup });
      }
      return reply.code(201).send({ ...toSummary(result.record, caller), changed: result.changed });
    }
  );

  fastify.get<{ Params: IParams; Reply: INotebookSummary }>(
    '/api/notebooks/:id',
    {
      ...readHook,
      schema: {
        summary: "A notebook's metadata",
        tags,
        security: bearerSecurity,
        params: idParamsSchema,
        response: { 200: notebookSummarySchema, ...errorResponses(401, 404) }
      }
    },
    async request => toSummary(authorized(request, 'read'), request.caller)
  );

  fastify.put<{ Params: IParams; Body: IUpdateNotebookRequest; Reply: ISaveNotebookResponse }>(
    '/api/notebooks/:id',
    {
      ...writeHook,
      schema: {
        summary: 'Save a new revision; 409 REVISION_CONFLICT when baseRevision is not the latest',
        tags,
        security: bearerSecurity,
        params: idParamsSchema,
        body: updateNotebookBodySchema,
        response: { 200: saveNotebookResponseSchema, ...errorResponses(400, 401, 403, 404, 409, 413) }
      }
    },
    async request => {
      const record = authorized(request, 'edit');
      const prepared = prepareNotebook(request.body.notebook);
      const result = await store.update({
        id: record.id,
        prepared,
        author: request.user.username,
        baseRevision: request.body.baseRevision,
        message: request.body.message
      });
      return { ...toSummary(result.record, request.caller), changed: result.changed };
    }
  );

  fastify.patch<{ Params: IParams; Body: IPatchNotebookRequest; Reply: INotebookSummary }>(
    '/api/notebooks/:id',
    {
      ...writeHook,
      schema: {
        summary: 'Change title, description, tags or visibility (no new revision); the owner cannot change here',
        tags,
        security: bearerSecurity,
        params: idParamsSchema,
        body: patchNotebookBodySchema,
        response: { 200: notebookSummarySchema, ...errorResponses(400, 401, 403, 404) }
      }
    },
    async request => {
      const record = authorized(request, 'manage');
      const { visibility, group, ...metadata } = request.body;
      const access =
        visibility === undefined && group === undefined
          ? undefined
          : resolveAccess(fastify.groups, request.caller, record, {
              visibility: visibility ?? record.visibility,
              group
            });
      return toSummary(await store.patch(record.id, { ...metadata, access }), request.caller);
    }
  );

  fastify.delete<{ Params: IParams }>(
    '/api/notebooks/:id',
    {
      ...writeHook,
      schema: {
        summary: 'Delete a notebook (its repository is moved to the trash, not destroyed)',
        tags,
        security: bearerSecurity,
        params: idParamsSchema,
        response: { 204: { type: 'null', description: 'Deleted' }, ...errorResponses(401, 403, 404) }
      }
    },
    async (request, reply) => {
      const record = authorized(request, 'manage');
      await store.delete(record.id);
      return reply.code(204).send();
    }
  );

  fastify.get<{ Params: IParams; Querystring: { revision?: string } }>(
    '/api/notebooks/:id/content',
    {
      ...readHook,
      schema: {
        summary: 'The committed .ipynb file of a revision (the latest by default)',
        tags,
        security: bearerSecurity,
        params: idParamsSchema,
        querystring: contentQuerySchema,
        response: {
          200: { description: 'The notebook file', content: { [NOTEBOOK_MIME_TYPE]: { schema: notebookSchema } } },
          ...errorResponses(401, 404)
        }
      }
    },
    async (request, reply) => {
      const record = authorized(request, 'read');
      const bytes = await store.readContent(record.id, request.query.revision);
      return reply.type(NOTEBOOK_MIME_TYPE).send(bytes);
    }
  );

  fastify.get<{ Params: IParams; Reply: IRevisionListResponse }>(
    '/api/notebooks/:id/revisions',
    {
      ...readHook,
      schema: {
        summary: "A notebook's revisions, newest first",
        tags,
        security: bearerSecurity,
        params: idParamsSchema,
        response: { 200: revisionListResponseSchema, ...errorResponses(401, 404) }
      }
    },
    async request => {
      const record = authorized(request, 'read');
      return { items: store.listRevisions(record.id) };
    }
  );

  fastify.get<{ Params: IParams; Reply: ISharing }>(
    '/api/notebooks/:id/sharing',
    {
      ...writeHook,
      schema: {
        summary: 'Who can see the notebook: visibility, group and explicit shares (managers only)',
        tags,
        security: bearerSecurity,
        params: idParamsSchema,
        response: { 200: sharingSchema, ...errorResponses(401, 403, 404) }
      }
    },
    async request => {
      return Private.sharingOf(authorized(request, 'manage'));
    }
  );

  fastify.put<{ Params: IParams; Body: ISharing; Reply: ISharing }>(
    '/api/notebooks/:id/sharing',
    {
      ...writeHook,
      schema: {
        summary: 'Replace visibility, group and explicit shares; 400 names any unknown user or group',
        tags,
        security: bearerSecurity,
        params: idParamsSchema,
        body: sharingSchema,
        response: { 200: sharingSchema, ...errorResponses(400, 401, 403, 404) }
      }
    },
    async request => {
      const record = authorized(request, 'manage');
      const access = resolveAccess(fastify.groups, request.caller, record, request.body);
      const shares = checkShares(fastify.accounts, fastify.groups, request.body.shares);
      return Private.sharingOf(await store.setSharing(record.id, { ...access, shares }));
    }
  );

  fastify.post<{ Params: IParams; Body: ITransferRequest; Reply: INotebookSummary }>(
    '/api/notebooks/:id/transfer',
    {
      ...writeHook,
      schema: {
        summary: 'Give the notebook to another user, or to a group you own or edit (managers only)',
        tags,
        security: bearerSecurity,
        params: idParamsSchema,
        body: transferBodySchema,
        response: { 200: notebookSummarySchema, ...errorResponses(400, 401, 403, 404) }
      }
    },
    async request => {
      const record = authorized(request, 'manage');
      const { owner } = request.body;
      const caller = { ...request.caller, user: request.user };
      const ownership = resolveTransfer(fastify.accounts, fastify.groups, caller, record, owner);
      if (owner.kind === 'group' && !hasGroupRole(withoutAdmin(caller), owner.name, 'editor')) {
        auditAdmin(request.user, 'notebook.transfer-to-group', record.id, { group: owner.name });
      }
      return toSummary(await store.transfer(record.id, ownership), request.caller);
    }
  );

  function auditAdmin(user: IUser, action: string, target: string, details: Record<string, unknown>): void {
    fastify.audit.record(user.username, action, target, details);
  }
};

namespace Private {
  /** The sharing settings of a notebook, as the sharing routes answer them. */
  export function sharingOf(record: INotebookRecord): ISharing {
    return { visibility: record.visibility, group: record.group, shares: record.shares };
  }
}

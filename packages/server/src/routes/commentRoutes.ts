import {
  CommentIdParamsSchema,
  CommentListQuerySchema,
  CommentListResponseSchema,
  CommentSchema,
  CreateCommentRequestSchema,
  EditCommentRequestSchema,
  errorResponses,
  IdParamsSchema,
  RevisionCommentsParamsSchema,
  RevisionCommentsResponseSchema
} from '@notebook-gallery/core';
import type { FastifyPluginAsync } from 'fastify';
import { bearerSecurity, noContent, type CoreTypeProvider } from '../schemas/routeSchemas';

/**
 * Comments on notebooks, cells and lines of cells: each route hands the caller and the validated request to the
 * comment service, which checks access. Writing and editing are rate limited per user.
 */
export const commentRoutes: FastifyPluginAsync = async instance => {
  const fastify = instance.withTypeProvider<CoreTypeProvider>();
  const comments = fastify.gallery.comments;
  const tags = ['comments'];
  const readHook = { onRequest: fastify.authenticateOrAnonymous };
  const writeHook = { onRequest: fastify.authenticate };

  fastify.get(
    '/api/notebooks/:id/comments',
    {
      ...readHook,
      schema: {
        summary:
          'The notebook’s comment threads with their state against the latest revision (current, changed: on an ' +
          'earlier version of the cell, which `earlier` holds; outdated: the cell is gone), or a change request’s review',
        tags,
        security: bearerSecurity,
        params: IdParamsSchema,
        querystring: CommentListQuerySchema,
        response: { 200: CommentListResponseSchema, ...errorResponses(400, 401, 404) }
      }
    },
    async request => comments.list(request.caller, request.params.id, request.query.changeRequest)
  );

  fastify.post(
    '/api/notebooks/:id/comments',
    {
      config: { writeLimit: 'comment' },
      ...writeHook,
      schema: {
        summary: 'Comment on the notebook, a cell or lines of a cell, reply to a thread, or review a change request',
        tags,
        security: bearerSecurity,
        params: IdParamsSchema,
        body: CreateCommentRequestSchema,
        response: { 201: CommentSchema, ...errorResponses(400, 401, 404, 429) }
      }
    },
    async (request, reply) =>
      reply.code(201).send(await comments.create(request.caller, request.params.id, request.body))
  );

  fastify.patch(
    '/api/comments/:commentId',
    {
      config: { writeLimit: 'comment' },
      ...writeHook,
      schema: {
        summary: 'Change the text of your own comment; it shows as edited',
        tags,
        security: bearerSecurity,
        params: CommentIdParamsSchema,
        body: EditCommentRequestSchema,
        response: { 200: CommentSchema, ...errorResponses(400, 401, 403, 404, 429) }
      }
    },
    async request => comments.edit(request.caller, request.params.commentId, request.body.body)
  );

  for (const [action, resolved] of [
    ['resolve', true],
    ['reopen', false]
  ] as const) {
    fastify.post(
      `/api/comments/:commentId/${action}`,
      {
        ...writeHook,
        schema: {
          summary: resolved
            ? 'Resolve a comment (its author, or whoever may edit the notebook)'
            : 'Reopen a resolved comment (its author, or whoever may edit the notebook)',
          tags,
          security: bearerSecurity,
          params: CommentIdParamsSchema,
          response: { 200: CommentSchema, ...errorResponses(401, 403, 404) }
        }
      },
      async request => comments.setResolved(request.caller, request.params.commentId, resolved)
    );
  }

  fastify.delete(
    '/api/comments/:commentId',
    {
      ...writeHook,
      schema: {
        summary: 'Delete a comment, with its replies (its author, or whoever may edit the notebook, or an admin)',
        tags,
        security: bearerSecurity,
        params: CommentIdParamsSchema,
        response: { 204: noContent('Deleted'), ...errorResponses(401, 403, 404) }
      }
    },
    async (request, reply) => {
      await comments.delete(request.caller, request.params.commentId);
      return reply.code(204).send();
    }
  );

  fastify.get(
    '/api/notebooks/:id/revisions/:revision/comments',
    {
      ...readHook,
      schema: {
        summary: 'The review comments of the change requests whose acceptance made this revision',
        tags,
        security: bearerSecurity,
        params: RevisionCommentsParamsSchema,
        response: { 200: RevisionCommentsResponseSchema, ...errorResponses(401, 404) }
      }
    },
    async request => comments.forRevision(request.caller, request.params.id, request.params.revision)
  );
};

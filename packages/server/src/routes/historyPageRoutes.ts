import { IdParamsSchema, RevisionIdSchema, type IChangeRequest, type INotebook } from '@notebook-gallery/core';
import type { FastifyPluginAsync } from 'fastify';
import { historyPage } from '../pages/historyPage';

/** `?from=&to=` of the history page: revisions as the diff API takes them; an empty field (the form's) means the default. */
const HistoryPageQuerySchema = {
  type: 'object',
  properties: {
    from: { anyOf: [RevisionIdSchema, { const: '' }] },
    to: { anyOf: [RevisionIdSchema, { const: '' }] }
  }
};

/**
 * `GET /n/:id/history`: a notebook's revisions and the cell-aware diff between two of them, and the review comments
 * that led to the newer one, through the same service calls (and so the same permissions) as
 * `GET /api/notebooks/:id/revisions`, `GET /api/notebooks/:id/diff` and `GET /api/notebooks/:id/revisions/:rev/comments`. A
 * notebook the caller may not read, a missing one and a revision of another notebook all answer the same 404 page.
 */
export const historyPageRoutes: FastifyPluginAsync = async instance => {
  const { pages, notebooks, revisions, changeRequests } = instance;
  const { comments } = instance.gallery;
  instance.get<{ Params: { id: string }; Querystring: { from?: string; to?: string } }>(
    '/n/:id/history',
    {
      config: { page: true },
      onRequest: pages.read,
      schema: {
        summary: 'A notebook’s history page (for a browser)',
        tags: ['pages'],
        hide: true,
        params: IdParamsSchema,
        querystring: HistoryPageQuerySchema
      }
    },
    async (request, reply) => {
      const { caller } = request;
      const { id } = request.params;
      const notebook = await notebooks.get(caller, id);
      const diff = await revisions.diff(caller, id, {
        from: request.query.from || undefined,
        to: request.query.to || undefined
      });
      // Which revisions came from a change request: as the change-request API lists them to this caller.
      const accepted = new Map<string, IChangeRequest>();
      if (caller.user) {
        for (const change of (await changeRequests.listForNotebook(caller, id, 'accepted')).items) {
          if (change.acceptedRevision) {
            accepted.set(change.acceptedRevision, change);
          }
        }
      }
      // The review comments that led to the newer revision, when a change request's acceptance made it.
      const { reviews } = await comments.forRevision(caller, id, diff.to.revision);
      const cellNumbers = new Map<string, number>();
      if (reviews.some(review => review.threads.length > 0)) {
        const content = await notebooks.content(caller, id, diff.to.revision);
        const shown = JSON.parse((await content.read()).toString('utf8')) as INotebook;
        shown.cells.forEach((cell, index) => {
          if (typeof cell.id === 'string') {
            cellNumbers.set(cell.id, index + 1);
          }
        });
      }
      const main = historyPage(pages.h, {
        notebook,
        revisions: (await notebooks.listRevisions(caller, id)).items,
        changeRequests: accepted,
        diff,
        links: pages.links,
        reviews,
        cellNumbers,
        markdown: text => pages.renderer.renderMarkdown(text)
      });
      return pages.send(request, reply, { title: `History of ${notebook.title}`, main: [main] });
    }
  );
};

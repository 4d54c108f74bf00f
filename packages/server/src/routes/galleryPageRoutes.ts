import { NOTEBOOK_LIST_DEFAULT_LIMIT } from '@notebook-gallery/core';
import type { FastifyPluginAsync } from 'fastify';
import { galleryPage } from '../pages/galleryPage';
import { GalleryPageQuerySchema, listQueryOf, type IGalleryPageQuery } from '../pages/galleryQuery';

/**
 * `GET /` for a browser (a request whose Accept header prefers HTML): the gallery page. It lists through the same
 * service calls as `GET /api/notebooks` and `GET /api/notebooks/facets`, with the same parameters and the same
 * caller, so the page and the sidebar always find the same notebooks. Other clients of `/` (the JupyterHub's poll)
 * get the health answer of healthRoutes.ts.
 */
export const galleryPageRoutes: FastifyPluginAsync = async instance => {
  const { pages, notebooks } = instance;
  const signals = instance.gallery.signals;
  instance.get<{ Querystring: IGalleryPageQuery }>(
    '/',
    {
      constraints: { accept: 'html' },
      config: { page: true },
      onRequest: pages.read,
      schema: {
        summary: 'The gallery page (for a browser)',
        tags: ['pages'],
        hide: true,
        querystring: GalleryPageQuerySchema
      }
    },
    async (request, reply) => {
      const { caller } = request;
      const query = listQueryOf(request.query);
      const [list, facets] = await Promise.all([
        notebooks.list(caller, { ...query, limit: query.limit ?? NOTEBOOK_LIST_DEFAULT_LIMIT }),
        signals.facets(caller, { q: query.q, scope: query.scope, starred: query.starred })
      ]);
      const main = galleryPage(pages.h, {
        query,
        list,
        facets,
        loggedIn: caller.user !== null,
        links: pages.links
      });
      return pages.send(request, reply, {
        title: query.q ? `Search results for “${query.q}”` : 'Notebooks',
        main: [main],
        query: query.q,
        scripts: ['gallery.js']
      });
    }
  );
};

import type { FastifyPluginAsync } from 'fastify';
import { XSRF_FIELD } from '../auth/xsrf';
import { UnauthorizedError } from '../errors/UnauthorizedError';
import { inboxMain } from '../pages/inboxPage';

const FORM_BASE = {
  [XSRF_FIELD]: { type: 'string', maxLength: 200 },
  back: { type: 'string', maxLength: 2000 }
} as const;

/**
 * `/inbox`, the logged-in user's events as a page, and its forms (mark read, mute, unmute), which call the inbox
 * service as the API does and redirect back. Without a login the page sends the browser to the login, which comes
 * back here.
 */
export const inboxPageRoutes: FastifyPluginAsync = async fastify => {
  const { pages } = fastify;
  const { links } = pages;
  const inbox = fastify.gallery.inbox;
  pages.addFormParser(fastify);
  const form = { config: { page: true }, preHandler: pages.write };

  fastify.get<{ Querystring: { cursor?: string; unread?: string } }>(
    '/inbox',
    {
      config: { page: true },
      onRequest: pages.read,
      schema: {
        summary: 'Your inbox as a page',
        tags: ['pages'],
        hide: true,
        querystring: {
          type: 'object',
          properties: { cursor: { type: 'string', maxLength: 200 }, unread: { type: 'string', enum: ['true'] } }
        }
      }
    },
    async (request, reply) => {
      const { caller } = request;
      if (caller.user === null) {
        // Anonymous reading is on, but an inbox is someone's: the error responder sends a GET to the login.
        throw new UnauthorizedError();
      }
      const onlyUnread = request.query.unread === 'true';
      const page = await inbox.list(caller, { unread: onlyUnread, cursor: request.query.cursor });
      return pages.send(request, reply, {
        title: 'Inbox',
        main: inboxMain(pages, {
          events: page.items,
          nextCursor: page.nextCursor,
          paged: request.query.cursor !== undefined,
          onlyUnread,
          unread: (await inbox.unreadCount(caller)).unread,
          muted: await inbox.mutedAmong(
            caller,
            page.items.map(event => event.notebookId)
          ),
          xsrfToken: pages.xsrfToken(request),
          here: links.href(request.url.startsWith('/inbox') ? request.url : '/inbox')
        })
      });
    }
  );

  fastify.post<{ Body: { all?: string; id?: string; back?: string } }>(
    '/inbox/read',
    {
      ...form,
      schema: {
        summary: 'Mark one event, or all, as read from the inbox page (a form post)',
        tags: ['pages'],
        hide: true,
        body: {
          type: 'object',
          properties: {
            ...FORM_BASE,
            all: { type: 'string', enum: ['true'] },
            id: { type: 'string', minLength: 1, maxLength: 32 }
          }
        }
      }
    },
    async (request, reply) => {
      const { id } = request.body;
      await inbox.markRead(request.caller, id ? { ids: [id] } : { all: true });
      return reply.redirect(Private.back(links, request.body.back), 303);
    }
  );

  fastify.post<{ Body: { notebookId: string; muted: 'true' | 'false'; back?: string } }>(
    '/inbox/mute',
    {
      ...form,
      schema: {
        summary: 'Mute or unmute a notebook from the inbox page (a form post)',
        tags: ['pages'],
        hide: true,
        body: {
          type: 'object',
          properties: {
            ...FORM_BASE,
            notebookId: { type: 'string', minLength: 1, maxLength: 64 },
            muted: { type: 'string', enum: ['true', 'false'] }
          },
          required: ['notebookId', 'muted']
        }
      }
    },
    async (request, reply) => {
      await inbox.setMuted(request.caller, request.body.notebookId, request.body.muted === 'true');
      return reply.redirect(Private.back(links, request.body.back), 303);
    }
  );
};

namespace Private {
  /** Back to the inbox page the form was on; only a page of this gallery. */
  export function back(links: { next(next: unknown): string; href(path: string): string }, back?: string): string {
    return back ? links.next(back) : links.href('/inbox');
  }
}

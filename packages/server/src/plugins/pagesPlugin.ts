import { ErrorCode, type IApiError } from '@notebook-gallery/core';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ElementContent } from 'hast';
import { PageLinks } from '../pages/pageLinks';
import { pageLayout, type IPageChrome, type IPageContent, type IPageVisitor } from '../pages/pageLayout';
import type { IPages } from '../pages/pageTools';
import type { INotebook } from '@notebook-gallery/core';
import { createNotebookRenderer } from '../pages/render/notebookRenderer';
import { RenderCache } from '../pages/render/renderCache';
import { renderCellItems, type ICellItem } from '../pages/cellItems';
import { loadRenderLibraries, type IRenderLibraries } from '../pages/render/renderLibraries';

/**
 * The Content-Security-Policy of every page: scripts and styles only from the gallery's own files (no inline script,
 * no eval, no inline style), images from the gallery or inline data (attachments), fonts from the gallery (KaTeX's),
 * forms posting only back to the gallery, and no framing.
 */
export const PAGE_CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "form-action 'self'",
  "base-uri 'none'",
  "frame-ancestors 'none'"
].join('; ');

/** Where the pages' style sheets, scripts and fonts are: `packages/server/assets` (from `src/plugins` and `lib/plugins`). */
const ASSETS_DIR = path.join(__dirname, '..', '..', 'assets');

/** The files `/assets/` serves, by extension; any other file in the folder is not served. */
const ASSET_TYPES: Record<string, string> = {
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.ttf': 'font/ttf',
  '.png': 'image/png'
};

/**
 * Characters of cell HTML kept serialised (about twice that in bytes). Serialising the cells of a 500-cell notebook
 * takes about 0.3 s, so every view of a revision after the first reuses the HTML.
 */
const CELLS_HTML_BUDGET_CHARS = 40_000_000;

/** Style sheets every page loads, in this order, when present in the assets folder. */
const PAGE_STYLES = ['pages.css', 'notebook.css', 'gallery.css', 'comments.css'];

declare module 'fastify' {
  interface FastifyInstance {
    pages: IPages;
  }
  interface FastifyContextConfig {
    /** A page route: its errors answer an HTML page (never JSON), and a missing login redirects to the login. */
    page?: boolean;
  }
}

interface IAsset {
  body: Buffer;
  type: string;
  version: string;
}

/**
 * Pages for the browser: loads the notebook renderer once, serves `assets/` at `/assets/<name>`, decorates
 * `fastify.pages` (above) and makes errors of page routes answer HTML pages, with a sentence and what to do next, while
 * API routes keep their JSON.
 */
export const pagesPlugin = fp(
  async fastify => {
    const { config } = fastify;
    const links = new PageLinks(config.hub?.prefix ?? '');
    const [libraries, renderer] = await Promise.all([loadRenderLibraries(), createNotebookRenderer()]);
    const { h, toHtml } = libraries;
    const assets = Private.loadAssets(ASSETS_DIR);
    const cellItemsCache = new RenderCache<readonly ICellItem[]>(CELLS_HTML_BUDGET_CHARS);
    const cellItems = (revisionKey: string, notebook: INotebook): Promise<readonly ICellItem[]> =>
      cellItemsCache.getOrMakeAsync(revisionKey, () => renderCellItems(renderer, toHtml, notebook));
    const cells = async (revisionKey: string, notebook: INotebook): Promise<ElementContent> =>
      h(
        'ol',
        { className: ['nb-cells'] },
        (await cellItems(revisionKey, notebook)).map(item => ({
          type: 'element' as const,
          tagName: 'li',
          properties: { ...item.properties },
          children: [{ type: 'raw' as const, value: item.html }]
        }))
      );
    const asset = (name: string): string => {
      const found = assets.get(name);
      return links.href(`/assets/${name}`, { v: found?.version });
    };
    const chrome: IPageChrome = { h, links, asset, styles: PAGE_STYLES.filter(name => assets.has(name)) };
    const loginUrl = (next: string): string =>
      config.hub ? links.href('/oauth_login', { next }) : links.href('/login', { next });
    const xsrfToken = (request: FastifyRequest): string | null =>
      request.xsrfBinding ? fastify.xsrf.token(request.xsrfBinding) : null;
    /** The header's unread count; a failure to count must not cost the page (it shows "Inbox" without a count). */
    const unreadCount = async (request: FastifyRequest): Promise<number> => {
      try {
        return (await fastify.gallery.inbox.unreadCount(request.caller)).unread;
      } catch (error) {
        request.log.warn({ err: error }, 'could not count unread inbox events');
        return 0;
      }
    };
    const visitor = async (request: FastifyRequest): Promise<IPageVisitor> => {
      const user = request.caller?.user ?? null;
      const token = xsrfToken(request);
      return {
        user,
        // The login page needs no link to itself.
        loginUrl: user || request.url.split('?')[0] === '/login' ? null : loginUrl(links.href(request.url)),
        // A trusted proxy's login ends at the proxy, not here.
        logout:
          user && token && request.credential?.kind !== 'proxy'
            ? { action: links.href('/logout'), xsrfToken: token }
            : null,
        inbox: user ? { href: links.href('/inbox'), unread: await unreadCount(request) } : null
      };
    };
    const send = async (request: FastifyRequest, reply: FastifyReply, content: IPageContent): Promise<FastifyReply> =>
      reply
        .code(content.status ?? 200)
        .header('content-security-policy', PAGE_CONTENT_SECURITY_POLICY)
        .header('cache-control', request.caller?.user ? 'no-store' : 'no-cache')
        .type('text/html; charset=utf-8')
        // Raw nodes: only the cells' own serialised HTML (see cells()).
        .send(toHtml(pageLayout(chrome, content, await visitor(request)), { allowDangerousHtml: true }));

    fastify.get<{ Params: { '*': string }; Querystring: { v?: string } }>(
      '/assets/*',
      {
        schema: {
          summary: 'Style sheets, scripts and fonts of the pages',
          tags: ['pages'],
          hide: true
        }
      },
      async (request, reply) => {
        const found = assets.get(request.params['*']);
        if (!found) {
          return reply.code(404).send({ error: ErrorCode.NOT_FOUND, message: 'No such asset' });
        }
        // A versioned URL (what pages link to) never changes; a bare one is revalidated now and then.
        const immutable = request.query.v === found.version;
        return reply
          .header('cache-control', immutable ? 'public, max-age=31536000, immutable' : 'public, max-age=300')
          .header('etag', `"${found.version}"`)
          .type(found.type)
          .send(found.body);
      }
    );

    // Every reply of a page route carries the page policy, redirects and downloads included, not the API's.
    fastify.addHook('onSend', async (request, reply) => {
      if (request.routeOptions.config?.page === true) {
        reply.header('content-security-policy', PAGE_CONTENT_SECURITY_POLICY);
      }
    });

    fastify.usePageErrors({
      wants: request =>
        request.routeOptions.config?.page === true ||
        (request.is404 && !request.url.startsWith('/api/') && (request.headers.accept ?? '').includes('text/html')),
      send: async (request, reply, statusCode, body) => {
        if (statusCode === 401 && (request.method === 'GET' || request.method === 'HEAD')) {
          return reply.header('cache-control', 'no-store').redirect(loginUrl(links.href(request.url)), 302);
        }
        try {
          return await send(request, reply, { ...Private.errorPage(h, links, statusCode, body), status: statusCode });
        } catch (error) {
          request.log.error({ err: error }, 'the error page failed');
          return reply.code(statusCode).type('text/plain; charset=utf-8').send(body.message);
        }
      }
    });

    fastify.decorate('pages', {
      renderer,
      cells,
      cellItems,
      h,
      links,
      asset,
      send,
      loginUrl,
      xsrfToken,
      read: (request: FastifyRequest) => fastify.authenticateOrAnonymous(request),
      write: async (request: FastifyRequest) => {
        await fastify.authenticate(request);
        if (request.xsrfBinding) {
          fastify.xsrf.check(request, request.xsrfBinding);
        }
      },
      addFormParser: (instance: FastifyInstance) => {
        instance.addContentTypeParser(
          'application/x-www-form-urlencoded',
          { parseAs: 'string' },
          (_request, body, done) => done(null, Object.fromEntries(new URLSearchParams(body as string)))
        );
      }
    } satisfies IPages);
  },
  { name: 'gallery-pages', dependencies: ['gallery-auth', 'gallery-error-handler'] }
);

namespace Private {
  /** Every servable file under `dir` (by path relative to it, with `/`), read once: nothing else can be served. */
  export function loadAssets(dir: string): Map<string, IAsset> {
    const assets = new Map<string, IAsset>();
    const walk = (relative: string): void => {
      for (const entry of fs.readdirSync(path.join(dir, relative), { withFileTypes: true })) {
        const name = relative ? `${relative}/${entry.name}` : entry.name;
        const type = ASSET_TYPES[path.extname(entry.name).toLowerCase()];
        if (entry.isDirectory()) {
          walk(name);
        } else if (entry.isFile() && type) {
          const body = fs.readFileSync(path.join(dir, name));
          const version = crypto.createHash('sha256').update(body).digest('base64url').slice(0, 12);
          assets.set(name, { body, type, version });
        }
      }
    };
    walk('');
    return assets;
  }

  /** The title and body of the page that stands for an error: a readable sentence and what to do next. */
  export function errorPage(
    h: IRenderLibraries['h'],
    links: PageLinks,
    statusCode: number,
    body: IApiError
  ): IPageContent {
    const home = h('a', { href: links.href('/') }, 'the gallery');
    const say = (title: string, sentence: string, next: (string | ElementContent)[]): IPageContent => ({
      title,
      main: [
        h('div', { className: ['error-page'] }, [
          h('h1', title),
          h('p', sentence),
          h('p', { className: ['next-step'] }, next)
        ])
      ]
    });
    if (body.error === ErrorCode.NOTEBOOK_NOT_FOUND || body.error === ErrorCode.REVISION_NOT_FOUND) {
      // One page for a missing notebook, a private one and a revision of another: none of them tells which.
      return say('Notebook not found', 'There is no notebook at this address, or it has not been shared with you.', [
        'Check the link you followed, ask its owner to share the notebook with you, or search ',
        home,
        '.'
      ]);
    }
    if (statusCode === 404) {
      return say('Page not found', 'There is no page at this address.', ['Check the link, or go to ', home, '.']);
    }
    if (statusCode === 401) {
      return say('Log in first', 'This needs you to be logged in.', ['Log in, then go back and try again.']);
    }
    if (body.error === ErrorCode.VALIDATION_FAILED) {
      return say('This address is not right', 'Part of the address or of the form is not valid.', [
        'Check the link, or start again from ',
        home,
        '.'
      ]);
    }
    if (statusCode < 500) {
      return say(statusCode === 403 ? 'Not allowed' : 'That did not work', body.message, [
        'Go back and try again, or go to ',
        home,
        '.'
      ]);
    }
    if (statusCode === 503 || statusCode === 507) {
      // A known outage (storage full or read-only, the database down, a busy server): its own sentence says what
      // happened and when to try again; "unexpected error" would send the reader looking for a bug.
      return say('Not available right now', body.message, ['Try again in a minute, or go to ', home, '.']);
    }
    return say('Something went wrong', 'The gallery hit an unexpected error while making this page.', [
      'Try again in a minute. If it keeps happening, tell the administrator of the gallery (the server log has the details).'
    ]);
  }
}

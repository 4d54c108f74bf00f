import type { INotebook } from '@notebook-gallery/core';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ElementContent } from 'hast';
import type { ICellItem } from './cellItems';
import type { IPageContent } from './pageLayout';
import type { PageLinks } from './pageLinks';
import type { INotebookRenderer } from './render/notebookRenderer';
import type { IRenderLibraries } from './render/renderLibraries';

/**
 * What a page route uses: the renderer, `h` to build hast, links under the prefix, and the one way to send a page.
 * plugins/pagesPlugin.ts decorates it as `fastify.pages`; it lives here so page routes need not import a plugin.
 */
export interface IPages {
  /** Turns notebooks and markdown into hast; loaded once at startup. */
  renderer: INotebookRenderer;
  /**
   * The rendered cells of `notebook`, whose content `revisionKey` names for good (`<id>@<revision>`), to place in a
   * page: serialised once by `toHtml` from the renderer's sanitized tree and kept, then placed as a `raw` node, the
   * only kind pages emit (the renderer's output has none: the sanitizer drops them). The first view renders in time
   * slices, so other requests are served meanwhile, and concurrent first views share one render.
   */
  cells(revisionKey: string, notebook: INotebook): Promise<ElementContent>;
  /**
   * The same cells taken apart, each `<li>`'s attributes and its content's HTML, for a page that adds to a cell
   * (comments beside it). One cache serves both; see pages/cellItems.ts.
   */
  cellItems(revisionKey: string, notebook: INotebook): Promise<readonly ICellItem[]>;
  /** hastscript's `h`: every element of a page is built with it (text is never parsed as HTML). */
  h: IRenderLibraries['h'];
  /** Every URL a page emits goes through these (they add the JupyterHub prefix). */
  links: PageLinks;
  /** The URL of a file in `assets/`. */
  asset(name: string): string;
  /**
   * Sends a page: the shell of pages/pageLayout.ts around `content.main` (the header names `request.user`), as
   * `text/html` with the pages' Content-Security-Policy and `Cache-Control: no-store` (pages show who is logged in;
   * `no-cache` for visitors who are not). Example, in a route registered with `config: { page: true }` and
   * `onRequest: fastify.pages.read`:
   * ```ts
   * const { h } = fastify.pages;
   * return fastify.pages.send(request, reply, { title: 'Gallery', main: [h('h1', 'Gallery')], scripts: ['gallery-page.js'] });
   * ```
   */
  send(request: FastifyRequest, reply: FastifyReply, content: IPageContent): Promise<FastifyReply>;
  /** The login page (standalone) or the hub's OAuth login (in a hub) that comes back to `next`, a prefixed path. */
  loginUrl(next: string): string;
  /** The XSRF token a form of this page sends in its `_xsrf` field; null when the request has no login a browser attaches on its own. */
  xsrfToken(request: FastifyRequest): string | null;
  /**
   * `onRequest` hook of page routes: who is asking, or the anonymous visitor when the admin allows anonymous reading.
   * Without a login otherwise, the page answers a redirect to the login (see the error responder).
   */
  read(request: FastifyRequest): Promise<void>;
  /**
   * `preHandler` hook of routes that take a form post: needs a login and, for logins a browser attaches on its own
   * (cookies, the trusted proxy's header), the XSRF token in the form's `_xsrf` field. Use with {@link addFormParser}.
   */
  write(request: FastifyRequest): Promise<void>;
  /** Parses `application/x-www-form-urlencoded` bodies (HTML forms) in `instance`, a page route plugin, only. */
  addFormParser(instance: FastifyInstance): void;
}

import type { IUser } from '@notebook-gallery/core';
import type { ElementContent, Root } from 'hast';
import type { IRenderLibraries } from './render/renderLibraries';
import type { PageLinks } from './pageLinks';
import { XSRF_FIELD } from '../auth/xsrf';

/** The name in every page's header and title. */
export const GALLERY_NAME = 'Notebook Gallery';

/**
 * What a page route gives for one page; the rest of the shell comes from the request (see
 * `fastify.pages.send` in plugins/pagesPlugin.ts, which is how routes send pages).
 */
export interface IPageContent {
  /** The page's own title, e.g. the notebook's; the document title adds " · Notebook Gallery". */
  title: string;
  /** The content of `<main id="main">`: start it with the page's one `<h1>`. */
  main: ElementContent[];
  /** The search box's text, e.g. the `q` of the gallery page; empty when absent. */
  query?: string;
  /** Same-origin scripts from `packages/server/assets/` (by file name, e.g. `gallery-page.js`), loaded deferred. Pages must work without them. */
  scripts?: readonly string[];
  /** HTTP status; 200 when absent. */
  status?: number;
}

/** Who the header names, and how they log in or out; filled in by the pages plugin from the request. */
export interface IPageVisitor {
  user: IUser | null;
  /** Where "Log in" leads (back to this page afterwards); null when logged in. */
  loginUrl: string | null;
  /** The form that logs out; null when this login cannot end here (a trusted proxy's). */
  logout: { action: string; xsrfToken: string } | null;
  /** The link to the visitor's inbox and how many of its events are unread; null when not logged in. */
  inbox?: { href: string; unread: number } | null;
}

/** How the shell links to its own assets and pages. */
export interface IPageChrome {
  h: IRenderLibraries['h'];
  links: PageLinks;
  /** The URL of a file in `assets/` (prefixed, with a version for caching). */
  asset(name: string): string;
  /** Style sheets every page loads, by file name in `assets/`. */
  styles: readonly string[];
}

/**
 * The page shell as hast: language, title, viewport, the style sheets, a skip link, a header with the gallery's
 * name (linking home), a search form (GET `/`, so it works without JavaScript), the visitor's name with Log out, or
 * Log in, then `<main id="main">` with `content.main`. Serialise it with `toHtml`; the pages plugin does both.
 */
export function pageLayout(chrome: IPageChrome, content: IPageContent, visitor: IPageVisitor): Root {
  const { h, links } = chrome;
  const account: ElementContent[] = visitor.user
    ? [
        h('span', { className: ['site-user-name'] }, ['Logged in as ', h('strong', visitor.user.username)]),
        ...(visitor.inbox ? [inboxLink(chrome, visitor.inbox)] : []),
        ...(visitor.logout
          ? [
              h('form', { className: ['site-logout'], method: 'post', action: visitor.logout.action }, [
                h('input', { type: 'hidden', name: XSRF_FIELD, value: visitor.logout.xsrfToken }),
                h('button', { type: 'submit', className: ['link-button'] }, 'Log out')
              ])
            ]
          : [])
      ]
    : visitor.loginUrl
      ? [h('a', { href: visitor.loginUrl }, 'Log in')]
      : [];
  return {
    type: 'root',
    children: [
      { type: 'doctype' },
      h('html', { lang: 'en' }, [
        h('head', [
          h('meta', { charSet: 'utf-8' }),
          h('meta', { name: 'viewport', content: 'width=device-width, initial-scale=1' }),
          h('meta', { name: 'color-scheme', content: 'light dark' }),
          h('title', `${content.title} · ${GALLERY_NAME}`),
          // No icon: without this line the browser asks for /favicon.ico, a 404 in its console on every page.
          h('link', { rel: 'icon', href: 'data:,' }),
          ...chrome.styles.map(name => h('link', { rel: 'stylesheet', href: chrome.asset(name) })),
          ...(content.scripts ?? []).map(name => h('script', { src: chrome.asset(name), defer: true }))
        ]),
        h('body', [
          h('a', { className: ['skip-link'], href: '#main' }, 'Skip to content'),
          h('header', { className: ['site-header'] }, [
            h('a', { className: ['site-name'], href: links.href('/') }, GALLERY_NAME),
            h('form', { className: ['site-search'], role: 'search', method: 'get', action: links.href('/') }, [
              h('label', { htmlFor: 'site-search-q', className: ['visually-hidden'] }, 'Search notebooks'),
              h('input', { id: 'site-search-q', type: 'search', name: 'q', value: content.query ?? '' }),
              h('button', { type: 'submit' }, 'Search')
            ]),
            h('nav', { className: ['site-account'], ariaLabel: 'Account' }, account)
          ]),
          h('main', { id: 'main', tabIndex: -1 }, content.main)
        ])
      ])
    ]
  };
}

/** "Inbox (3)": the count in the text, and a label that says what it counts for screen readers. */
function inboxLink(chrome: IPageChrome, inbox: { href: string; unread: number }): ElementContent {
  const { h } = chrome;
  const unread = inbox.unread;
  return h(
    'a',
    {
      className: ['site-inbox', ...(unread > 0 ? ['site-inbox--unread'] : [])],
      href: inbox.href,
      ariaLabel: unread > 0 ? `Inbox, ${unread} unread` : 'Inbox, nothing unread'
    },
    unread > 0 ? `Inbox (${unread})` : 'Inbox'
  );
}

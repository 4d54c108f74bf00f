import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import type { ITestGallery } from '../helpers/testGallery';

/** What a browser sends to a page: it asks for HTML. */
export const HTML_ACCEPT = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';

/** A browser's login to pages: the Cookie header it sends and the XSRF token its forms carry. */
export interface IPageLogin {
  cookie: string;
  xsrf: string;
}

/** name -> value and attributes of every cookie a reply sets. */
export function cookiesOf(
  response: LightMyRequestResponse
): Map<string, { value: string; path?: string; httpOnly?: boolean; sameSite?: string; maxAge?: number }> {
  // light-my-request 6.6 (pinned for Node 20) types some attributes only through its index signature.
  return new Map(
    response.cookies.map(cookie => [
      cookie.name,
      {
        value: cookie.value,
        path: cookie.path as string | undefined,
        httpOnly: cookie.httpOnly,
        sameSite: cookie.sameSite as string | undefined,
        maxAge: cookie.maxAge as number | undefined
      }
    ])
  );
}

/** Posts the login form as a browser would; returns the reply. */
export function postLoginForm(
  app: FastifyInstance,
  fields: Record<string, string>,
  prefix = ''
): Promise<LightMyRequestResponse> {
  return app.inject({
    method: 'POST',
    url: `${prefix}/login`,
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept: HTML_ACCEPT },
    payload: new URLSearchParams(fields).toString()
  });
}

/** Logs in through the login page (adding the user first) and keeps its cookies, as a browser would. */
export async function pageLogin(gallery: ITestGallery, username: string): Promise<IPageLogin> {
  if (!(await gallery.app.accounts.find(username))) {
    await gallery.app.accounts.add(username, `${username}-password`, false);
  }
  const response = await postLoginForm(gallery.app, { username, password: `${username}-password`, next: '/' });
  const cookies = cookiesOf(response);
  const session = cookies.get('gallery_session');
  const xsrf = cookies.get('gallery_xsrf');
  if (response.statusCode !== 303 || !session || !xsrf) {
    throw new Error(`page login as ${username} failed: ${response.statusCode} ${response.body}`);
  }
  return { cookie: `gallery_session=${session.value}; gallery_xsrf=${xsrf.value}`, xsrf: xsrf.value };
}

/** GET a page as a browser with that login (none when null). */
export function getPage(app: FastifyInstance, url: string, login: IPageLogin | null): Promise<LightMyRequestResponse> {
  return app.inject({
    method: 'GET',
    url,
    headers: { accept: HTML_ACCEPT, ...(login ? { cookie: login.cookie } : {}) }
  });
}

/** Posts a form as a browser with that login. */
export function postForm(
  app: FastifyInstance,
  url: string,
  login: IPageLogin | null,
  fields: Record<string, string>
): Promise<LightMyRequestResponse> {
  return app.inject({
    method: 'POST',
    url,
    headers: {
      accept: HTML_ACCEPT,
      'content-type': 'application/x-www-form-urlencoded',
      ...(login ? { cookie: login.cookie } : {})
    },
    payload: new URLSearchParams(fields).toString()
  });
}

/** Saves a notebook through the API as `token`'s user; returns its id and revision. */
export async function saveNotebook(
  gallery: ITestGallery,
  token: string,
  request: Record<string, unknown>
): Promise<{ id: string; revision: string }> {
  const response = await gallery.request(token, { method: 'POST', url: '/api/notebooks', payload: request });
  if (response.statusCode !== 201) {
    throw new Error(`save failed: ${response.statusCode} ${response.body}`);
  }
  const { id, revision } = response.json() as { id: string; revision: string };
  return { id, revision };
}

/** The `href`, `src` and `action` values of a page, with `&amp;` decoded. */
export function urlsOf(html: string): string[] {
  return [...html.matchAll(/\b(?:href|src|action)="([^"]*)"/g)].map(match => match[1].replace(/&amp;/g, '&'));
}

import type { LightMyRequestResponse } from 'fastify';
import { sampleNotebook } from '../helpers/fixtures';
import { SETUP_TIMEOUT_MS, startTestGallery, type ITestGallery } from '../helpers/testGallery';
import { getPage, HTML_ACCEPT, pageLogin, postForm, saveNotebook, type IPageLogin } from './pageHelpers';

/*
 * Pages follow the API's permission rules, and never tell a private notebook from a missing one or a revision of
 * another notebook: the same status and the same page, for every kind of caller, on every notebook page.
 */

let gallery: ITestGallery;
let pub: { id: string; revision: string };
let secret: { id: string; revision: string };
let bob: IPageLogin;
let carolToken: string;

const MISSING_ID = 'no-such-notebook-0000';

beforeAll(async () => {
  gallery = await startTestGallery({ 'anonymous-read': 'true' });
  const olga = await gallery.login('olga');
  pub = await saveNotebook(gallery, olga, { notebook: sampleNotebook('open'), title: 'Open', visibility: 'public' });
  secret = await saveNotebook(gallery, olga, {
    notebook: sampleNotebook('hidden'),
    title: 'Hidden',
    description: 'only for olga',
    visibility: 'private'
  });
  bob = await pageLogin(gallery, 'bob');
  carolToken = await gallery.login('carol');
}, SETUP_TIMEOUT_MS);

afterAll(async () => {
  await gallery.close();
});

type Caller = 'anonymous' | 'another user (cookie)' | 'another user (token)';
const CALLERS: Caller[] = ['anonymous', 'another user (cookie)', 'another user (token)'];

function get(caller: Caller, url: string): Promise<LightMyRequestResponse> {
  if (caller === 'another user (token)') {
    return gallery.request(carolToken, { method: 'GET', url, headers: { accept: HTML_ACCEPT } });
  }
  return getPage(gallery.app, url, caller === 'anonymous' ? null : bob);
}

/** The reply with the address the visitor asked for taken out (a Log in link carries it back as `next`). */
function normalized(response: LightMyRequestResponse, url: string) {
  const strip = (text: string) => text.split(encodeURIComponent(url)).join('URL').split(url).join('URL');
  return {
    status: response.statusCode,
    type: response.headers['content-type'],
    csp: response.headers['content-security-policy'],
    location: strip(String(response.headers.location ?? '')),
    body: strip(response.body)
  };
}

/** Each page, as a private notebook, a missing one, and a revision of another notebook would address it. */
const PAGES: Record<string, (id: string, revision: string) => string> = {
  notebook: id => `/n/${id}`,
  revision: (id, revision) => `/n/${id}/r/${revision}`,
  download: id => `/n/${id}/download`,
  open: id => `/n/${id}/open`
};

describe.each(CALLERS)('for %s', caller => {
  it.each(Object.keys(PAGES))(
    'the %s page of a private, a missing and a foreign revision is one 404 page',
    async name => {
      const page = PAGES[name];
      const urls = [
        page(secret.id, secret.revision),
        page(MISSING_ID, secret.revision),
        PAGES.revision(pub.id, secret.revision)
      ];
      const replies = await Promise.all(urls.map(url => get(caller, url)));
      const [first, ...others] = replies.map((reply, index) => normalized(reply, urls[index]));
      expect(first.status).toBe(404);
      expect(first.type).toBe('text/html; charset=utf-8');
      expect(first.body).toContain('<h1>Notebook not found</h1>');
      expect(first.body).not.toContain('Hidden');
      expect(first.body).not.toContain('only for olga');
      for (const other of others) {
        expect(other).toEqual(first);
      }
    }
  );

  it('reads the public notebook (the rules are the API rules, not "everything is hidden")', async () => {
    const response = await get(caller, `/n/${pub.id}`);
    expect(response.statusCode).toBe(200);
    expect(response.body).toContain('<h1>Open</h1>');
  });
});

it('answers one 404 to a star form on a private and on a missing notebook', async () => {
  const urls = [`/n/${secret.id}/star`, `/n/${MISSING_ID}/star`];
  const replies = await Promise.all(
    urls.map(url => postForm(gallery.app, url, bob, { _xsrf: bob.xsrf, starred: 'true' }))
  );
  const [first, second] = replies.map((reply, index) => normalized(reply, urls[index]));
  expect(first.status).toBe(404);
  expect(second).toEqual(first);
});

it(
  'sends anonymous visitors to the same login for a private and a missing notebook when anonymous reading is off',
  async () => {
    const closed = await startTestGallery();
    try {
      const olga = await closed.login('olga');
      const hidden = await saveNotebook(closed, olga, { notebook: sampleNotebook('h'), title: 'H' });
      const urls = [`/n/${hidden.id}`, `/n/${MISSING_ID}`];
      const replies = await Promise.all(urls.map(url => getPage(closed.app, url, null)));
      const [first, second] = replies.map((reply, index) => normalized(reply, urls[index]));
      expect(first.status).toBe(302);
      expect(first.location).toBe('/login?next=URL');
      expect(second).toEqual(first);
    } finally {
      await closed.close();
    }
  },
  SETUP_TIMEOUT_MS
);

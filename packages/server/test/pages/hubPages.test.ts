import { PAGE_CONTENT_SECURITY_POLICY } from '../../src/plugins/pagesPlugin';
import { sampleNotebook } from '../helpers/fixtures';
import { PREFIX, startHubGallery, type IHubGallery } from '../hub/hubGallery';
import { StandInHub } from '../hub/standInHub';
import { HTML_ACCEPT, urlsOf } from './pageHelpers';

/* Pages in a JupyterHub: every URL under the service prefix, the hub's login, and Open in JupyterLab through the hub. */

let hub: StandInHub;
let gallery: IHubGallery;
let alice: string;
let nb: { id: string; revision: string };

beforeAll(async () => {
  hub = new StandInHub('service-token');
  await hub.start();
  gallery = await startHubGallery(hub);
  alice = hub.addUser('alice');
  const saved = await gallery.request(alice, {
    method: 'POST',
    url: '/api/notebooks',
    payload: { notebook: sampleNotebook('# Hello'), title: 'Hub notebook', tags: ['week 3'] }
  });
  nb = saved.json();
}, 60_000);

afterAll(async () => {
  await gallery.close();
  await hub.stop();
});

const page = (token: string | null, url: string) =>
  gallery.request(token, { method: 'GET', url, headers: { accept: HTML_ACCEPT } });

it('puts the prefix on every link, form, script and style sheet of a page', async () => {
  // As a browser logged in through the hub's OAuth sends it: the hub token in the cookie.
  const response = await gallery.app.inject({
    method: 'GET',
    url: `${PREFIX}/n/${nb.id}`,
    headers: { accept: HTML_ACCEPT, cookie: `gallery_hub_token=${alice}` }
  });
  expect(response.statusCode).toBe(200);
  expect(response.headers['content-security-policy']).toBe(PAGE_CONTENT_SECURITY_POLICY);
  const urls = urlsOf(response.body).filter(url => url.startsWith('/'));
  expect(urls).toEqual(
    expect.arrayContaining([
      `${PREFIX}/`,
      `${PREFIX}/n/${nb.id}/open?revision=${nb.revision}`,
      `${PREFIX}/n/${nb.id}/download?revision=${nb.revision}`,
      `${PREFIX}/?tag=week+3`,
      `${PREFIX}/logout`
    ])
  );
  expect(urls.some(url => url.startsWith(`${PREFIX}/assets/pages.css?v=`))).toBe(true);
  expect(urls.filter(url => !url.startsWith(`${PREFIX}/`))).toEqual([]);
  expect(response.body).toContain(`value="http://localhost:80${PREFIX}/n/${nb.id}"`);
});

it('serves the assets under the prefix', async () => {
  const response = await gallery.request(null, { method: 'GET', url: '/assets/notebook-page.js' });
  expect(response.statusCode).toBe(200);
  expect(response.headers['content-type']).toBe('text/javascript; charset=utf-8');
});

it("sends a visitor without a login to the hub's login, to come back to the same page", async () => {
  const response = await page(null, `/n/${nb.id}`);
  expect(response.statusCode).toBe(302);
  expect(response.headers.location).toBe(`${PREFIX}/oauth_login?next=${encodeURIComponent(`${PREFIX}/n/${nb.id}`)}`);
  const login = await page(null, `/login?next=${encodeURIComponent(`${PREFIX}/n/${nb.id}`)}`);
  expect(login.statusCode).toBe(302);
  expect(login.headers.location).toBe(`${PREFIX}/oauth_login?next=${encodeURIComponent(`${PREFIX}/n/${nb.id}`)}`);
});

it("opens in JupyterLab through the hub's user-redirect, with the gallery query", async () => {
  const response = await page(alice, `/n/${nb.id}/open?revision=${nb.revision}`);
  expect(response.statusCode).toBe(302);
  expect(response.headers.location).toBe(`/hub/user-redirect/lab?gallery=${nb.id}&revision=${nb.revision}`);
  const latest = await page(alice, `/n/${nb.id}/open`);
  expect(latest.headers.location).toBe(`/hub/user-redirect/lab?gallery=${nb.id}&revision=${nb.revision}`);
});

it("logs out with the hub cookie and its XSRF token, then goes on to the hub's logout", async () => {
  const token = hub.addUser('bob');
  const cookie = `gallery_hub_token=${token}`;
  const post = (fields: Record<string, string>) =>
    gallery.app.inject({
      method: 'POST',
      url: `${PREFIX}/logout`,
      headers: { cookie, accept: HTML_ACCEPT, 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams(fields).toString()
    });
  expect((await post({})).statusCode).toBe(403);
  const response = await post({ _xsrf: gallery.app.xsrf.token(token) });
  expect(response.statusCode).toBe(303);
  expect(response.headers.location).toBe('/hub/logout');
  const cleared = response.cookies.find(c => c.name === 'gallery_hub_token');
  expect(cleared).toMatchObject({ value: '', path: `${PREFIX}/` });
});

it('keeps the hub poll at the prefix and /healthz answering JSON', async () => {
  for (const url of ['/', '/healthz']) {
    const response = await gallery.request(null, { method: 'GET', url });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ status: 'ok' });
  }
});

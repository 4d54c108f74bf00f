import type { LightMyRequestResponse } from 'fastify';
import { commentedNotebook } from '../comments/commentWorld';
import { PREFIX, startHubGallery, type IHubGallery } from '../hub/hubGallery';
import { StandInHub } from '../hub/standInHub';
import { HTML_ACCEPT, urlsOf } from './pageHelpers';

/* The comment forms and the inbox in a JupyterHub: under the service prefix, logged in with the hub's cookie. */

let hub: StandInHub;
let gallery: IHubGallery;
let alice: string;
let bob: string;
let nb: { id: string; revision: string };

beforeAll(async () => {
  hub = new StandInHub('service-token');
  await hub.start();
  gallery = await startHubGallery(hub);
  alice = hub.addUser('alice');
  bob = hub.addUser('bob');
  const saved = await gallery.request(alice, {
    method: 'POST',
    url: '/api/notebooks',
    payload: { notebook: commentedNotebook(), title: 'Hub comments', visibility: 'public' }
  });
  nb = saved.json();
}, 60_000);

afterAll(async () => {
  await gallery.close();
  await hub.stop();
});

/** A page as a browser logged in through the hub sends for it: the hub token in the cookie. */
function page(token: string, path: string): Promise<LightMyRequestResponse> {
  return gallery.app.inject({
    method: 'GET',
    url: `${PREFIX}${path}`,
    headers: { accept: HTML_ACCEPT, cookie: `gallery_hub_token=${token}` }
  });
}

it('posts a comment under the prefix with the page XSRF token, and comes back to it under the prefix', async () => {
  const html = (await page(bob, `/n/${nb.id}`)).body;
  const xsrf = /name="_xsrf" value="([^"]+)"/.exec(html)?.[1] as string;
  expect(urlsOf(html)).toContain(`${PREFIX}/n/${nb.id}/comments`);
  const response = await gallery.app.inject({
    method: 'POST',
    url: `${PREFIX}/n/${nb.id}/comments`,
    headers: {
      accept: HTML_ACCEPT,
      cookie: `gallery_hub_token=${bob}`,
      'content-type': 'application/x-www-form-urlencoded'
    },
    payload: new URLSearchParams({
      _xsrf: xsrf,
      body: 'Hello @alice',
      cellId: 'code',
      revision: nb.revision
    }).toString()
  });
  expect(response.statusCode).toBe(303);
  expect(String(response.headers.location)).toMatch(new RegExp(`^${PREFIX}/n/${nb.id}#comment-`));
  const commentId = String(response.headers.location).split('#comment-')[1];

  const inbox = (await page(alice, '/inbox')).body;
  expect(inbox).toContain(`<a href="${PREFIX}/n/${nb.id}#comment-${commentId}">Hub comments</a>`);
  expect(inbox).toContain(`href="${PREFIX}/inbox" aria-label="Inbox, 1 unread">Inbox (1)</a>`);
  expect(urlsOf(inbox).filter(url => url.startsWith('/') && !url.startsWith(`${PREFIX}/`))).toEqual([]);
});

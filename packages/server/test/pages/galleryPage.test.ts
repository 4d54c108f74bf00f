import type { HealthStatus, INotebookListItem } from '@notebook-gallery/core';
import { notebookItem } from '../../src/pages/galleryPage';
import { PageLinks } from '../../src/pages/pageLinks';
import { loadRenderLibraries } from '../../src/pages/render/renderLibraries';
import { sampleNotebook } from '../helpers/fixtures';
import { PREFIX, startHubGallery, type IHubGallery } from '../hub/hubGallery';
import { StandInHub } from '../hub/standInHub';
import { startTestGallery, type ITestGallery, SETUP_TIMEOUT_MS } from '../helpers/testGallery';

/** What a browser sends when it asks for a page. */
const BROWSER_ACCEPT = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';

/** The ids of the results a gallery page lists, in order (each result is an `<li … data-id>`). */
function pageIds(html: string): string[] {
  return [...html.matchAll(/<li class="gallery-item" data-id="([^"]+)"/g)].map(match => match[1]);
}

describe('the gallery page (/)', () => {
  let gallery: ITestGallery;
  let ann: string;
  let bob: string;

  beforeAll(async () => {
    gallery = await startTestGallery({ 'anonymous-read': 'true' });
    ann = await gallery.login('ann');
    bob = await gallery.login('bob');
    const create = (token: string, title: string, visibility: string, tags: string[], code = 'x = 1') =>
      gallery.request(token, {
        method: 'POST',
        url: '/api/notebooks',
        payload: { notebook: sampleNotebook(`About ${title}`, code), title, tags, visibility }
      });
    await create(ann, 'Rainfall histogram', 'public', ['weather', 'plots'], 'plt.hist(rain)');
    await create(ann, 'Private rainfall notes', 'private', ['weather']);
    await create(bob, 'Sales by region', 'public', ['pandas']);
    for (let i = 0; i < 5; i++) {
      await create(bob, `Filler ${i}`, 'public', ['filler']);
    }
  }, SETUP_TIMEOUT_MS);

  afterAll(async () => {
    await gallery.close();
  });

  async function page(token: string | null, query = '') {
    return gallery.request(token, { method: 'GET', url: `/${query}`, headers: { accept: BROWSER_ACCEPT } });
  }

  async function apiIds(token: string | null, query = '') {
    const reply = await gallery.request(token, { method: 'GET', url: `/api/notebooks${query}` });
    expect(reply.statusCode).toBe(200);
    return (reply.json().items as Array<{ id: string }>).map(item => item.id);
  }

  it.each([
    ['everything', ''],
    ['a search', '?q=rainfall'],
    ['a tag', '?tag=weather'],
    ['an owner and a sort', '?owner=bob&sort=title'],
    ['a search with a filter word', '?q=tag%3Aweather&sort=updated'],
    ['a page of two', '?limit=2&sort=title']
  ])('lists what GET /api/notebooks lists for the same query and caller: %s', async (_name, query) => {
    for (const token of [ann, bob, null]) {
      const reply = await page(token, query);
      expect(reply.statusCode).toBe(200);
      expect(reply.headers['content-type']).toMatch(/^text\/html/);
      const ids = pageIds(reply.body);
      expect(ids).toEqual(await apiIds(token, query));
      expect(ids.length).toBeGreaterThan(0);
    }
  });

  it('shows ann her private notebook and hides it from bob and from anonymous readers', async () => {
    expect((await page(ann, '?q=notes')).body).toContain('Private rainfall notes');
    expect((await page(bob, '?q=notes')).body).not.toContain('Private rainfall notes');
    expect((await page(null, '?q=notes')).body).not.toContain('Private rainfall notes');
  });

  it('follows the API cursor with its "Load more" link, to the API’s second page', async () => {
    const first = await page(ann, '?limit=2&sort=title');
    const next = /<a class="gallery-button" href="\/([^"]*)" rel="next"/.exec(first.body);
    expect(next).not.toBeNull();
    const query = next![1].replace(/&amp;/g, '&');
    expect(query).toMatch(/cursor=/);
    const second = await page(ann, query);
    expect(pageIds(second.body)).toEqual(await apiIds(ann, query));
    expect(pageIds(second.body)).not.toEqual(pageIds(first.body));
  });

  it('offers facets as links that add the word to the search, and marks one already in it', async () => {
    const plain = (await page(ann)).body;
    expect(plain).toContain('Narrow the search');
    expect(plain).toMatch(/href="\/\?q=tag%3Aweather"[^>]*title="Add tag:weather to the search"/);
    const narrowed = (await page(ann, '?q=tag%3Aweather')).body;
    expect(narrowed).toMatch(/class="gallery-chip is-pressed" href="\/"[^>]*aria-current="true"/);
  });

  it('shows each notebook’s star count', async () => {
    const id = (await apiIds(bob, '?q=Sales'))[0];
    await gallery.request(ann, { method: 'PUT', url: `/api/notebooks/${id}/star` });
    const body = (await page(bob, '?q=Sales')).body;
    expect(body).toContain('1 star');
    expect((await page(bob, '?q=Rainfall')).body).toContain('0 stars');
  });

  it('tells a newcomer how to widen a search that finds nothing', async () => {
    const body = (await page(ann, '?q=zzzqqq+tag%3Anothing')).body;
    expect(body).toContain('No notebooks match “zzzqqq tag:nothing”.');
    expect(body).toContain('Remove a filter (tag:nothing) to widen the search.');
  });

  it('sends the pages’ Content-Security-Policy, with no inline script and no eval', async () => {
    const reply = await page(ann);
    const csp = String(reply.headers['content-security-policy']);
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).not.toContain('unsafe-eval');
    expect(reply.body).toMatch(/<script src="\/assets\/gallery\.js\?v=[^"]+" defer><\/script>/);
    expect(reply.body).not.toMatch(/<script(?![^>]*\ssrc=)/);
  });

  it('escapes notebook text: a title with markup stays text', async () => {
    await gallery.request(ann, {
      method: 'POST',
      url: '/api/notebooks',
      payload: { notebook: sampleNotebook('x'), title: '<img src=x onerror=alert(1)>', visibility: 'public' }
    });
    const body = (await page(ann, '?q=onerror')).body;
    expect(body).toContain('&#x3C;img src=x onerror=alert(1)>');
    expect(body).not.toContain('<img src=x');
  });

  it('answers a bad sort with a readable page, not JSON', async () => {
    const reply = await page(ann, '?sort=sideways');
    expect(reply.statusCode).toBe(400);
    expect(reply.headers['content-type']).toMatch(/^text\/html/);
  });

  it('leaves / to JSON clients standalone: no page without Accept: text/html', async () => {
    const reply = await gallery.request(ann, { method: 'GET', url: '/' });
    expect(reply.headers['content-type']).not.toMatch(/text\/html/);
    expect(reply.statusCode).toBe(404);
  });

  it('keeps /healthz the JSON health answer, whatever the Accept header', async () => {
    const reply = await gallery.request(null, { method: 'GET', url: '/healthz', headers: { accept: BROWSER_ACCEPT } });
    expect(reply.statusCode).toBe(200);
    expect(reply.json()).toMatchObject({ status: 'ok' });
  });
});

describe('the gallery page for an empty gallery', () => {
  let gallery: ITestGallery;

  beforeAll(async () => {
    gallery = await startTestGallery();
  }, SETUP_TIMEOUT_MS);

  afterAll(async () => {
    await gallery.close();
  });

  it('says how to save a first notebook from JupyterLab', async () => {
    const token = await gallery.login('carol');
    const reply = await gallery.request(token, { method: 'GET', url: '/', headers: { accept: BROWSER_ACCEPT } });
    expect(reply.statusCode).toBe(200);
    expect(reply.body).toContain('No notebooks in the gallery yet.');
    expect(reply.body).toContain('choose Save to Gallery from the toolbar or File menu');
  });

  it('sends a browser without a login to the login page when anonymous reading is off', async () => {
    const reply = await gallery.request(null, { method: 'GET', url: '/?q=x', headers: { accept: BROWSER_ACCEPT } });
    expect(reply.statusCode).toBe(302);
    expect(reply.headers.location).toMatch(/^\/login\?next=/);
  });
});

describe('/ in a JupyterHub', () => {
  let hub: StandInHub;
  let gallery: IHubGallery;

  beforeAll(async () => {
    hub = new StandInHub('service-token');
    await hub.start();
    gallery = await startHubGallery(hub);
  }, SETUP_TIMEOUT_MS);

  afterAll(async () => {
    await gallery.close();
    await hub.stop();
  });

  it.each([
    ['no Accept header (the hub’s poll)', undefined],
    ['*/*', '*/*'],
    ['JSON', 'application/json'],
    ['JSON before HTML', 'application/json, text/html;q=0.5']
  ])('answers the JSON health check to %s, without a login', async (_name, accept) => {
    for (const url of [PREFIX, `${PREFIX}/`]) {
      const reply = await gallery.app.inject({ method: 'GET', url, headers: accept ? { accept } : {} });
      expect(reply.statusCode).toBe(200);
      // The hub polls the service's root: it gets the health check, with what was checked.
      expect(reply.json()).toEqual({
        status: 'ok',
        version: expect.any(String),
        checks: { database: { status: 'ok' }, volume: { status: 'ok' } }
      });
    }
  });

  it('gives a logged-in browser the gallery page, its links under the prefix', async () => {
    const token = hub.addUser('alice');
    const saved = await gallery.request(token, {
      method: 'POST',
      url: '/api/notebooks',
      payload: { notebook: sampleNotebook('hub page'), title: 'Hub page notebook', visibility: 'public' }
    });
    const reply = await gallery.request(token, { method: 'GET', url: '/', headers: { accept: BROWSER_ACCEPT } });
    expect(reply.statusCode).toBe(200);
    expect(reply.headers['content-type']).toMatch(/^text\/html/);
    expect(reply.body).toContain(`href="${PREFIX}/n/${saved.json().id}"`);
    expect(pageIds(reply.body)).toEqual([saved.json().id]);
  });

  it('sends a browser without a login to the hub’s OAuth login, coming back to the gallery', async () => {
    const reply = await gallery.app.inject({ method: 'GET', url: `${PREFIX}/`, headers: { accept: BROWSER_ACCEPT } });
    expect(reply.statusCode).toBe(302);
    expect(reply.headers.location).toMatch(new RegExp(`^${PREFIX}/oauth_login\\?next=`));
  });
});

describe('a result’s health badge', () => {
  const item = (status: HealthStatus) =>
    ({
      id: 'abc',
      title: 'T',
      description: '',
      tags: [],
      owner: 'ann',
      ownerKind: 'user',
      visibility: 'public',
      group: null,
      updatedAt: '2026-12-06T10:00:00.000Z',
      stars: 0,
      starred: false,
      canManage: false,
      health: { status, score: 0.4, runs: 3, lastRunAt: null, lastSuccessAt: null }
    }) as unknown as INotebookListItem;

  it.each([
    ['healthy', '✓', 'Healthy'],
    ['unhealthy', '✗', 'Unhealthy'],
    ['stale', '⏱', 'Stale']
  ] as const)('says %s in words beside its symbol, and explains it in its title', async (status, symbol, label) => {
    const { h, toHtml } = await loadRenderLibraries();
    const html = toHtml(notebookItem(h, item(status), new PageLinks('')));
    expect(html).toContain(`<span aria-hidden="true">${symbol} </span>${label}</span>`);
    expect(html).toMatch(new RegExp(`class="health-badge is-${status}" title="${label}: `));
  });

  it('leaves the badge out while the health is unknown, as the sidebar does', async () => {
    const { h, toHtml } = await loadRenderLibraries();
    expect(toHtml(notebookItem(h, item('unknown'), new PageLinks('')))).not.toContain('health-badge');
  });
});

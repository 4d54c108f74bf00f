import { PAGE_CONTENT_SECURITY_POLICY } from '../../src/plugins/pagesPlugin';
import { MARKDOWN_PAYLOADS, TEXT_PAYLOADS } from '../fixtures/xssPayloads';
import { sampleNotebook } from '../helpers/fixtures';
import { SETUP_TIMEOUT_MS, startTestGallery, type ITestGallery } from '../helpers/testGallery';
import { cookiesOf, getPage, HTML_ACCEPT, pageLogin, postForm, saveNotebook, type IPageLogin } from './pageHelpers';

/* The notebook pages of a standalone gallery, logged in through the login page as a browser is. */

/** Every start tag of `html` and its attributes (entities left as they are), read the way HTML tokenizes tags. */
function tagsOf(html: string): { name: string; attributes: Record<string, string> }[] {
  const tag = /<([a-zA-Z][a-zA-Z0-9-]*)((?:\s+[^\s"'>/=]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'>]+))?)*)\s*\/?>/g;
  const attribute = /\s([^\s"'>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+)))?/g;
  return [...html.matchAll(tag)].map(match => ({
    name: match[1].toLowerCase(),
    attributes: Object.fromEntries(
      [...match[2].matchAll(attribute)].map(a => [a[1].toLowerCase(), a[2] ?? a[3] ?? a[4] ?? ''])
    )
  }));
}

const XSS_CODE = '</code></pre><script>alert(1)</script>\nprint("<img src=x onerror=alert(1)>")';

let gallery: ITestGallery;
let olgaToken: string;
let olga: IPageLogin;
let bob: IPageLogin;
let nb: { id: string; revision: string };

beforeAll(async () => {
  gallery = await startTestGallery();
  olgaToken = await gallery.login('olga');
  olga = await pageLogin(gallery, 'olga');
  bob = await pageLogin(gallery, 'bob');
  nb = await saveNotebook(gallery, olgaToken, {
    notebook: sampleNotebook('# Sales\n\n| a | b |\n|---|---|\n| 1 | 2 |', 'import numpy as np\nprint(np.pi)'),
    title: 'Sales report',
    description: 'Quarterly **sales**, with [a link](https://example.org).',
    tags: ['finance', 'q3 & more'],
    visibility: 'public'
  });
}, SETUP_TIMEOUT_MS);

afterAll(async () => {
  await gallery.close();
});

describe('/n/:id', () => {
  it('links to its history, where every version and what changed are', async () => {
    const html = (await getPage(gallery.app, `/n/${nb.id}`, bob)).body;
    expect(html).toContain(`<a class="button" href="/n/${nb.id}/history">History</a>`);
    expect((await getPage(gallery.app, `/n/${nb.id}/history`, bob)).statusCode).toBe(200);
  });

  it('shows the notebook with the page CSP, as HTML that is not stored', async () => {
    const response = await getPage(gallery.app, `/n/${nb.id}`, bob);
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(response.headers['content-security-policy']).toBe(PAGE_CONTENT_SECURITY_POLICY);
    expect(response.headers['cache-control']).toBe('no-store');
    const html = response.body;
    expect(html).toContain('<title>Sales report · Notebook Gallery</title>');
    expect(html).toContain('<h1>Sales report</h1>');
    expect(html).toContain('Quarterly <strong>sales</strong>');
    expect(html).toMatch(/<dt>Owner<\/dt><dd>olga<\/dd>/);
    expect(html).toMatch(/<dt>Visibility<\/dt><dd>Public<\/dd>/);
    expect(html).toMatch(/<dt>Updated<\/dt><dd><time datetime="\d{4}-\d\d-\d\dT[\d:.]+Z">/);
    expect(html).toMatch(/<dt>Environment<\/dt><dd>kernel python3/);
    expect(html).toContain('<li><code>numpy</code></li>');
    expect(html).toContain('<span class="badge badge-unknown">Not enough runs yet</span>');
    expect(html).toContain('<a href="/?tag=finance">finance</a>');
    expect(html).toContain('<a href="/?tag=q3+%26+more">q3 &#x26; more</a>');
    expect(html).toContain('<ol class="nb-cells">');
    expect(html).toContain('id="cell-2"');
    expect(html).toContain('<table>');
    expect(html).toContain(`href="/n/${nb.id}/open?revision=${nb.revision}"`);
    expect(html).toContain(`href="/n/${nb.id}/download?revision=${nb.revision}"`);
    // The comments themselves are tested in commentsPage.test.ts.
    expect(html).toContain(
      '<section id="comments" aria-labelledby="comments-heading"><h2 id="comments-heading">Comments</h2><p class="comments-summary">No comments yet. '
    );
    expect(html).toContain(`value="http://localhost:80/n/${nb.id}"`);
    expect(html).toContain('<script src="/assets/notebook-page.js?v=');
    expect(html).toContain('Logged in as <strong>bob</strong>');
  });

  it('never shows outputs, even though the saved notebook had some', async () => {
    const html = (await getPage(gallery.app, `/n/${nb.id}`, bob)).body;
    expect(html).toContain('print');
    expect(html).not.toMatch(/>1\n?<\/pre>/);
    expect(html).not.toContain('stdout');
  });

  it('shows lineage both ways: the copy names its original, the original lists its copies', async () => {
    const bobToken = await gallery.login('bob-api');
    const copy = await saveNotebook(gallery, bobToken, {
      notebook: sampleNotebook('copy'),
      title: 'My sales copy',
      parent: { id: nb.id, revision: nb.revision },
      visibility: 'public'
    });
    const copyPage = (await getPage(gallery.app, `/n/${copy.id}`, bob)).body;
    expect(copyPage).toContain(
      `<dt>Copied from</dt><dd><a href="/n/${nb.id}/r/${nb.revision}">Sales report</a> by olga</dd>`
    );
    const original = (await getPage(gallery.app, `/n/${nb.id}`, bob)).body;
    expect(original).toContain(`<a href="/n/${copy.id}">My sales copy</a> by bob-api`);
  });
});

describe('stored XSS', () => {
  it('puts no script and no event handler from any field of the render corpus into the page', async () => {
    const saved = await saveNotebook(gallery, olgaToken, {
      notebook: sampleNotebook(MARKDOWN_PAYLOADS.map(payload => payload.text).join('\n\n'), XSS_CODE),
      title: TEXT_PAYLOADS.join(' '),
      description: MARKDOWN_PAYLOADS.map(payload => payload.text).join('\n\n'),
      tags: [...TEXT_PAYLOADS],
      visibility: 'public'
    });
    // Twice: the second page takes the cells from the serialised cache.
    for (let view = 0; view < 2; view++) {
      const html = (await getPage(gallery.app, `/n/${saved.id}`, bob)).body;
      const tags = tagsOf(html);
      expect(tags.filter(tag => tag.name === 'script')).toEqual([
        { name: 'script', attributes: { src: expect.stringMatching(/^\/assets\/notebook-page\.js\?v=/), defer: '' } }
      ]);
      expect(tags.filter(tag => ['iframe', 'object', 'embed', 'style', 'base', 'frame'].includes(tag.name))).toEqual(
        []
      );
      for (const tag of tags) {
        for (const [name, value] of Object.entries(tag.attributes)) {
          expect(`${tag.name} ${name}`).not.toMatch(/ on/);
          expect(`${tag.name} ${name}="${value}"`).not.toMatch(/"\s*(javascript|vbscript|data:text)/i);
        }
      }
      expect(tags.filter(tag => tag.name === 'link').map(tag => tag.attributes.href)).toEqual([
        'data:,',
        expect.stringMatching(/^\/assets\/pages\.css/),
        expect.stringMatching(/^\/assets\/notebook\.css/),
        expect.stringMatching(/^\/assets\/gallery\.css/),
        expect.stringMatching(/^\/assets\/comments\.css/)
      ]);
    }
  });
});

describe('/n/:id/r/:revision', () => {
  it('keeps showing the same content at the same URL, and says when a newer revision exists', async () => {
    const first = await saveNotebook(gallery, olgaToken, {
      notebook: sampleNotebook('first words'),
      title: 'Changing',
      visibility: 'public'
    });
    const url = `/n/${first.id}/r/${first.revision}`;
    const before = await getPage(gallery.app, url, bob);
    expect(before.statusCode).toBe(200);
    expect(before.body).toContain('This is the latest revision.');
    const cellsOf = (html: string) =>
      html.slice(html.indexOf('<ol class="nb-cells">'), html.indexOf('<section id="comments"'));
    const update = await gallery.request(olgaToken, {
      method: 'PUT',
      url: `/api/notebooks/${first.id}`,
      payload: { notebook: sampleNotebook('second words'), baseRevision: first.revision }
    });
    expect(update.statusCode).toBe(200);
    const after = await getPage(gallery.app, url, bob);
    expect(after.statusCode).toBe(200);
    expect(cellsOf(after.body)).toBe(cellsOf(before.body));
    expect(cellsOf(after.body)).toContain('first words');
    expect(after.body).toContain(`A newer revision exists: <a href="/n/${first.id}">see the latest (revision 2)</a>`);
    const latest = await getPage(gallery.app, `/n/${first.id}`, bob);
    expect(latest.body).toContain('second words');
    expect(latest.body).toContain(`href="/n/${first.id}/r/${update.json().revision}">Permanent link to this revision`);
  });
});

describe('download', () => {
  it('sends the stored notebook, without outputs, as an attachment named after the title', async () => {
    const response = await getPage(gallery.app, `/n/${nb.id}/download?revision=${nb.revision}`, bob);
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-disposition']).toBe(
      `attachment; filename="sales-report.ipynb"; filename*=UTF-8''sales-report.ipynb`
    );
    expect(response.headers['content-type']).toMatch(/^application\/x-ipynb\+json/);
    const stored = response.json();
    expect(stored.cells[1].outputs).toEqual([]);
    expect(stored.cells[1].execution_count).toBeNull();
  });
});

describe('star', () => {
  it('stars with the form and its XSRF token, and comes back to the page', async () => {
    const response = await postForm(gallery.app, `/n/${nb.id}/star`, bob, {
      _xsrf: bob.xsrf,
      starred: 'true',
      back: `/n/${nb.id}`
    });
    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toBe(`/n/${nb.id}`);
    const html = (await getPage(gallery.app, `/n/${nb.id}`, bob)).body;
    expect(html).toContain('aria-pressed="true">★ Starred</button><span class="star-count">1 star</span>');
    const unstar = await postForm(gallery.app, `/n/${nb.id}/star`, bob, { _xsrf: bob.xsrf, starred: 'false' });
    expect(unstar.statusCode).toBe(303);
    expect((await getPage(gallery.app, `/n/${nb.id}`, bob)).body).toContain('<span class="star-count">0 stars</span>');
  });

  it.each([
    ['no token', {}],
    ['a forged token', { _xsrf: 'forged' }],
    ["another user's token", { _xsrf: 'OLGA' }]
  ])('refuses a cookie-authenticated star with %s (403 page), and stars nothing', async (_name, extra) => {
    const fields = { starred: 'true', ...extra } as Record<string, string>;
    if (fields._xsrf === 'OLGA') {
      fields._xsrf = olga.xsrf;
    }
    const response = await postForm(gallery.app, `/n/${nb.id}/star`, bob, fields);
    expect(response.statusCode).toBe(403);
    expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(response.headers['content-security-policy']).toBe(PAGE_CONTENT_SECURITY_POLICY);
    expect(response.body).toContain('<h1>Not allowed</h1>');
    const summary = await gallery.request(olgaToken, { method: 'GET', url: `/api/notebooks/${nb.id}` });
    expect(summary.json().stars).toBe(0);
  });

  it('sends a visitor who is not logged in to log in first', async () => {
    const response = await postForm(gallery.app, `/n/${nb.id}/star`, null, { starred: 'true' });
    expect(response.statusCode).toBe(401);
    expect(response.body).toContain('<h1>Log in first</h1>');
  });

  it('never goes back to another site', async () => {
    const response = await postForm(gallery.app, `/n/${nb.id}/star`, bob, {
      _xsrf: bob.xsrf,
      starred: 'false',
      back: '//evil.example/x'
    });
    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toBe('/');
  });
});

describe('logout', () => {
  it('refuses a logout without the XSRF token, and logs out with it', async () => {
    const carol = await pageLogin(gallery, 'carol');
    const refused = await postForm(gallery.app, '/logout', carol, {});
    expect(refused.statusCode).toBe(403);
    expect((await getPage(gallery.app, `/n/${nb.id}`, carol)).body).toContain('Logged in as <strong>carol</strong>');
    const response = await postForm(gallery.app, '/logout', carol, { _xsrf: carol.xsrf });
    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toBe('/');
    const cleared = cookiesOf(response).get('gallery_session');
    expect(cleared?.value).toBe('');
  });
});

describe('/n/:id/open', () => {
  it('explains the sidebar, naming the notebook, when the gallery knows no JupyterLab', async () => {
    const response = await getPage(gallery.app, `/n/${nb.id}/open?revision=${nb.revision}`, bob);
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-security-policy']).toBe(PAGE_CONTENT_SECURITY_POLICY);
    expect(response.body).toContain('<h1>Open in JupyterLab</h1>');
    expect(response.body).toContain('Search for <strong>Sales report</strong>');
    expect(response.body).toContain('--lab-url');
  });

  it.each([
    ['http://127.0.0.1:8888/lab', 'http://127.0.0.1:8888/lab?gallery=ID&revision=REV'],
    ['https://lab.example/user/x/lab?token=abc', 'https://lab.example/user/x/lab?token=abc&gallery=ID&revision=REV']
  ])(
    'goes to --lab-url %s with the gallery query',
    async (labUrl, expected) => {
      const other = await startTestGallery({ 'lab-url': labUrl });
      try {
        const token = await other.login('olga');
        const saved = await saveNotebook(other, token, { notebook: sampleNotebook('x'), title: 'T' });
        const response = await other.request(token, {
          method: 'GET',
          url: `/n/${saved.id}/open`,
          headers: { accept: HTML_ACCEPT }
        });
        expect(response.statusCode).toBe(302);
        expect(response.headers.location).toBe(expected.replace('ID', saved.id).replace('REV', saved.revision));
      } finally {
        await other.close();
      }
    },
    SETUP_TIMEOUT_MS
  );
});

describe('the API beside the pages', () => {
  it('answers a JSON client as before', async () => {
    const response = await gallery.request(olgaToken, { method: 'GET', url: `/api/notebooks/${nb.id}` });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ id: nb.id, title: 'Sales report' });
    const missing = await gallery.request(olgaToken, { method: 'GET', url: '/api/notebooks/missing' });
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toMatchObject({ error: 'NOTEBOOK_NOT_FOUND' });
  });

  it('lets a page script read the API with the session cookie, and needs the XSRF header to change things', async () => {
    const read = await gallery.app.inject({
      method: 'GET',
      url: `/api/notebooks/${nb.id}`,
      headers: { cookie: bob.cookie }
    });
    expect(read.statusCode).toBe(200);
    const url = `/api/notebooks/${nb.id}/star`;
    const refused = await gallery.app.inject({ method: 'PUT', url, headers: { cookie: bob.cookie } });
    expect(refused.statusCode).toBe(403);
    expect(refused.json()).toMatchObject({ error: 'FORBIDDEN' });
    const starred = await gallery.app.inject({
      method: 'PUT',
      url,
      headers: { cookie: bob.cookie, 'x-xsrf-token': bob.xsrf }
    });
    expect(starred.statusCode).toBe(200);
    await gallery.app.inject({ method: 'DELETE', url, headers: { cookie: bob.cookie, 'x-xsrf-token': bob.xsrf } });
  });
});

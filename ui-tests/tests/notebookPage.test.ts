/**
 * Browser test of a notebook's web page (issue 14): a real gallery server and Debian's Chromium, no JupyterLab. A
 * notebook with markdown, a table, inline and display math, Python code and an attachment image renders; the page's
 * Content-Security-Policy holds (no console error, no page error, no dialog); dark colours and a phone's width work;
 * axe-core finds no WCAG 2.1 A/AA violation; stored XSS payloads in every field run nothing. The screenshots (light
 * and dark) are the ones docs/web-pages.md shows.
 */
import axe from 'axe-core';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { MARKDOWN_PAYLOADS, TEXT_PAYLOADS, xssNotebook } from '../../packages/server/test/fixtures/xssPayloads';
import { docScreenshot, launchBrowser, screenshot } from '../support/browser';
import { GalleryApi } from '../support/galleryApi';
import { addUser, IRunning, startGallery, tempDir } from '../support/processes';

const PASSWORD = 'a long enough passphrase';
/** What every page must send (plugins/pagesPlugin.ts). */
const PAGE_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; " +
  "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";
/** A 2×2 PNG: an attachment the browser must decode. */
const PNG =
  'iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAFklEQVR4nGP4z8DAwMDAxMDAwMDAAAANHQEDasKb6QAAAABJRU5ErkJggg==';

/** Payloads that would run script if any field reached the page unescaped or unsanitized. */
const XSS = {
  title: `<script>alert('title')</script><img src=x onerror="alert('title img')">`,
  description: `<img src=x onerror="alert('description')"> [click](javascript:alert('link')) <svg onload="alert('svg')"></svg>`,
  tags: [`<svg onload=alert('tag')>`, `"><script>alert('tag2')</script>`],
  markdown: [
    `<script>alert('md script')</script>`,
    `<img src=x onerror="alert('md img')">`,
    `<a href="javascript:alert('md href')">click</a>`,
    `<iframe src="javascript:alert('iframe')"></iframe>`,
    `<style>body{display:none}</style><div style="background:url(javascript:alert('style'))">styled</div>`,
    `<math><mtext><table><mglyph><style><img src=x onerror="alert('mxss')">`,
    `$\\href{javascript:alert('katex')}{x}$ and $$\\htmlId{x}{y}$$`,
    `![x](attachment:"><img src=x onerror=alert('att')>.png)`
  ].join('\n\n'),
  code: `</code></pre><script>alert('code')</script>`
};

interface IWatched {
  problems: string[];
  pages: number;
}

/** Records every console error, page error and dialog, and checks the CSP header of every page the browser loads. */
function watch(page: Page): IWatched {
  const watched: IWatched = { problems: [], pages: 0 };
  // Chrome logs a page or an image answered with an error status as a resource that failed to load: the tests' 404
  // pages, and the XSS payloads' `<img src=x>`, which the sanitizer keeps without its handlers (harmless, and no script).
  const failedLoads = new Set<string>();
  page.on('console', message => {
    const errorPage = failedLoads.has(message.location().url) && message.text().startsWith('Failed to load resource');
    if (message.type() === 'error' && !errorPage) {
      watched.problems.push(`console error: ${message.text()} (${message.location().url})`);
    }
  });
  page.on('pageerror', error => watched.problems.push(`page error: ${error.message}`));
  page.on('dialog', dialog => {
    watched.problems.push(`dialog: ${dialog.message()}`);
    void dialog.dismiss();
  });
  page.on('response', response => {
    const type = response.request().resourceType();
    if ((type === 'document' || type === 'image') && response.status() >= 400) {
      failedLoads.add(response.url());
    }
    if (type === 'document') {
      watched.pages++;
      const csp = response.headers()['content-security-policy'];
      if (csp !== PAGE_CSP) {
        watched.problems.push(`${response.url()}: CSP ${csp}`);
      }
    }
  });
  return watched;
}

/** axe-core's WCAG 2.1 A and AA violations on the page, as "rule: target" lines. */
async function accessibilityViolations(page: Page): Promise<string[]> {
  // Evaluated through the DevTools protocol, which the page's CSP does not govern.
  await page.evaluate(axe.source);
  const violations = await page.evaluate(async () => {
    const result = await (window as unknown as { axe: typeof axe }).axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] }
    });
    return result.violations.map(v => `${v.id}: ${v.nodes.map(n => n.target.join(' ')).join(', ')}`);
  });
  return violations;
}

/** Whether the page is wider than the window (a horizontal scroll bar on the body). */
function scrollsSideways(page: Page): Promise<boolean> {
  return page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);
}

/**
 * Saves the notebook of `request`, leaving out each cell the server refuses as invalid nbformat and renaming each
 * id it refuses (a payload that never gets stored cannot reach a page); returns its id.
 */
async function saveAcceptedCells(
  url: string,
  request: Record<string, unknown> & { notebook: { cells: unknown[] } }
): Promise<string> {
  const login = await fetch(`${url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'olga', password: PASSWORD })
  });
  const { token } = (await login.json()) as { token: string };
  const cells = [...request.notebook.cells];
  for (;;) {
    const reply = await fetch(`${url}/api/notebooks`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ ...request, notebook: { ...request.notebook, cells } })
    });
    const body = (await reply.json()) as { id?: string; error?: string; path?: string };
    const refused = /^cells\[(\d+)\]/.exec(body.path ?? '');
    if (reply.ok && body.id) {
      return body.id;
    }
    if (!refused || (body.error !== 'INVALID_NOTEBOOK' && body.error !== 'INVALID_CELL_ID')) {
      throw new Error(`saving the XSS corpus failed: ${reply.status} ${JSON.stringify(body)}`);
    }
    const index = Number(refused[1]);
    if (body.error === 'INVALID_CELL_ID') {
      // Keep the cell's other payloads (source, metadata) under an id the server accepts.
      cells[index] = { ...(cells[index] as object), id: `refused-id-${index}` };
    } else {
      cells.splice(index, 1);
    }
  }
}

describe('a notebook page in the browser', () => {
  let gallery: IRunning;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let watched: IWatched;
  let richId: string;
  let xssId: string;
  let corpusId: string;

  beforeAll(async () => {
    const dataDir = tempDir('data');
    addUser(dataDir, 'olga', PASSWORD);
    gallery = await startGallery(dataDir, ['http://127.0.0.1:8888']);
    const api = await GalleryApi.login(gallery.url, 'olga', PASSWORD);
    const rich = await api.call('POST', '/api/notebooks', {
      title: 'Quadratic growth',
      description: 'How **fast** does $x^2$ grow? A table, some maths and a chart.',
      tags: ['maths', 'teaching'],
      visibility: 'public',
      notebook: {
        nbformat: 4,
        nbformat_minor: 5,
        metadata: {
          kernelspec: { name: 'python3', display_name: 'Python 3 (ipykernel)', language: 'python' },
          language_info: { name: 'python', version: '3.12.1' }
        },
        cells: [
          {
            id: 'intro',
            cell_type: 'markdown',
            metadata: {},
            source:
              '# Quadratic growth\n\nThe square $x^2$ grows faster than $2x$:\n\n' +
              '| x | 2x | x² |\n|---|----|----|\n| 1 | 2 | 1 |\n| 3 | 6 | 9 |\n\n' +
              '$$\\int_0^1 x^2\\,dx = \\frac{1}{3}$$\n\n![chart](attachment:chart.png)',
            attachments: { 'chart.png': { 'image/png': PNG } }
          },
          {
            id: 'code',
            cell_type: 'code',
            metadata: {},
            execution_count: null,
            outputs: [],
            source: 'import numpy as np\n\ndef square(x):\n    return x ** 2\n\nprint(square(np.arange(4)))'
          }
        ]
      }
    });
    richId = rich.id;
    const xss = await api.call('POST', '/api/notebooks', {
      title: XSS.title,
      description: XSS.description,
      tags: XSS.tags,
      visibility: 'public',
      notebook: {
        nbformat: 4,
        nbformat_minor: 5,
        metadata: {
          kernelspec: {
            name: `<script>alert('kernel')</script>`,
            display_name: 'x',
            language: `"><img src=x onerror=alert('lang')>`
          }
        },
        cells: [
          {
            id: 'xss-md',
            cell_type: 'markdown',
            metadata: { tags: [`<script>alert('meta')</script>`] },
            source: XSS.markdown,
            attachments: {
              [`"><img src=x onerror=alert('name')>.png`]: { 'text/html': PNG },
              'ok.png': { [`image/png"><script>alert('type')</script>`]: PNG }
            }
          },
          { id: 'xss-code', cell_type: 'code', metadata: {}, execution_count: null, outputs: [], source: XSS.code },
          { id: 'xss-raw', cell_type: 'raw', metadata: {}, source: `<script>alert('raw')</script>` }
        ]
      }
    });
    xssId = xss.id;
    // The renderer's corpus (packages/server/test/fixtures/xssPayloads.ts), with payloads in every listing field too.
    corpusId = await saveAcceptedCells(gallery.url, {
      title: TEXT_PAYLOADS.join(' '),
      description: MARKDOWN_PAYLOADS.map(payload => payload.text).join('\n\n'),
      tags: [...TEXT_PAYLOADS],
      visibility: 'public',
      notebook: xssNotebook()
    });
    browser = await launchBrowser();
    context = await browser.newContext({ viewport: { width: 1200, height: 900 } });
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: gallery.url });
    page = await context.newPage();
    watched = watch(page);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await gallery?.stop();
  });

  it('asks for a login, then comes back to the notebook', async () => {
    await page.goto(`${gallery.url}/n/${richId}`);
    await page.getByRole('heading', { name: 'Log in' }).waitFor();
    expect(await accessibilityViolations(page)).toEqual([]);
    await docScreenshot(page, 'web-login');
    await page.getByLabel('Username').fill('olga');
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.locator('.nb-header h1', { hasText: 'Quadratic growth' }).waitFor();
    expect(new URL(page.url()).pathname).toBe(`/n/${richId}`);
  });

  it('renders markdown, a table, maths, highlighted code and the attachment image', async () => {
    const cells = page.locator('ol.nb-cells');
    await cells.locator('table').waitFor();
    expect(await cells.locator('table td').allInnerTexts()).toEqual(['1', '2', '1', '3', '6', '9']);
    expect(await cells.locator('math').count()).toBeGreaterThanOrEqual(3);
    expect(await cells.locator('math[display="block"]').count()).toBe(1);
    await cells.locator('math').first().waitFor({ state: 'visible' });
    const keyword = cells.locator('.hljs-keyword', { hasText: 'def' });
    await keyword.waitFor();
    expect(await keyword.evaluate(el => getComputedStyle(el).color)).not.toBe(
      await cells
        .locator('code')
        .last()
        .evaluate(el => getComputedStyle(el).color)
    );
    const image = cells.locator('img[alt="chart"]');
    await image.waitFor();
    await page.waitForFunction(img => img && (img as HTMLImageElement).complete, await image.elementHandle());
    expect(await image.evaluate(img => (img as HTMLImageElement).naturalWidth)).toBeGreaterThan(0);
    expect(await page.locator('.nb-description strong').innerText()).toBe('fast');
    expect(watched.problems).toEqual([]);
  });

  it('copies the link with the Copy link button', async () => {
    await page.getByRole('button', { name: 'Copy link' }).click();
    await page.getByRole('status').filter({ hasText: 'Link copied' }).waitFor();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(`${gallery.url}/n/${richId}`);
  });

  it('stars with the form, without any script', async () => {
    await page.getByRole('button', { name: '☆ Star' }).click();
    await page.getByRole('button', { name: '★ Starred' }).waitFor();
    expect(await page.locator('.star-count').innerText()).toBe('1 star');
    expect(new URL(page.url()).pathname).toBe(`/n/${richId}`);
  });

  it('passes axe-core in light and dark, and keeps its colours dark in the dark scheme', async () => {
    await page.emulateMedia({ colorScheme: 'light' });
    expect(await accessibilityViolations(page)).toEqual([]);
    await docScreenshot(page, 'web-notebook-light');
    await page.emulateMedia({ colorScheme: 'dark' });
    const background = await page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor);
    expect(background).toBe('rgb(13, 17, 23)');
    expect(await accessibilityViolations(page)).toEqual([]);
    await docScreenshot(page, 'web-notebook-dark');
    await page.emulateMedia({ colorScheme: 'light' });
    expect(watched.problems).toEqual([]);
  });

  it('fits a phone: no sideways scrolling, in light and dark', async () => {
    const phone = await browser.newContext({ viewport: { width: 360, height: 740 }, isMobile: true });
    try {
      await phone.addCookies(await context.cookies());
      const small = await phone.newPage();
      const phoneWatched = watch(small);
      await small.goto(`${gallery.url}/n/${richId}`);
      await small.locator('.nb-header h1', { hasText: 'Quadratic growth' }).waitFor();
      expect(await scrollsSideways(small)).toBe(false);
      await small.emulateMedia({ colorScheme: 'dark' });
      expect(await scrollsSideways(small)).toBe(false);
      await screenshot(small, 'web-notebook-phone-dark');
      expect(phoneWatched.problems).toEqual([]);
    } finally {
      await phone.close();
    }
  });

  it('runs no script from the stored XSS payloads, on any page', async () => {
    await page.goto(`${gallery.url}/n/${xssId}`);
    await page.locator('ol.nb-cells').waitFor();
    expect(await page.locator('.nb-header h1').innerText()).toBe(XSS.title);
    await page.goto(`${gallery.url}/n/${corpusId}`);
    await page.locator('ol.nb-cells').waitFor();
    expect(await page.locator('.nb-header h1').innerText()).toBe(TEXT_PAYLOADS.join(' '));
    const urls = [
      `/n/${xssId}/open`,
      `/n/${corpusId}/open`,
      `/n/${encodeURIComponent("<script>alert('id')</script>")}`,
      `/login?next=${encodeURIComponent("javascript:alert('next')")}`,
      `/?q=${encodeURIComponent("<script>alert('q')</script>")}`
    ];
    for (const url of urls) {
      await page.goto(`${gallery.url}${url}`);
      await page.locator('main').waitFor();
    }
    // Anything that ran would have opened a dialog or broken the CSP (both recorded) by now: the pages are loaded.
    expect(watched.problems).toEqual([]);
    expect(watched.pages).toBeGreaterThanOrEqual(urls.length + 2);
  });
});

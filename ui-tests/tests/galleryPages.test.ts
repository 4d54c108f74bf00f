/**
 * Browser test of the gallery's own pages (issue 14): the gallery page at `/` narrows its results as the reader types,
 * the history page shows a cell-aware diff between two chosen versions, both work on a 360 px phone and in the dark
 * colour scheme, axe-core finds no WCAG 2.1 AA violation on either, and nothing is logged to the console (a blocked
 * script or style would be). A real gallery server and Chromium; no JupyterLab. The screenshots are those of
 * docs/web-pages.md.
 */
import * as axe from 'axe-core';
import type { Browser, BrowserContext, ConsoleMessage, Page } from 'playwright-core';
import { docScreenshot, launchBrowser, screenshot } from '../support/browser';
import { codeNotebook, GalleryApi } from '../support/galleryApi';
import { addUser, IRunning, startGallery, tempDir } from '../support/processes';

const PASSWORD = 'a long enough passphrase';
const WCAG = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

const SEEDS: Array<{ title: string; description: string; tags: string[]; code: string }> = [
  {
    title: 'Sales by region on a map',
    description: 'Regional sales drawn on a map.',
    tags: ['maps', 'sales'],
    code: 'import folium'
  },
  {
    title: 'Histogram of customer ages',
    description: 'Ages with matplotlib.',
    tags: ['plotting'],
    code: 'plt.hist(ages)'
  },
  {
    title: 'Merge two dataframes',
    description: 'Join orders and customers.',
    tags: ['pandas', 'sales'],
    code: 'orders.merge(c)'
  },
  { title: 'Store map of Bavaria', description: 'Where the stores are.', tags: ['maps'], code: 'folium.Map()' },
  { title: 'Rainfall statistics', description: 'Monthly rainfall, averaged.', tags: ['weather'], code: 'rain.mean()' }
];

let gallery: IRunning;
let browser: Browser;
let context: BrowserContext;
let historyId: string;

beforeAll(async () => {
  const dataDir = tempDir('data');
  addUser(dataDir, 'ann', PASSWORD);
  gallery = await startGallery(dataDir, []);
  const api = await GalleryApi.login(gallery.url, 'ann', PASSWORD);
  for (const seed of SEEDS) {
    const saved = await api.call('POST', '/api/notebooks', {
      notebook: codeNotebook([seed.code]),
      title: seed.title,
      description: seed.description,
      tags: seed.tags,
      visibility: 'public',
      message: 'First version'
    });
    if (seed.title.startsWith('Rainfall')) {
      historyId = saved.id;
    }
  }
  await api.saveSources(historyId, ['rain.mean()', 'rain.plot()'], 'Plot the rainfall');
  await api.saveSources(historyId, ['rain.median()', 'rain.plot()', 'rain.to_csv("out.csv")'], 'Median, and save it');
  browser = await launchBrowser();
  // One browser session, logged in through the pages' own login form, as a reader would.
  context = await browser.newContext({ viewport: { width: 1100, height: 900 } });
  const page = await context.newPage();
  await page.goto(`${gallery.url}/`);
  await page.waitForURL(/\/login\?next=/);
  await page.getByLabel('Username').fill('ann');
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Log in', exact: true }).click();
  await page.waitForURL(`${gallery.url}/`);
  await page.close();
}, 120_000);

afterAll(async () => {
  await context?.close();
  await browser?.close();
  await gallery?.stop();
});

/** A page whose console errors (CSP violations among them) and uncaught exceptions are collected. */
async function newPage(colorScheme: 'light' | 'dark' = 'light'): Promise<{ page: Page; errors: string[] }> {
  const page = await context.newPage();
  await page.emulateMedia({ colorScheme });
  const errors: string[] = [];
  page.on('console', (message: ConsoleMessage) => {
    if (message.type() === 'error') {
      errors.push(message.text());
    }
  });
  page.on('pageerror', error => errors.push(error.message));
  return { page, errors };
}

/** axe-core's WCAG 2.1 A and AA violations on the page, as "rule: target" lines (empty when there are none). */
async function accessibilityViolations(page: Page): Promise<string[]> {
  // Evaluated as a script by the test, which the page's Content-Security-Policy does not govern.
  await page.evaluate(axe.source);
  const violations = await page.evaluate(async (tags: string[]) => {
    const injected = (window as unknown as { axe: typeof axe }).axe;
    const result = await injected.run(document, { runOnly: { type: 'tag', values: tags } });
    return result.violations.map(
      violation => `${violation.id}: ${violation.nodes.map(node => node.target.join(' ')).join(', ')}`
    );
  }, WCAG);
  return violations as string[];
}

/** Whether the page scrolls sideways (it must not, on a phone). */
function scrollsSideways(page: Page): Promise<boolean> {
  return page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);
}

function resultTitles(page: Page): Promise<string[]> {
  return page.locator('.gallery-list .gallery-item h3').allInnerTexts();
}

describe('the gallery page', () => {
  it('narrows the results as the reader types, without reloading, and keeps the address in step', async () => {
    const { page, errors } = await newPage();
    try {
      await page.goto(`${gallery.url}/`);
      await page
        .locator('.gallery-list .gallery-item')
        .nth(SEEDS.length - 1)
        .waitFor();
      expect(await page.locator('.gallery-list .gallery-item').count()).toBe(SEEDS.length);
      // A reload would lose this mark: the narrowing must come from the script, not from sending the form.
      await page.evaluate(() => ((window as unknown as { stillHere: boolean }).stillHere = true));
      await page.getByLabel('Search the gallery').pressSequentially('map', { delay: 40 });
      await page.waitForFunction(() => document.querySelectorAll('.gallery-list .gallery-item').length === 2);
      expect((await resultTitles(page)).sort()).toEqual(['Sales by region on a map', 'Store map of Bavaria']);
      expect(await page.evaluate(() => (window as unknown as { stillHere?: boolean }).stillHere)).toBe(true);
      expect(new URL(page.url()).searchParams.get('q')).toBe('map');
      await expect(page.locator('[data-gallery="status"]').innerText()).resolves.toBe('2 notebooks');
      // The matched word is marked in the snippet, built as text by the script.
      expect(await page.locator('.gallery-list mark').first().innerText()).toMatch(/map/i);

      await page.getByLabel('Search the gallery').fill('nothing-matches-this');
      await page.waitForFunction(() => document.querySelectorAll('.gallery-list .gallery-item').length === 0);
      await expect(page.locator('[data-gallery="empty"]').innerText()).resolves.toContain(
        'No notebooks match “nothing-matches-this”.'
      );
      expect(errors).toEqual([]);
    } catch (error) {
      await screenshot(page, 'gallery-page-typing');
      throw error;
    } finally {
      await page.close();
    }
  });

  it('appends the next page with Load more, in place, and moves the keyboard to the first new result', async () => {
    const { page, errors } = await newPage();
    try {
      await page.goto(`${gallery.url}/?sort=title&limit=2`);
      await page.locator('.gallery-list .gallery-item').nth(1).waitFor();
      await page.evaluate(() => ((window as unknown as { stillHere: boolean }).stillHere = true));
      await page.getByRole('link', { name: 'Load more' }).click();
      await page.waitForFunction(() => document.querySelectorAll('.gallery-list .gallery-item').length === 4);
      expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Rainfall statistics');
      await page.getByRole('link', { name: 'Load more' }).click();
      await page.waitForFunction(() => document.querySelectorAll('.gallery-list .gallery-item').length === 5);
      expect(await resultTitles(page)).toEqual([...SEEDS.map(seed => seed.title)].sort());
      expect(await page.getByRole('link', { name: 'Load more' }).count()).toBe(0);
      expect(await page.evaluate(() => (window as unknown as { stillHere?: boolean }).stillHere)).toBe(true);
      expect(errors).toEqual([]);
    } catch (error) {
      await screenshot(page, 'gallery-page-load-more');
      throw error;
    } finally {
      await page.close();
    }
  });

  it('narrows by a facet link and works without JavaScript on a reload of that address', async () => {
    const { page, errors } = await newPage();
    try {
      await page.goto(`${gallery.url}/`);
      await page
        .locator('.gallery-facets')
        .getByRole('link', { name: /^sales/ })
        .click();
      await page.waitForURL(/q=tag%3Asales/);
      expect((await resultTitles(page)).sort()).toEqual(['Merge two dataframes', 'Sales by region on a map']);
      expect(errors).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it.each(['light', 'dark'] as const)(
    'has no WCAG 2.1 AA violation in the %s colour scheme, and fits a 360 px phone',
    async scheme => {
      const { page, errors } = await newPage(scheme);
      try {
        await page.goto(`${gallery.url}/?q=sales`);
        await page.locator('.gallery-list .gallery-item').first().waitFor();
        expect(await accessibilityViolations(page)).toEqual([]);
        await docScreenshot(page, `web-gallery-${scheme}`);
        await page.setViewportSize({ width: 360, height: 740 });
        expect(await scrollsSideways(page)).toBe(false);
        expect(await accessibilityViolations(page)).toEqual([]);
        expect(errors).toEqual([]);
      } catch (error) {
        await screenshot(page, `gallery-page-${scheme}`);
        throw error;
      } finally {
        await page.close();
      }
    }
  );
});

describe('the history page', () => {
  it('shows the latest change, then the diff between two versions chosen in its form', async () => {
    const { page, errors } = await newPage();
    try {
      await page.goto(`${gallery.url}/n/${historyId}/history`);
      await expect(
        page.getByRole('heading', { level: 2, name: 'Changes from version 2 to version 3' }).count()
      ).resolves.toBe(1);
      const rows = page.locator('.history-table tbody tr');
      expect(await rows.count()).toBe(3);
      expect(await rows.first().innerText()).toContain('Median, and save it');

      await page.getByLabel('Older version').selectOption({ label: 'Version 1: First version' });
      await page.getByRole('button', { name: 'Compare' }).click();
      await page.getByRole('heading', { level: 2, name: 'Changes from version 1 to version 3' }).waitFor();
      const changed = page.locator('.diff-cell', { hasText: 'Cell 1 changed' });
      expect(await changed.locator('.diff-line.is-removed').innerText()).toContain('rain.mean()');
      expect(await changed.locator('.diff-line.is-added').innerText()).toContain('rain.median()');
      expect(await page.locator('.diff-cell', { hasText: 'New cell' }).count()).toBe(2);
      expect(errors).toEqual([]);
    } catch (error) {
      await screenshot(page, 'history-page-compare');
      throw error;
    } finally {
      await page.close();
    }
  });

  it.each(['light', 'dark'] as const)(
    'has no WCAG 2.1 AA violation in the %s colour scheme, and fits a 360 px phone',
    async scheme => {
      const { page, errors } = await newPage(scheme);
      try {
        await page.goto(`${gallery.url}/n/${historyId}/history`);
        await page.locator('.diff-cell').first().waitFor();
        expect(await accessibilityViolations(page)).toEqual([]);
        await docScreenshot(page, `web-history-${scheme}`);
        await page.setViewportSize({ width: 360, height: 740 });
        expect(await scrollsSideways(page)).toBe(false);
        expect(await accessibilityViolations(page)).toEqual([]);
        expect(errors).toEqual([]);
      } catch (error) {
        await screenshot(page, `history-page-${scheme}`);
        throw error;
      } finally {
        await page.close();
      }
    }
  );
});

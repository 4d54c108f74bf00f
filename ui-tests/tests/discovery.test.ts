/**
 * Browser test of issue 9's sidebar: type a query and see results with the matched words marked, narrow it with a
 * chip and a tag suggestion, star a notebook and find it under Show → Starred, and preview a notebook with its
 * markdown rendered before opening it. The screenshots (light and dark) are the ones docs/user-guide.md shows.
 */
import type { Locator, Page } from 'playwright-core';
import { docScreenshot, openLab, screenshot } from '../support/browser';
import { chooseOption } from '../support/dialogs';
import { GalleryApi } from '../support/galleryApi';
import { useTheme } from '../support/notebookPage';
import { eventually } from '../support/processes';
import { IStack, logInFromSidebar, startStack } from '../support/stack';

const PASSWORD = 'a long enough passphrase';

/** A notebook with one markdown cell and one code cell, as people publish them. */
function notebook(markdown: string, code: string): Record<string, unknown> {
  return {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: {
      kernelspec: { name: 'python3', display_name: 'Python 3 (ipykernel)', language: 'python' },
      language_info: { name: 'python', version: '3.12.1' }
    },
    cells: [
      { id: 'intro', cell_type: 'markdown', metadata: {}, source: markdown },
      { id: 'code', cell_type: 'code', metadata: {}, execution_count: null, outputs: [], source: code }
    ]
  };
}

const SEEDS = [
  {
    title: 'Sales by region on a map',
    description: 'Regional sales figures drawn on an interactive map.',
    tags: ['maps', 'sales'],
    notebook: notebook(
      '# Sales by region\n\nPlot the **quarterly sales** of each region on a map with *folium*.\n\n- one marker per store\n- colour by revenue',
      'import pandas as pd\nimport folium\nsales = pd.read_csv("sales.csv")\nm = folium.Map(location=[48.1, 11.6])'
    )
  },
  {
    title: 'Histogram of customer ages',
    description: 'Distribution of ages with matplotlib.',
    tags: ['plotting', 'statistics'],
    notebook: notebook(
      '# Ages\n\nA histogram of customer ages.',
      'import matplotlib.pyplot as plt\nplt.hist(ages, bins=20)'
    )
  },
  {
    title: 'Merge two dataframes',
    description: 'Join orders and customers with pandas.',
    tags: ['pandas', 'sales'],
    notebook: notebook(
      '# Merging\n\nJoin two tables on a key.',
      'import pandas as pd\norders.merge(customers, on="id")'
    )
  },
  {
    title: 'Store map of Bavaria',
    description: 'Where the stores are.',
    tags: ['maps'],
    notebook: notebook('# Stores\n\nEvery store on a map.', 'import folium\nfolium.Map(location=[48.1, 11.6])')
  }
];

/** The sidebar's list items, as their open buttons. */
function items(sidebar: Locator): Locator {
  return sidebar.locator('.jp-NotebookGallery-list .jp-NotebookGallery-item');
}

/** Widen the left area so the sidebar and its preview have room, as a reader would by dragging its edge. */
async function widenSidebar(page: Page, width: number): Promise<void> {
  const handle = page.locator('#jp-main-split-panel > .lm-SplitPanel-handle').first();
  const box = await handle.boundingBox();
  if (!box) {
    throw new Error('the handle between the left area and the main area is not visible');
  }
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.down();
  await page.mouse.move(width, box.y + box.height / 2, { steps: 5 });
  await page.mouse.up();
}

describe('finding notebooks in the sidebar', () => {
  let stack: IStack;
  let page: Page;
  let api: GalleryApi;
  const ids = new Map<string, string>();

  beforeAll(async () => {
    stack = await startStack({ alice: PASSWORD, bob: PASSWORD });
    // Bob publishes; alice finds.
    api = await GalleryApi.login(stack.gallery.url, 'bob', PASSWORD);
    for (const seed of SEEDS) {
      const saved = await api.call('POST', '/api/notebooks', { ...seed, visibility: 'public' });
      ids.set(seed.title, saved.id);
    }
    page = await stack.browser.newPage({ viewport: { width: 1440, height: 900 } });
  });

  afterAll(async () => {
    await stack?.stop();
  });

  afterEach(async () => {
    // Where the test ended, for whoever reads a failure in the CI log.
    await screenshot(page, 'discovery-last-step');
  });

  it('searches as you type, marks the matched words, and narrows with chips and tag suggestions', async () => {
    await openLab(page, stack.lab.url);
    const sidebar = await logInFromSidebar(page, 'alice', PASSWORD);
    await widenSidebar(page, 460);
    await items(sidebar)
      .nth(SEEDS.length - 1)
      .waitFor();

    const search = sidebar.getByLabel('Search the gallery');
    await search.pressSequentially('quarterly sales', { delay: 30 });
    // What the gallery answers that search, to compare the list with once the typing pause has passed.
    const answer = await api.call('GET', `/api/notebooks?q=${encodeURIComponent('quarterly sales')}`);
    const titles: string[] = answer.items.map((item: { title: string }) => item.title);
    expect(titles[0]).toBe('Sales by region on a map');
    const best = answer.items[0] as { snippet: string; snippetHighlights: Array<[number, number]> };
    const matched = best.snippetHighlights.map(([start, end]) => best.snippet.slice(start, end));
    expect(matched.map(word => word.toLowerCase())).toContain('quarterly');
    // The snippet under the best match marks exactly the words the gallery matched.
    await eventually('the list to show the search results with the matched words marked', async () => {
      const shown = await items(sidebar).locator('.jp-NotebookGallery-itemTitle').allTextContents();
      const marks = await items(sidebar).first().locator('mark').allTextContents();
      return JSON.stringify([shown, marks]) === JSON.stringify([titles, matched]);
    });

    await docScreenshot(page, 'discovery-search-light');
    await useTheme(page, 'dark');
    await docScreenshot(page, 'discovery-search-dark');
    await useTheme(page, 'light');

    // Chips for the tags of what the search found; one narrows it, pressed again it widens it again.
    await search.fill('');
    await search.press('Enter');
    await eventually('every notebook to be listed', async () => (await items(sidebar).count()) === SEEDS.length);
    const maps = sidebar.getByRole('button', { name: 'maps, 2 notebooks' });
    await maps.click();
    await eventually('the maps chip to narrow the list', async () => (await items(sidebar).count()) === 2);
    expect(await search.inputValue()).toBe('tag:maps');
    expect(await sidebar.getByRole('button', { name: 'maps, 2 notebooks' }).getAttribute('aria-pressed')).toBe('true');
    await sidebar.getByRole('button', { name: 'maps, 2 notebooks' }).click();
    await eventually('the list to widen again', async () => (await items(sidebar).count()) === SEEDS.length);

    // Typing after tag: suggests tags; the keyboard picks one.
    await search.fill('');
    await search.pressSequentially('tag:pl', { delay: 30 });
    const suggestion = sidebar.getByRole('option', { name: /^plotting/ });
    await suggestion.waitFor();
    await search.press('ArrowDown');
    expect(await search.getAttribute('aria-activedescendant')).toBe(await suggestion.getAttribute('id'));
    await search.press('Enter');
    expect(await search.inputValue()).toBe('tag:plotting ');
    await eventually('the suggestion to search', async () => (await items(sidebar).count()) === 1);
    await items(sidebar).first().getByText('Histogram of customer ages').waitFor();
  });

  it('stars a notebook and lists it under Show → Starred', async () => {
    const sidebar = page.locator('#notebook-gallery-sidebar');
    const search = sidebar.getByLabel('Search the gallery');
    await search.fill('');
    await search.press('Enter');
    await eventually('every notebook to be listed', async () => (await items(sidebar).count()) === SEEDS.length);

    const star = sidebar.getByRole('button', { name: 'Star Merge two dataframes' });
    expect(await star.getAttribute('aria-pressed')).toBe('false');
    await star.click();
    await eventually('the star to be confirmed', async () => (await star.getAttribute('aria-pressed')) === 'true');
    expect(await star.textContent()).toBe('★1');

    await chooseOption(sidebar.getByLabel('Show'), /^Starred$/);
    await eventually('only the starred notebook to be listed', async () => (await items(sidebar).count()) === 1);
    await items(sidebar).first().getByText('Merge two dataframes').waitFor();
    // The gallery agrees: bob's notebook has alice's star.
    const merged = await api.call('GET', `/api/notebooks/${ids.get('Merge two dataframes')}`);
    expect(merged.stars).toBe(1);

    await chooseOption(sidebar.getByLabel('Show'), /^All$/);
    await eventually('every notebook to be listed', async () => (await items(sidebar).count()) === SEEDS.length);
  });

  it('previews a notebook with its markdown rendered, and Escape goes back to the item', async () => {
    const sidebar = page.locator('#notebook-gallery-sidebar');
    const previewButton = sidebar.getByRole('button', { name: 'Preview Sales by region on a map' });
    await previewButton.click();
    const preview = sidebar.locator('.jp-NotebookGallery-preview');
    await preview.getByRole('heading', { name: 'Sales by region on a map', level: 2 }).waitFor();
    const markdown = preview.locator('.jp-NotebookGallery-previewMarkdown').first();
    await markdown.locator('h1', { hasText: 'Sales by region' }).waitFor();
    expect(await markdown.locator('strong').innerText()).toBe('quarterly sales');
    expect(await markdown.locator('li').count()).toBe(2);
    expect(await preview.locator('.jp-NotebookGallery-previewCode').innerText()).toContain('import folium');
    await preview.getByText('1 view · 0 opens · 0 stars').waitFor();
    // What it needs to run, from the revision, and its health: nobody has reported a run yet.
    await preview.getByText('python 3.12.1').waitFor();
    await preview.getByText(/^(pandas, folium|folium, pandas)$/).waitFor();
    expect(await preview.locator('.jp-NotebookGallery-health').textContent()).toBe('?Health unknown');
    // Notebooks like it: the other folium map comes up, with what they share.
    const similar = preview.getByRole('region', { name: 'Similar notebooks' });
    const bavaria = similar.getByRole('button', { name: /^Preview Store map of Bavaria, by bob/ });
    await bavaria.waitFor();
    await preview.getByRole('region', { name: 'People who opened this also opened' }).waitFor();
    await docScreenshot(page, 'discovery-preview-light');
    await useTheme(page, 'dark');
    await docScreenshot(page, 'discovery-preview-dark');
    await useTheme(page, 'light');

    // The preview counted a view.
    const viewed = await api.call('GET', `/api/notebooks/${ids.get('Sales by region on a map')}`);
    expect(viewed.views).toBe(1);

    // A similar notebook previews in turn; Escape still goes back to the item the preview started from.
    await bavaria.click();
    await preview.getByRole('heading', { name: 'Store map of Bavaria', level: 2 }).waitFor();
    await page.keyboard.press('Escape');
    await preview.waitFor({ state: 'hidden' });
    expect(await previewButton.evaluate(button => button === document.activeElement)).toBe(true);

    // Opening a copy from the preview counts an open.
    await previewButton.click();
    await preview.getByRole('button', { name: 'Open a copy' }).click();
    await page.locator('.lm-TabBar-tab[title*="sales-by-region-on-a-map.ipynb"]').first().waitFor({ timeout: 30000 });
    await eventually('the open to be counted', async () => {
      const opened = await api.call('GET', `/api/notebooks/${ids.get('Sales by region on a map')}`);
      return opened.opens === 1;
    });
  });
});

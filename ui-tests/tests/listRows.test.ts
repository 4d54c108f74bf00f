/**
 * Browser test of issue 13's sidebar list: compact rows (at least ten in a 900 px window, in both themes), a header
 * and search placeholder that fit the sidebar's default width, "Private · shared with physics" for the owner, and
 * Delete from gallery… from an item's context menu, after which a reader's stale list says the notebook is gone.
 * The screenshots (light and dark) are the ones docs/user-guide.md shows.
 */
import type { Locator, Page } from 'playwright-core';
import { docScreenshot, openLab, screenshot } from '../support/browser';
import { codeNotebook, GalleryApi } from '../support/galleryApi';
import { useTheme } from '../support/notebookPage';
import { eventually } from '../support/processes';
import { IStack, logInFromSidebar, startStack } from '../support/stack';

const PASSWORD = 'a long enough passphrase';

/** Fifteen notebooks as a small team keeps them: alice's own (one shared with group physics), and bob's public ones. */
const ALICE = [
  'Optics: lenses and mirrors',
  'Quarterly sales by region',
  'Cleaning survey answers',
  'Histogram of customer ages',
  'Merge orders and customers',
  'Weather station readings',
  'Lenses'
];
const BOB = [
  'Store map of Bavaria',
  'Forecasting demand with ARIMA',
  'Parsing messy timestamps',
  'Plotting rainfall in Munich',
  'A first look at pandas',
  'Regression with scikit-learn',
  'Reading Excel files',
  'Word counts in Shakespeare'
];

/** The sidebar's list items. */
function rows(sidebar: Locator): Locator {
  return sidebar.locator('.jp-NotebookGallery-list .jp-NotebookGallery-listItem');
}

/** How many list items show whole in the window: both their first and their last pixel row are on top there. */
function visibleRows(page: Page): Promise<number> {
  return page.evaluate(
    () =>
      Array.from(document.querySelectorAll('#notebook-gallery-sidebar .jp-NotebookGallery-listItem')).filter(row => {
        const box = row.getBoundingClientRect();
        const x = box.left + 12;
        const shown = (y: number) => row.contains(document.elementFromPoint(x, y));
        return box.height > 0 && box.bottom <= window.innerHeight && shown(box.top + 1) && shown(box.bottom - 1);
      }).length
  );
}

/** Whether the signed-in line and the search box's placeholder show whole, not cut off. */
function headerFits(page: Page): Promise<{ user: boolean; placeholder: boolean }> {
  return page.evaluate(() => {
    const sidebar = document.querySelector('#notebook-gallery-sidebar')!;
    const user = sidebar.querySelector<HTMLElement>('.jp-NotebookGallery-user')!;
    const input = sidebar.querySelector<HTMLInputElement>('input[type="search"]')!;
    const style = getComputedStyle(input);
    const context = document.createElement('canvas').getContext('2d')!;
    context.font = `${style.fontStyle} ${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
    const room =
      input.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight) - /* search's clear icon */ 16;
    const whole = () => user.scrollWidth <= user.clientWidth && user.textContent!.length > 0;
    const own = whole();
    // Inside JupyterHub the line is longer ("… through JupyterHub", the hub test reads it); it must wrap, not clip.
    const text = user.textContent;
    user.textContent = `${text} through JupyterHub`;
    const hub = whole() && user.getBoundingClientRect().right <= sidebar.getBoundingClientRect().right;
    user.textContent = text;
    return { user: own && hub, placeholder: context.measureText(input.placeholder).width <= room };
  });
}

describe('the sidebar list', () => {
  let stack: IStack;
  let page: Page;
  let alice: GalleryApi;
  const ids = new Map<string, string>();

  beforeAll(async () => {
    stack = await startStack({ alice: PASSWORD, bob: PASSWORD, carol: PASSWORD });
    alice = await GalleryApi.login(stack.gallery.url, 'alice', PASSWORD);
    const bob = await GalleryApi.login(stack.gallery.url, 'bob', PASSWORD);
    const carol = await GalleryApi.login(stack.gallery.url, 'carol', PASSWORD);
    // Group physics is carol's; alice is not in it.
    await carol.call('POST', '/api/groups', { name: 'physics' });
    for (const [api, titles, visibility] of [
      [bob, BOB, 'public'],
      [alice, ALICE, 'public']
    ] as const) {
      for (const [index, title] of titles.entries()) {
        const saved = await api.call('POST', '/api/notebooks', {
          notebook: codeNotebook([`print(${index})`]),
          title,
          description: `About ${title.toLowerCase()}.`,
          tags: index % 2 ? ['plotting', 'pandas'] : ['teaching'],
          visibility
        });
        ids.set(title, saved.id);
      }
    }
    await alice.call('PUT', `/api/notebooks/${ids.get(ALICE[0])}/sharing`, {
      visibility: 'private',
      group: null,
      shares: [{ kind: 'group', name: 'physics', role: 'reader' }]
    });
    await alice.saveSources(ids.get('Lenses')!, ['print("lenses, second take")'], 'Second take');
    await bob.call('PUT', `/api/notebooks/${ids.get(BOB[1])}/star`);
    page = await stack.browser.newPage({ viewport: { width: 1440, height: 900 } });
  });

  afterAll(async () => {
    await stack?.stop();
  });

  afterEach(async () => {
    await screenshot(page, 'list-rows-last-step');
  });

  it('shows at least ten compact rows in a 900 px window, in both themes, with the header and placeholder whole', async () => {
    await openLab(page, stack.lab.url);
    const sidebar = await logInFromSidebar(page, 'alice', PASSWORD);
    const total = ALICE.length + BOB.length;
    await eventually('every notebook to be listed', async () => (await rows(sidebar).count()) === total);
    // The owner sees whom a private notebook is shared with, not just "Private".
    const optics = rows(sidebar).filter({ hasText: ALICE[0] });
    expect(await optics.locator('.jp-NotebookGallery-badge').textContent()).toBe('Private · shared with physics');

    expect(await headerFits(page)).toEqual({ user: true, placeholder: true });
    const lightRows = await visibleRows(page);
    expect(lightRows).toBeGreaterThanOrEqual(10);
    // Hovering an item shows its actions; the screenshot shows them on the first item.
    await rows(sidebar).first().hover();
    await docScreenshot(page, 'discovery-list-light');

    await useTheme(page, 'dark');
    expect(await visibleRows(page)).toBeGreaterThanOrEqual(10);
    await rows(sidebar).first().hover();
    await docScreenshot(page, 'discovery-list-dark');
    await useTheme(page, 'light');
  });

  it('opens an item’s menu from the keyboard, and its actions show on focus', async () => {
    const sidebar = page.locator('#notebook-gallery-sidebar');
    const search = sidebar.getByLabel('Search the gallery');
    await search.focus();
    await search.press('ArrowDown');
    const first = rows(sidebar).first();
    const actions = first.locator('.jp-NotebookGallery-itemActions');
    await eventually(
      'the focused item to show its actions',
      async () => (await actions.evaluate(node => getComputedStyle(node).opacity)) === '1'
    );
    await page.keyboard.press('Shift+F10');
    const menu = page.locator('.jp-NotebookGallery-itemMenu');
    await menu.waitFor();
    expect(await menu.locator('.lm-Menu-item.lm-mod-active').innerText()).toContain('Open a Copy');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    const title = await first.locator('.jp-NotebookGallery-itemTitle').innerText();
    await sidebar.locator('.jp-NotebookGallery-preview').getByRole('heading', { name: title, level: 2 }).waitFor();
    await page.keyboard.press('Escape');
    await sidebar.locator('.jp-NotebookGallery-preview').waitFor({ state: 'hidden' });
  });

  it('lets an owner delete a notebook from its context menu; a reader’s stale list then says it is gone', async () => {
    const sidebar = page.locator('#notebook-gallery-sidebar');
    // bob's list shows alice's public "Lenses" before she deletes it, and is not refreshed.
    const bobPage = await (await stack.browser.newContext({ viewport: { width: 1440, height: 900 } })).newPage();
    await openLab(bobPage, stack.lab.url);
    const bobSidebar = await logInFromSidebar(bobPage, 'bob', PASSWORD);
    const bobLenses = rows(bobSidebar).filter({ hasText: /^Lenses/ });
    await bobLenses.waitFor();

    const lenses = rows(sidebar).filter({ hasText: /^Lenses/ });
    await lenses.locator('.jp-NotebookGallery-item').click({ button: 'right' });
    const menu = page.locator('.jp-NotebookGallery-itemMenu');
    await menu.getByText('Delete from gallery…').click();
    const confirm = page.locator('.jp-Dialog');
    await confirm.getByText('Delete “Lenses” from the gallery?').waitFor();
    expect(await confirm.locator('.jp-NotebookGallery-deleteConfirm').innerText()).toContain(
      'All 2 versions of it are deleted for everyone who can see it.'
    );
    await docScreenshot(page, 'delete-confirm');
    await confirm.getByRole('button', { name: 'Delete from gallery' }).click();
    await confirm.waitFor({ state: 'detached' });
    await eventually('the deleted notebook to leave the owner’s list', async () => (await lenses.count()) === 0);
    await expect(alice.call('GET', `/api/notebooks/${ids.get('Lenses')}`)).rejects.toThrow(/404/);

    // bob opens it from his stale list: one message in words, not the id, and his list drops it.
    await bobLenses.locator('.jp-NotebookGallery-item').click();
    const gone = bobPage.locator('.jp-Dialog');
    await gone.getByText('Notebook no longer in the gallery').waitFor();
    const text = await gone.innerText();
    expect(text).toContain('This notebook is no longer in the gallery: it was deleted, or you can no longer read it.');
    expect(text).not.toContain(ids.get('Lenses')!);
    await gone.getByRole('button', { name: 'Close' }).click();
    await eventually('bob’s list to drop it', async () => (await bobLenses.count()) === 0);
  });
});

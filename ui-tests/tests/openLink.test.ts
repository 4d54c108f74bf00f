/**
 * Links into JupyterLab (issue 14): the gallery page's *Open in JupyterLab* sends the reader to
 * `<lab>/lab?gallery=<id>&revision=<rev>`. Bob, not yet logged in, logs in and gets his own copy, recorded for
 * *Update available*; the same link clicked again a week later, after alice changed one cell and bob another, opens
 * that copy with both edits and makes no second copy. A tag link copies or updates a week's notebooks with one
 * summary, and the sidebar's *Copy Link* and *Open in Browser* give the notebook's page, `<server>/n/<id>`.
 */
import { existsSync, readdirSync, readFileSync } from 'fs';
import { join } from 'path';
import type { BrowserContext, Page } from 'playwright-core';
import { docScreenshot, screenshot } from '../support/browser';
import { codeNotebook, GalleryApi } from '../support/galleryApi';
import { appendToCell, cellSources, notebookTab, useTheme, waitForKernelInfo } from '../support/notebookPage';
import { eventually } from '../support/processes';
import { IStack, startStack } from '../support/stack';

const PASSWORD = 'a long enough passphrase';

describe('links into JupyterLab', () => {
  let stack: IStack;
  let alice: GalleryApi;
  let context: BrowserContext;
  let bob: Page;

  beforeAll(async () => {
    stack = await startStack({ alice: PASSWORD, bob: PASSWORD });
    alice = await GalleryApi.login(stack.gallery.url, 'alice', PASSWORD);
    // Copy Link writes to the clipboard, which the test reads back.
    context = await stack.browser.newContext({ permissions: ['clipboard-read', 'clipboard-write'] });
    bob = await context.newPage();
  });

  afterAll(async () => {
    await stack?.stop();
  });

  afterEach(async () => {
    await screenshot(bob, expect.getState().currentTestName?.replace(/\W+/g, '-') ?? 'open-link');
  });

  /** Alice publishes a notebook everyone can read; returns its id and revision. */
  async function publish(title: string, sources: string[], tags: string[] = []) {
    const created = await alice.call('POST', '/api/notebooks', {
      notebook: codeNotebook(sources),
      title,
      tags,
      visibility: 'public'
    });
    return { id: created.id as string, revision: created.revision as string };
  }

  /** Follow a link into bob's JupyterLab, as from a chat or the gallery's page, and wait until it has started. */
  async function follow(query: string): Promise<void> {
    await bob.goto(`${stack.lab.url}/lab?${query}`);
    await bob.waitForFunction(() => Boolean((window as any).jupyterapp), null, { timeout: 60000 });
    await bob.evaluate(async () => {
      await (window as any).jupyterapp.started;
      await (window as any).jupyterapp.restored;
    });
  }

  /** The notebooks in bob's copies folder. */
  function copies(): string[] {
    const folder = join(stack.workspace, 'gallery');
    return existsSync(folder)
      ? readdirSync(folder)
          .filter(name => name.endsWith('.ipynb'))
          .sort()
      : [];
  }

  function fileSources(path: string): string[] {
    const notebook = JSON.parse(readFileSync(join(stack.workspace, path), 'utf8'));
    return notebook.cells.map((cell: { source: string | string[] }) =>
      Array.isArray(cell.source) ? cell.source.join('') : cell.source
    );
  }

  it('opens bob’s copy after he logs in, and the same link again keeps both edits in that one copy', async () => {
    const week1 = await publish('Week 1', ['data = load("week1.csv")', 'data.describe()', 'answer = None']);

    // Logged out: the sidebar's login form says why, and the copy opens once bob has logged in.
    await follow(`gallery=${week1.id}&revision=${week1.revision}`);
    const sidebar = bob.locator('#notebook-gallery-sidebar');
    await sidebar.getByText('Log in to open the notebook from your link.', { exact: false }).waitFor();
    // The link is taken out of the address at once: a reload does not take it again.
    expect(new URL(bob.url()).search).toBe('');
    await sidebar.getByLabel('Username').fill('bob');
    await sidebar.getByLabel('Password').fill(PASSWORD);
    await sidebar.getByRole('button', { name: 'Log in', exact: true }).click();
    await notebookTab(bob, 'gallery/week-1.ipynb').waitFor({ timeout: 30000 });
    await bob.getByText('Opened your new copy of “Week 1” (version 1) at gallery/week-1.ipynb.').first().waitFor();
    expect(copies()).toEqual(['week-1.ipynb']);
    const file = JSON.parse(readFileSync(join(stack.workspace, 'gallery/week-1.ipynb'), 'utf8'));
    expect(file.metadata.gallery).toEqual({ id: week1.id, revision: week1.revision, server: stack.gallery.url });
    await waitForKernelInfo(bob);

    // A week later: alice fixes the first cell, bob answers in the last one and saves.
    await alice.saveSources(week1.id, ['data = load("week1-fixed.csv")', 'data.describe()', 'answer = None'], 'fix');
    // The copy is recorded, so the sidebar offers Update available for it.
    await sidebar.getByRole('button', { name: 'Refresh the gallery' }).click();
    await sidebar.getByRole('button', { name: 'Update available: update your copy of Week 1' }).waitFor();
    await appendToCell(bob, 2, '  # bob: 42');
    const localSave = bob.waitForResponse(
      response => response.request().method() === 'PUT' && response.url().includes('/api/contents/gallery/week-1.ipynb')
    );
    await bob.keyboard.press('Control+s');
    expect((await localSave).ok()).toBe(true);

    // The instructor's link, clicked again: the same copy, both edits, no question asked.
    await follow(`gallery=${week1.id}&revision=${week1.revision}`);
    await bob
      .getByText(
        'Opened your copy of “Week 1” with version 2 merged in; your edits are kept. The link named version 1.'
      )
      .first()
      .waitFor({ timeout: 30000 });
    const merged = ['data = load("week1-fixed.csv")', 'data.describe()', 'answer = None  # bob: 42'];
    await notebookTab(bob, 'gallery/week-1.ipynb').click();
    expect(await cellSources(bob)).toEqual(merged);
    expect(fileSources('gallery/week-1.ipynb')).toEqual(merged);
    expect(copies()).toEqual(['week-1.ipynb']);
    expect(await bob.locator('.jp-Dialog').count()).toBe(0);
    expect(new URL(bob.url()).search).toBe('');
    await docScreenshot(bob, 'link-second-click');
  });

  it('copies or updates every notebook of a tag link, with one summary', async () => {
    const data = await publish('Week 3 data', ['import pandas as pd', 'df = pd.DataFrame()'], ['week-3']);
    await publish('Week 3 models', ['model = None'], ['week-3']);
    await publish('Week 4 intro', ['print("next week")'], ['week-4']);

    await follow('gallery-tag=week-3');
    const summary = bob.locator('.jp-Dialog');
    await summary.getByText('Notebooks tagged “week-3”').waitFor({ timeout: 30000 });
    expect(await summary.locator('.jp-NotebookGallery-linkSummaryCounts').innerText()).toBe('2 new copies');
    expect(copies()).toEqual(['week-1.ipynb', 'week-3-data.ipynb', 'week-3-models.ipynb']);
    await summary.getByRole('button', { name: 'Close' }).click();
    await summary.waitFor({ state: 'detached' });

    // Alice updates one; the same link brings that copy up to date and leaves the other, again with one summary.
    await alice.saveSources(data.id, ['import pandas as pd', 'df = pd.read_csv("week3.csv")'], 'real data');
    await follow('gallery-tag=week-3');
    await summary.getByText('Notebooks tagged “week-3”').waitFor({ timeout: 30000 });
    expect(await summary.locator('.jp-NotebookGallery-linkSummaryCounts').innerText()).toBe(
      '1 updated · 1 already up to date'
    );
    expect(await summary.locator('.jp-NotebookGallery-linkSummaryItem').allInnerTexts()).toEqual([
      expect.stringContaining('Your copy at gallery/week-3-data.ipynb was updated to version 2.'),
      expect.stringContaining('Your copy at gallery/week-3-models.ipynb already has the latest version (1).')
    ]);
    expect(await bob.locator('.jp-Dialog').count()).toBe(1);
    expect(copies()).toEqual(['week-1.ipynb', 'week-3-data.ipynb', 'week-3-models.ipynb']);
    expect(fileSources('gallery/week-3-data.ipynb')).toEqual(['import pandas as pd', 'df = pd.read_csv("week3.csv")']);
    await docScreenshot(bob, 'link-tag-summary-light');
    await useTheme(bob, 'dark');
    await docScreenshot(bob, 'link-tag-summary-dark');
    await useTheme(bob, 'light');

    // Open from the summary opens that copy.
    await summary.getByRole('button', { name: 'Open your copy of Week 3 data' }).click();
    await notebookTab(bob, 'gallery/week-3-data.ipynb').waitFor({ timeout: 30000 });
    await summary.waitFor({ state: 'detached' });
  });

  it('gives the notebook’s page from the sidebar: Copy Link and Open in Browser', async () => {
    const { id } = await publish('Orbit demo', ['orbit = 2 * 3.14159']);
    const link = `${stack.gallery.url}/n/${id}`;
    const sidebar = bob.locator('#notebook-gallery-sidebar');
    if (!(await sidebar.isVisible())) {
      await bob.locator('.jp-SideBar [data-id="notebook-gallery-sidebar"]').click();
    }
    await sidebar.getByRole('button', { name: 'Refresh the gallery' }).click();
    const row = sidebar.getByRole('button', { name: /^Orbit demo/ });
    await row.waitFor();

    // From the keyboard: the row's menu (Shift+F10), then the command by its name.
    await row.focus();
    await bob.keyboard.press('Shift+F10');
    const menu = bob.locator('.jp-NotebookGallery-itemMenu');
    await menu.getByText('Copy Link').waitFor();
    await docScreenshot(bob, 'link-menu-light');
    await menu.getByText('Copy Link').click();
    await bob.getByText(`Link copied: ${link}`).first().waitFor();
    expect(await bob.evaluate(() => navigator.clipboard.readText())).toBe(link);

    await row.click({ button: 'right' });
    const popup = context.waitForEvent('page');
    await menu.getByText('Open in Browser').click();
    const page = await popup;
    // The tab opens the notebook's page; bob has no page login in this browser yet, so the gallery shows its login
    // page first, set to come back to that notebook.
    const arrived = (): boolean => {
      const url = new URL(page.url());
      return (
        page.url() === link || (url.pathname === '/login' && url.searchParams.get('next') === new URL(link).pathname)
      );
    };
    await eventually('the new tab to load the notebook’s page', async () => arrived());
    await page.close();

    // The preview has both as buttons, named for screen readers and reached with Tab.
    await bob.evaluate(() => navigator.clipboard.writeText('something else'));
    await sidebar.getByRole('button', { name: 'Preview Orbit demo' }).click();
    const copyButton = sidebar.getByRole('button', { name: 'Copy link to Orbit demo' });
    await copyButton.waitFor();
    await sidebar.getByRole('button', { name: 'Open Orbit demo in the browser' }).waitFor();
    await docScreenshot(bob, 'link-preview-light');
    await useTheme(bob, 'dark');
    await docScreenshot(bob, 'link-preview-dark');
    await useTheme(bob, 'light');
    await copyButton.focus();
    await bob.keyboard.press('Enter');
    await eventually(
      'the link on the clipboard',
      async () => (await bob.evaluate(() => navigator.clipboard.readText())) === link
    );
  });
});

/**
 * Comments on cells and the inbox in JupyterLab (issue 14): bob opens his copy of alice's notebook, comments on its
 * second cell from the comments panel and mentions @alice; the cell shows a marker; the comment is on that cell in
 * the gallery and beside that cell on the notebook's web page; alice's Gallery sidebar shows one unread event.
 */
import type { Page } from 'playwright-core';
import { docScreenshot, openLab, screenshot } from '../support/browser';
import { codeNotebook, GalleryApi } from '../support/galleryApi';
import { notebookTab, useTheme, waitForKernelInfo } from '../support/notebookPage';
import { IStack, logInFromSidebar, startStack } from '../support/stack';

const PASSWORD = 'a long enough passphrase';

/** What axe-core finds against WCAG 2.1 A and AA inside `selector`: rule ids with the offending elements. */
async function axeViolations(page: Page, selector: string): Promise<string[]> {
  await page.addScriptTag({ path: require.resolve('axe-core') });
  return page.evaluate(async within => {
    const result = await (window as any).axe.run(within, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] }
    });
    return result.violations.map(
      (violation: { id: string; nodes: { target: string[] }[] }) =>
        `${violation.id}: ${violation.nodes.map(node => node.target.join(' ')).join(', ')}`
    );
  }, selector);
}

describe('comments in JupyterLab', () => {
  let stack: IStack;
  let alice: GalleryApi;
  let bob: Page;
  let alicePage: Page;

  beforeAll(async () => {
    stack = await startStack({ alice: PASSWORD, bob: PASSWORD });
    alice = await GalleryApi.login(stack.gallery.url, 'alice', PASSWORD);
    bob = await (await stack.browser.newContext()).newPage();
    alicePage = await (await stack.browser.newContext()).newPage();
  });

  afterAll(async () => {
    await stack?.stop();
  });

  afterEach(async () => {
    const name = expect.getState().currentTestName?.replace(/\W+/g, '-') ?? 'comments';
    await screenshot(bob, `${name}-bob`);
    await screenshot(alicePage, `${name}-alice`);
  });

  it('puts bob’s comment on cell 2 with a marker, in the gallery, and in alice’s inbox', async () => {
    const created = await alice.call('POST', '/api/notebooks', {
      notebook: codeNotebook(['import pandas as pd', 'sales = pd.read_csv("sales.csv")', 'sales.describe()']),
      title: 'Quarterly sales',
      visibility: 'public'
    });
    const id: string = created.id;

    await openLab(bob, stack.lab.url);
    const sidebar = await logInFromSidebar(bob, 'bob', PASSWORD);
    await sidebar.getByRole('button', { name: 'Refresh the gallery' }).click();
    await sidebar.getByRole('button', { name: /^Quarterly sales/ }).click();
    await notebookTab(bob, 'gallery/quarterly-sales.ipynb').waitFor({ timeout: 30000 });
    await waitForKernelInfo(bob);

    // Cell 2 becomes the active cell, then the comments panel opens with its box on that cell.
    const cells = bob.locator('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-Cell');
    await cells.nth(1).locator('.jp-InputPrompt').click();
    await bob.evaluate(() => (window as any).jupyterapp.commands.execute('gallery:comments'));
    const panel = bob.locator('#notebook-gallery-comments');
    await panel.getByText('No comments yet.', { exact: false }).waitFor();
    const onCell = panel.getByLabel('Cell 2 (the active cell)');
    expect(await onCell.isChecked()).toBe(true);

    // Typing @ali offers alice; Enter takes her.
    const box = panel.getByLabel('Your comment', { exact: true });
    await box.click();
    await bob.keyboard.type('Is this the whole year, @ali');
    await panel.getByRole('option', { name: '@alice' }).waitFor();
    await bob.keyboard.press('ArrowDown');
    await bob.keyboard.press('Enter');
    await bob.keyboard.type('or only Q3?');
    expect(await box.inputValue()).toBe('Is this the whole year, @alice or only Q3?');
    await panel.getByRole('button', { name: 'Comment', exact: true }).click();

    const thread = panel.locator('.jp-NotebookGallery-commentThread');
    await thread.getByText('Is this the whole year, @alice or only Q3?').waitFor();
    expect(await box.inputValue()).toBe('');
    await panel.getByRole('heading', { name: 'Cell 2' }).waitFor();

    // The marker is on cell 2 and on no other cell, and it brings the panel to that cell's thread.
    const marker = cells.nth(1).getByRole('button', { name: '1 comment' });
    await marker.waitFor();
    expect(await bob.locator('.jp-NotebookGallery-cellComments').count()).toBe(1);
    // From the keyboard: the marker takes the focus and Enter presses it (not the notebook's Enter, edit the cell).
    await marker.focus();
    await bob.keyboard.press('Enter');
    await bob.waitForFunction(() => (document.activeElement as HTMLElement | null)?.dataset?.cellId === 'cell-1');

    expect(await axeViolations(bob, '#notebook-gallery-comments')).toEqual([]);
    expect(await axeViolations(bob, '.jp-NotebookGallery-cellCommentsRow')).toEqual([]);
    await docScreenshot(bob, 'lab-comments-light');
    await useTheme(bob, 'dark');
    await docScreenshot(bob, 'lab-comments-dark');
    await useTheme(bob, 'light');

    // The gallery has it on cell 2 (id cell-1) of the revision bob's copy came from, mentioning alice.
    const list = await alice.call('GET', `/api/notebooks/${id}/comments`);
    expect(list.threads).toHaveLength(1);
    expect(list.threads[0]).toMatchObject({
      state: 'current',
      comment: {
        author: 'bob',
        body: 'Is this the whole year, @alice or only Q3?',
        mentions: ['alice'],
        anchor: { cellId: 'cell-1', revision: created.revision }
      }
    });

    // On the notebook's web page, bob's comment is beside cell 2 (alice logs in through the page's form).
    const web = await (await stack.browser.newContext()).newPage();
    await web.goto(`${stack.gallery.url}/login?next=${encodeURIComponent(`/n/${id}`)}`);
    await web.getByLabel('Username').fill('alice');
    await web.getByLabel('Password').fill(PASSWORD);
    await Promise.all([
      web.waitForURL(`${stack.gallery.url}/n/${id}`),
      web.getByRole('button', { name: 'Log in' }).click()
    ]);
    const besideCell2 = web.locator('#cell-2 .cell-comments');
    expect(await besideCell2.innerText()).toContain('Is this the whole year, @alice or only Q3?');
    expect(await web.locator('#cell-1 .cell-comments .comment-threads').count()).toBe(0);
    await web.context().close();

    // Alice's sidebar counts one unread event, and her inbox says what happened.
    await openLab(alicePage, stack.lab.url);
    const aliceSidebar = await logInFromSidebar(alicePage, 'alice', PASSWORD);
    const inbox = aliceSidebar.getByRole('button', { name: 'Inbox, 1 unread' });
    await inbox.waitFor({ timeout: 30000 });
    await alicePage.locator('.jp-SideBar [data-id="notebook-gallery-sidebar"][data-unread="1"]').waitFor();
    await inbox.click();
    const event = aliceSidebar.getByRole('button', { name: 'Unread: bob mentioned you on “Quarterly sales”' });
    await event.waitFor();
    expect(await axeViolations(alicePage, '.jp-NotebookGallery-inbox')).toEqual([]);
    await docScreenshot(alicePage, 'lab-inbox-light');
    await useTheme(alicePage, 'dark');
    await docScreenshot(alicePage, 'lab-inbox-dark');
    await useTheme(alicePage, 'light');

    await aliceSidebar.getByRole('button', { name: 'Mark all as read' }).click();
    await aliceSidebar.getByRole('button', { name: 'Inbox, nothing unread' }).waitFor();
    expect((await alice.call('GET', '/api/inbox/unread-count')).unread).toBe(0);

    // From the event, alice reads the comment beside its cell in her copy.
    await aliceSidebar.getByRole('button', { name: 'Show the comments in your copy of “Quarterly sales”' }).click();
    await notebookTab(alicePage, 'gallery/quarterly-sales.ipynb').waitFor({ timeout: 30000 });
    const alicePanel = alicePage.locator('#notebook-gallery-comments');
    await alicePanel.getByText('Is this the whole year, @alice or only Q3?').waitFor();
    await alicePage
      .locator('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-Cell')
      .nth(1)
      .getByRole('button', { name: '1 comment' })
      .waitFor();

    // Alice changes cell 2 in a new revision: bob's thread is now on an earlier version of it, which it can show,
    // and the cell keeps its marker.
    await alice.saveSources(
      id,
      ['import pandas as pd', 'sales = pd.read_csv("sales-2026.csv")', 'sales.describe()'],
      'new data'
    );
    await panel.getByRole('button', { name: 'Refresh the comments' }).click();
    const earlier = thread.getByText('On an earlier version of this cell: show that version');
    await earlier.waitFor();
    await earlier.click();
    await thread.getByText('sales = pd.read_csv("sales.csv")').waitFor();
    await cells.nth(1).getByRole('button', { name: '1 comment' }).waitFor();
  });
});

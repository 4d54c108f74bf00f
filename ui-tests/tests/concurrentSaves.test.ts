/**
 * Saving together (issue 8, browser tests 1 and 2): two people edit the same gallery notebook at once. Edits to
 * different cells both end up in the latest revision, merged by the server; edits to the same line are shown cell
 * by cell and settled by the person saving. Nothing anyone saved is overwritten.
 */
import { readFileSync } from 'fs';
import { join } from 'path';
import type { Page } from 'playwright-core';
import { docScreenshot, openLab, screenshot } from '../support/browser';
import { GalleryApi, writeNotebook } from '../support/galleryApi';
import {
  appendToCell,
  cellSources,
  isMarkedModified,
  notebookTab,
  useTheme,
  waitForKernelInfo
} from '../support/notebookPage';
import { git } from '../support/processes';
import { IStack, logInFromSidebar, saveToGallery, startStack } from '../support/stack';

const PASSWORD = 'a long enough passphrase';
const TITLE = 'Team Budget';
const COPY = 'gallery/team-budget.ipynb';

describe('two people saving the same notebook', () => {
  let stack: IStack;
  let alice: Page;
  let bob: Page;
  let id: string;
  let repo: string;

  beforeAll(async () => {
    stack = await startStack({ alice: PASSWORD, bob: PASSWORD });
    alice = await (await stack.browser.newContext()).newPage();
    bob = await (await stack.browser.newContext()).newPage();
  });

  afterAll(async () => {
    await stack?.stop();
  });

  afterEach(async () => {
    const name = expect.getState().currentTestName?.replace(/\W+/g, '-') ?? 'concurrent';
    await screenshot(alice, `${name}-alice`);
    await screenshot(bob, `${name}-bob`);
  });

  /** Save the open notebook as a new revision from its toolbar, with `message`. */
  async function saveRevision(page: Page, message: string): Promise<void> {
    await page.locator('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-Toolbar [data-command="gallery:save"]').click();
    const dialog = page.locator('.jp-Dialog');
    await dialog.getByLabel('Message').fill(message);
    await dialog.getByRole('button', { name: 'Save to Gallery' }).click();
  }

  /** The latest revision's cell sources, as committed. */
  function committedSources(): string[] {
    const notebook = JSON.parse(git(repo, 'show', 'main:notebook.ipynb'));
    return notebook.cells.map((cell: { source: string[] }) => cell.source.join(''));
  }

  it('merges edits to different cells: both saves end up in the latest revision', async () => {
    // Alice publishes her notebook and lets Bob edit it.
    writeNotebook(stack.workspace, 'planning.ipynb', ['rent = 1200', 'food = 400', 'total = rent + food']);
    await openLab(alice, stack.lab.url);
    await logInFromSidebar(alice, 'alice', PASSWORD);
    await alice.evaluate(() =>
      (window as any).jupyterapp.commands.execute('docmanager:open', { path: 'planning.ipynb' })
    );
    const aliceNotebook = alice.locator('.jp-NotebookPanel:not(.lm-mod-hidden)');
    await aliceNotebook.locator('.jp-Cell').first().waitFor();
    await saveToGallery(alice, aliceNotebook, TITLE);
    await alice.getByText(`Saved “${TITLE}” to the gallery (version 1).`).first().waitFor();
    id = JSON.parse(readFileSync(join(stack.workspace, 'planning.ipynb'), 'utf8')).metadata.gallery.id;
    repo = join(stack.dataDir, 'repos', id.slice(0, 2), `${id}.git`);
    const api = await GalleryApi.login(stack.gallery.url, 'alice', PASSWORD);
    await api.call('PUT', `/api/notebooks/${id}/sharing`, {
      visibility: 'private',
      group: null,
      shares: [{ kind: 'user', name: 'bob', role: 'editor' }]
    });

    // Bob opens his copy: fresh, it is not marked modified, even once its kernel has reported its details.
    await openLab(bob, stack.lab.url);
    const bobSidebar = await logInFromSidebar(bob, 'bob', PASSWORD);
    await bobSidebar.getByRole('button', { name: new RegExp(`^${TITLE}`) }).click();
    await notebookTab(bob, COPY).waitFor({ timeout: 30000 });
    await waitForKernelInfo(bob);
    expect(await isMarkedModified(notebookTab(bob, COPY))).toBe(false);

    // Bob changes the last cell and saves: version 2.
    await appendToCell(bob, 2, ' + 50  # bob: phone');
    await saveRevision(bob, 'phone bill');
    await bob.getByText(`Saved “${TITLE}” to the gallery (version 2).`).first().waitFor();

    // Alice, still on version 1, changes the first cell and saves: the server merges Bob's change in.
    await appendToCell(alice, 0, '  # alice: new lease');
    await saveRevision(alice, 'new lease');
    await alice.getByText(`Saved “${TITLE}” (version 3). Merged with changes by bob.`).first().waitFor();

    const both = ['rent = 1200  # alice: new lease', 'food = 400', 'total = rent + food + 50  # bob: phone'];
    expect(committedSources()).toEqual(both);
    expect(await cellSources(alice)).toEqual(both);
    const aliceFile = JSON.parse(readFileSync(join(stack.workspace, 'planning.ipynb'), 'utf8'));
    expect(aliceFile.metadata.gallery.revision).toBe(git(repo, 'rev-parse', 'main').trim());
    expect(git(repo, 'rev-list', '--count', 'main').trim()).toBe('3');
  });

  it('shows a conflict cell by cell and saves what the user chose on the latest revision', async () => {
    // Bob, on version 2, changes the line Alice changed in version 3.
    await bob.bringToFront();
    await appendToCell(bob, 0, '  # bob: rent goes up');
    await saveRevision(bob, 'rent');

    const dialog = bob.locator('.jp-Dialog');
    await dialog.getByText(`Choose what to keep in “${TITLE}”`).waitFor();
    // The conflict names the cell (its number and first line) and marks what each side added to the line.
    const conflict = dialog.getByRole('group', {
      name: /^Conflict 1 of 1: code cell 1 “rent = 1200\s+# bob: rent goes up” changed on both sides$/
    });
    await conflict.waitFor();
    expect(await conflict.locator('figure').first().innerText()).toMatch(/^Before\s+rent = 1200$/);
    const marked = (side: string) =>
      conflict.locator(`.jp-mod-${side} mark`).evaluateAll(marks => marks.map(mark => mark.textContent));
    expect(await marked('local')).toEqual(['  # bob: rent goes up']);
    expect(await marked('remote')).toEqual(['  # alice: new lease']);
    await docScreenshot(bob, 'conflict-dialog-light');
    await useTheme(bob, 'dark');
    await docScreenshot(bob, 'conflict-dialog-dark');
    await useTheme(bob, 'light');

    // The first choice has the keyboard focus; arrow keys move within the group.
    expect(
      await dialog.getByRole('radio', { name: 'Mine', exact: true }).evaluate(node => node === document.activeElement)
    ).toBe(true);
    await bob.keyboard.press('ArrowRight');
    await bob.keyboard.press('ArrowRight');
    expect(await dialog.getByRole('radio', { name: 'Both (mine, then theirs)' }).isChecked()).toBe(true);
    await dialog.getByRole('button', { name: 'Use these choices' }).click();
    await bob.getByText(`Saved “${TITLE}” (version 4) with the conflicts settled as you chose.`).first().waitFor();

    const settled = [
      'rent = 1200  # bob: rent goes up\nrent = 1200  # alice: new lease',
      'food = 400',
      'total = rent + food + 50  # bob: phone'
    ];
    expect(committedSources()).toEqual(settled);
    expect(await cellSources(bob)).toEqual(settled);
    expect(git(repo, 'log', '--format=%an', '-1', 'main').trim()).toBe('bob');
    const bobFile = JSON.parse(readFileSync(join(stack.workspace, COPY), 'utf8'));
    expect(bobFile.metadata.gallery.revision).toBe(git(repo, 'rev-parse', 'main').trim());
    expect(await isMarkedModified(notebookTab(bob, COPY))).toBe(false);
  });
});

/**
 * Browser test 3 of issue 8: the History panel shows what changed between two versions of a gallery notebook, and
 * restoring the first version adds a third one with its content, leaving the history as it was. Then a change
 * request goes from a reader to the owner, who reviews its diff and accepts it. The screenshots (the diff in the
 * light and the dark theme, the restore, the review) are the ones docs/user-guide.md shows.
 */
import { readFileSync } from 'fs';
import { join } from 'path';
import type { Locator, Page } from 'playwright-core';
import { docScreenshot, openLab, screenshot } from '../support/browser';
import { useTheme } from '../support/notebookPage';
import { git } from '../support/processes';
import { IStack, logInFromSidebar, newNotebookWithCode, saveToGallery, startStack } from '../support/stack';

const PASSWORD = 'a long enough passphrase';
const TITLE = 'Tax Model';

/** Replace the text of the first cell of `notebook` with `code`. */
async function retype(page: Page, notebook: Locator, code: string): Promise<void> {
  await notebook.locator('.jp-Cell .cm-content').first().click();
  await page.keyboard.press('Control+a');
  await page.keyboard.type(code);
}

describe('the History panel', () => {
  let stack: IStack;
  let page: Page;

  beforeAll(async () => {
    stack = await startStack({ alice: PASSWORD, bob: PASSWORD });
    page = await stack.browser.newPage({ viewport: { width: 1440, height: 900 } });
  });

  afterAll(async () => {
    await stack?.stop();
  });

  afterEach(async () => {
    // Where the test ended, for whoever reads a failure in the CI log.
    await screenshot(page, 'history-last-step');
  });

  it('shows what changed in a version and restores an old one as a new version', async () => {
    await openLab(page, stack.lab.url);
    const sidebar = await logInFromSidebar(page, 'alice', PASSWORD);

    // Version 1, then version 2 with another rate and a message.
    const notebook = await newNotebookWithCode(page, 'rate = 0.19\nprice = 100 * (1 + rate)');
    await saveToGallery(page, notebook, TITLE);
    await page.getByText(`Saved “${TITLE}” to the gallery (version 1).`).first().waitFor();
    await retype(page, notebook, 'rate = 0.21\nprice = 100 * (1 + rate)');
    await notebook.locator('.jp-Toolbar [data-command="gallery:save"]').click();
    const saveDialog = page.locator('.jp-Dialog');
    await saveDialog.getByLabel('Message').fill('Use the 2026 rate');
    await saveDialog.getByRole('button', { name: 'Save to Gallery' }).click();
    await saveDialog.waitFor({ state: 'detached' });
    await page.getByText(`Saved “${TITLE}” to the gallery (version 2).`).first().waitFor();

    // The sidebar item's History button opens the panel on the latest version's changes.
    await sidebar.getByRole('button', { name: `History of ${TITLE}` }).click();
    const history = page.locator('.jp-NotebookGallery-history');
    await history.getByRole('heading', { name: `History of “${TITLE}”` }).waitFor();
    const versions = history.locator('.jp-NotebookGallery-revisionButton');
    await versions.nth(1).waitFor();
    expect(await versions.count()).toBe(2);
    expect(await versions.nth(0).getAttribute('aria-label')).toMatch(
      /^Version 2, latest, by alice, .+, Use the 2026 rate$/
    );
    expect(await versions.nth(1).getAttribute('aria-label')).toMatch(/^Version 1, by alice, /);

    const diff = history.locator('.jp-NotebookGallery-diff');
    await diff.getByRole('heading', { name: 'Changes from version 1 to version 2' }).waitFor();
    expect(await diff.locator('.jp-NotebookGallery-diffSummary').innerText()).toBe('1 cell changed');
    const changedCell = diff.getByRole('region', { name: /^Cell 1 changed, Code, 1 line added, 1 line removed$/ });
    await changedCell.waitFor();
    // The old line beside the new one, each with the changed characters marked.
    expect(await changedCell.locator('.jp-NotebookGallery-diffLine.jp-mod-removed').innerText()).toContain(
      'rate = 0.19'
    );
    expect(await changedCell.locator('.jp-NotebookGallery-diffLine.jp-mod-added').innerText()).toContain('rate = 0.21');
    expect(await changedCell.locator('.jp-mod-removed mark').innerText()).toBe('19');
    expect(await changedCell.locator('.jp-mod-added mark').innerText()).toBe('21');
    await docScreenshot(page, 'history-diff-light');

    // One column, with the switch saying which layout is on.
    await diff.getByRole('button', { name: 'One column' }).click();
    expect(await diff.getByRole('button', { name: 'One column' }).getAttribute('aria-pressed')).toBe('true');
    expect(await diff.locator('.jp-NotebookGallery-diffLines.jp-mod-unified').count()).toBe(1);
    await diff.getByRole('button', { name: 'Side by side' }).click();

    // The dark theme keeps the changed lines readable.
    await useTheme(page, 'dark');
    await docScreenshot(page, 'history-diff-dark');
    await useTheme(page, 'light');

    // Version 1 was made from an empty notebook; it can be restored, after a confirmation that says what happens.
    await versions.nth(1).click();
    await diff.getByRole('heading', { name: 'Changes from an empty notebook to version 1' }).waitFor();
    await history.getByRole('button', { name: 'Restore…' }).click();
    const confirm = page.locator('.jp-Dialog');
    await confirm
      .getByText('The gallery adds version 3 with the content of version 1. Version 2 stays in the history')
      .waitFor();
    expect(await confirm.getByLabel('Message').inputValue()).toBe('Restored version 1');
    await docScreenshot(page, 'history-restore-confirm');
    await confirm.getByRole('button', { name: 'Restore version 1' }).click();
    await confirm.waitFor({ state: 'detached' });
    await page.getByText(`Restored version 1 of “${TITLE}” as version 3.`).first().waitFor();

    // A third version, the latest, whose changes put the old rate back; the first two stay.
    await versions.nth(2).waitFor();
    expect(await versions.nth(0).getAttribute('aria-label')).toMatch(
      /^Version 3, latest, by alice, .+, Restored version 1$/
    );
    expect(await versions.nth(1).getAttribute('aria-label')).toMatch(/^Version 2, /);
    await diff.getByRole('heading', { name: 'Changes from version 2 to version 3' }).waitFor();
    expect(await diff.locator('.jp-NotebookGallery-diffLine.jp-mod-added').first().innerText()).toContain(
      'rate = 0.19'
    );
    await docScreenshot(page, 'history-restored');

    // The user's open copy still has the 2026 rate, and the panel says how it differs from version 3.
    await history.getByRole('button', { name: 'Compare with your copy' }).click();
    await diff.getByRole('heading', { name: 'Changes from version 3 to your copy' }).waitFor();
    expect(await diff.locator('.jp-NotebookGallery-diffLine.jp-mod-added').first().innerText()).toContain(
      'rate = 0.21'
    );

    // Version 1 downloads as a file of its own, and opens read-only.
    await versions.nth(2).click();
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      history.getByRole('button', { name: 'Download' }).click()
    ]);
    expect(download.suggestedFilename()).toBe('tax-model-version-1.ipynb');
    const downloaded = JSON.parse(readFileSync(await download.path(), 'utf8'));
    expect(downloaded.cells[0].source.join('')).toBe('rate = 0.19\nprice = 100 * (1 + rate)');
    await history.getByRole('button', { name: 'Open read-only' }).click();
    const readOnly = page.locator('.jp-NotebookGallery-revisionView');
    await readOnly.getByText('Read-only').waitFor();
    expect(await readOnly.locator('pre').first().innerText()).toBe('rate = 0.19\nprice = 100 * (1 + rate)');
    expect(await readOnly.locator('input, textarea, [contenteditable="true"]').count()).toBe(0);

    // In git: three commits by alice, the newest with version 1's content and the message; nothing rewritten.
    const copy = JSON.parse(readFileSync(join(stack.workspace, 'Untitled.ipynb'), 'utf8'));
    const id: string = copy.metadata.gallery.id;
    const repo = join(stack.dataDir, 'repos', id.slice(0, 2), `${id}.git`);
    expect(git(repo, 'log', '--format=%an|%s', 'main').trim().split('\n')).toEqual([
      'alice|Restored version 1',
      expect.stringMatching(/^alice\|Use the 2026 rate/),
      expect.stringMatching(/^alice\|/)
    ]);
    expect(git(repo, 'show', 'main:notebook.ipynb')).toEqual(git(repo, 'show', 'main~2:notebook.ipynb'));
  });

  it("lets bob propose a change to alice's notebook, and alice review and accept it", async () => {
    // Alice publishes a notebook bob may read but not edit.
    // Alice is still logged in from the first test.
    await openLab(page, stack.lab.url);
    await page.locator('.jp-SideBar [data-id="notebook-gallery-sidebar"]').click();
    const aliceSidebar = page.locator('#notebook-gallery-sidebar');
    await aliceSidebar.getByLabel('Search the gallery').waitFor();
    const notebook = await newNotebookWithCode(page, 'budget = 5000');
    await saveToGallery(page, notebook, 'Team Budget', undefined, { visibility: /^Public/ });
    await page.getByText('Saved “Team Budget” to the gallery (version 1).').first().waitFor();

    // Bob opens his copy, edits it, and proposes the change with a message.
    const bob = await (await stack.browser.newContext({ viewport: { width: 1440, height: 900 } })).newPage();
    await openLab(bob, stack.lab.url);
    const bobSidebar = await logInFromSidebar(bob, 'bob', PASSWORD);
    await bobSidebar.getByRole('button', { name: /^Team Budget/ }).click();
    await bob.locator('.lm-TabBar-tab[title*="team-budget.ipynb"]').first().waitFor({ timeout: 30000 });
    const copy = bob.locator('.jp-NotebookPanel:not(.lm-mod-hidden)');
    await retype(bob, copy, 'budget = 6500');
    await bob.locator('.lm-MenuBar-item', { hasText: 'File' }).click();
    await bob.locator('.lm-Menu-item', { hasText: 'Propose Changes to Gallery…' }).click();
    const propose = bob.locator('.jp-Dialog');
    await propose.getByText('You can read “Team Budget” but not edit it.').waitFor();
    await propose.getByLabel('What did you change?').fill('Add the new hire');
    await propose.getByRole('button', { name: 'Send change request' }).click();
    await propose.waitFor({ state: 'detached' });
    await bob.getByText('Change request sent for “Team Budget”.').first().waitFor();
    const bobRequests = bob.locator('.jp-NotebookGallery-requests');
    const mine = bobRequests.getByRole('button', { name: '“Add the new hire” on Team Budget: Waiting for review' });
    await mine.waitFor();

    // Alice sees it to review in her sidebar, opens it and reads the change.
    await aliceSidebar.getByRole('button', { name: 'Refresh the gallery' }).click();
    await page.getByRole('button', { name: 'Review “Add the new hire” on Team Budget from bob' }).click();
    const review = page.locator('.jp-NotebookGallery-changeRequest');
    await review.getByRole('heading', { name: 'Proposed changes to “Team Budget”' }).waitFor();
    await review.getByText('Status: Waiting for review').waitFor();
    expect(await review.locator('blockquote').innerText()).toBe('Add the new hire');
    const diff = review.locator('.jp-NotebookGallery-diff');
    await diff.getByRole('heading', { name: 'Changes from version 1 to bob’s proposal' }).waitFor();
    expect(await diff.locator('.jp-mod-removed mark').innerText()).toBe('50');
    expect(await diff.locator('.jp-mod-added mark').innerText()).toBe('65');
    await review.getByLabel('Comment for bob').fill('Thanks, approved in the team meeting.');
    await docScreenshot(page, 'change-request-review');

    // Accepting adds version 2, authored by bob.
    await review.getByRole('button', { name: 'Accept as a new version' }).click();
    await review.getByText('Accepted: it is now version 2.').waitFor();
    await review.getByText('Status: Accepted by alice').waitFor();
    const bobsCopy = JSON.parse(readFileSync(join(stack.workspace, 'gallery', 'team-budget.ipynb'), 'utf8'));
    const id: string = bobsCopy.metadata.gallery.id;
    const repo = join(stack.dataDir, 'repos', id.slice(0, 2), `${id}.git`);
    expect(git(repo, 'log', '-1', '--format=%an', 'main').trim()).toBe('bob');
    expect(git(repo, 'show', 'main:notebook.ipynb')).toContain('budget = 6500');

    // Bob's sidebar says so, with alice's comment.
    await bobSidebar.getByRole('button', { name: 'Refresh the gallery' }).click();
    const decided = bobRequests.getByRole('button', { name: '“Add the new hire” on Team Budget: Accepted by alice' });
    await decided.waitFor();
    expect(await decided.innerText()).toContain('“Thanks, approved in the team meeting.”');
    await docScreenshot(bob, 'change-request-status');

    // Bob's History panel of the notebook: version 2 is his, his request is listed as accepted, and as a reader
    // he is offered proposing changes, not restoring.
    await bobSidebar.getByRole('button', { name: 'History of Team Budget' }).click();
    const bobHistory = bob.locator('.jp-NotebookGallery-history');
    await bobHistory.getByRole('heading', { name: 'Your change requests' }).waitFor();
    await bobHistory
      .getByRole('button', { name: /^Add the new hire, proposed by bob .+, Accepted by alice$/ })
      .waitFor();
    expect(await bobHistory.locator('.jp-NotebookGallery-revisionButton').first().getAttribute('aria-label')).toMatch(
      /^Version 2, latest, by bob, /
    );
    await bobHistory.locator('.jp-NotebookGallery-revisionButton').nth(1).click();
    await bobHistory.getByRole('button', { name: 'Propose changes…' }).waitFor();
    expect(await bobHistory.getByRole('button', { name: 'Restore…' }).count()).toBe(0);
    await docScreenshot(bob, 'history-reader');
  });
});

/**
 * Private work stays private in the sidebar: a second user neither lists nor finds the first
 * user's private notebook, and sees it as soon as it is shared with them, or with a group they are in
 * that the owner is not (issue 13).
 */
import type { Page } from 'playwright-core';
import { docScreenshot, openLab, screenshot } from '../support/browser';
import { chooseOption } from '../support/dialogs';
import { codeNotebook, GalleryApi } from '../support/galleryApi';
import { useTheme } from '../support/notebookPage';
import { IStack, logInFromSidebar, newNotebookWithCode, startStack } from '../support/stack';

const PASSWORD = 'a long enough passphrase';
const TITLE = 'Payroll Model Draft';

describe('private notebooks in the sidebar', () => {
  let stack: IStack;
  let alice: Page;
  let bob: Page;
  let carol: Page;

  beforeAll(async () => {
    stack = await startStack({ alice: PASSWORD, bob: PASSWORD, carol: PASSWORD });
    // Separate browser contexts: three people, three sets of stored gallery logins.
    alice = await (await stack.browser.newContext()).newPage();
    bob = await (await stack.browser.newContext()).newPage();
    carol = await (await stack.browser.newContext()).newPage();
  });

  afterAll(async () => {
    await stack?.stop();
  });

  afterEach(async () => {
    for (const [who, page] of [
      ['alice', alice],
      ['bob', bob],
      ['carol', carol]
    ] as const) {
      await screenshot(page, `sharing-${who}`);
    }
  });

  it("hides alice's private notebook from bob until she shares it with him", async () => {
    await openLab(alice, stack.lab.url);
    const aliceSidebar = await logInFromSidebar(alice, 'alice', PASSWORD);
    await newNotebookWithCode(alice, 'payroll = 1200 * 12');
    await alice.locator('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-Toolbar [data-command="gallery:save"]').click();
    const saveDialog = alice.locator('.jp-Dialog');
    await saveDialog.getByLabel('Title').fill(TITLE);
    await chooseOption(saveDialog.getByLabel('Visibility'), /^Private/);
    await saveDialog.getByRole('button', { name: 'Save to Gallery' }).click();
    await saveDialog.waitFor({ state: 'detached' });
    await aliceSidebar.getByRole('button', { name: new RegExp(`^${TITLE}`) }).waitFor();

    // Bob sees neither the notebook in the list nor a search hit for its words.
    await openLab(bob, stack.lab.url);
    const bobSidebar = await logInFromSidebar(bob, 'bob', PASSWORD);
    await bobSidebar.getByLabel('Search the gallery').fill('payroll');
    await bobSidebar.getByLabel('Search the gallery').press('Enter');
    await bobSidebar.getByText(/No notebooks match/).waitFor();
    expect(await bobSidebar.getByRole('button', { name: new RegExp(TITLE) }).count()).toBe(0);
    await bobSidebar.getByLabel('Search the gallery').fill('');
    await bobSidebar.getByLabel('Search the gallery').press('Enter');
    await chooseOption(bobSidebar.getByLabel('Show'), /^Shared with me$/);
    await bobSidebar.getByText(/Nothing has been shared with you yet/).waitFor();

    // Alice shares it with Bob from her sidebar.
    await aliceSidebar.getByRole('button', { name: new RegExp(`^Share ${TITLE}`) }).click();
    const shareDialog = alice.locator('.jp-Dialog');
    await shareDialog.getByLabel('Share with').fill('bob');
    await chooseOption(shareDialog.getByLabel('Role'), /read/i);
    await shareDialog.getByRole('button', { name: 'Add', exact: true }).click();
    await shareDialog.getByRole('button', { name: 'Save sharing' }).click();
    await shareDialog.waitFor({ state: 'detached' });

    // Now Bob finds it under "Shared with me" and can open his own copy.
    await bobSidebar.getByRole('button', { name: 'Refresh the gallery' }).click();
    const item = bobSidebar.getByRole('button', { name: new RegExp(`^${TITLE}`) });
    await item.waitFor({ timeout: 30000 });
    expect(await item.getAttribute('aria-label')).toContain('Shared with you');
    await item.click();
    await bob.locator('.lm-TabBar-tab[title*="payroll-model-draft.ipynb"]').first().waitFor({ timeout: 30000 });
    const copy = bob.locator('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-Cell .cm-content').first();
    expect(await copy.innerText()).toContain('payroll = 1200 * 12');
  });

  it('lets alice share with a group she is not in by picking it from the suggestions, and its member opens it', async () => {
    const title = 'Optics Lab Notes';
    // carol makes group "physics"; alice is not in it. alice's private notebook is made through the API.
    const carolApi = await GalleryApi.login(stack.gallery.url, 'carol', PASSWORD);
    await carolApi.call('POST', '/api/groups', { name: 'physics' });
    const aliceApi = await GalleryApi.login(stack.gallery.url, 'alice', PASSWORD);
    const { id } = await aliceApi.call('POST', '/api/notebooks', {
      notebook: codeNotebook(['focal_length = 0.05']),
      title,
      visibility: 'private'
    });
    await expect(carolApi.call('GET', `/api/notebooks/${id}`)).rejects.toThrow(/: 404 /);

    // A fresh context, so this test does not depend on the login of the one before.
    alice = await (await stack.browser.newContext()).newPage();
    await openLab(alice, stack.lab.url);
    const aliceSidebar = await logInFromSidebar(alice, 'alice', PASSWORD);
    const item = aliceSidebar.getByRole('button', { name: new RegExp(`^${title}`) });
    await item.waitFor({ timeout: 30000 });

    // Light and dark: the suggestions say which name is a person and which a group.
    for (const theme of ['light', 'dark'] as const) {
      await useTheme(alice, theme);
      await aliceSidebar.getByRole('button', { name: new RegExp(`^Share ${title}`) }).click();
      const dialog = alice.locator('.jp-Dialog');
      const shareWith = dialog.getByRole('combobox', { name: 'Share with' });
      // Type once the dialog has placed its first focus, as a person would: typing earlier races that focus.
      await alice.waitForFunction(() => document.activeElement?.closest('.jp-Dialog') != null);
      await shareWith.fill('phy');
      const suggestion = dialog.getByRole('option', { name: 'physics, group, 1 member' });
      await suggestion.waitFor();
      expect(await shareWith.getAttribute('aria-expanded')).toBe('true');
      await docScreenshot(alice, `share-suggestions-${theme}`);
      if (theme === 'light') {
        // Escape closes the suggestions first, then the dialog.
        await shareWith.press('Escape');
        await suggestion.waitFor({ state: 'detached' });
        expect(await dialog.count()).toBe(1);
        await shareWith.press('Escape');
        await dialog.waitFor({ state: 'detached' });
        continue;
      }
      await shareWith.press('ArrowDown');
      expect(await suggestion.getAttribute('aria-selected')).toBe('true');
      await shareWith.press('Enter');
      const row = dialog.locator('.jp-NotebookGallery-shareRow');
      await row.waitFor();
      expect(await row.locator('.jp-NotebookGallery-shareName').innerText()).toBe('physics');
      expect(await row.locator('.jp-NotebookGallery-shareKind').innerText()).toBe('group');
      const saved = alice.waitForResponse(
        response => response.url().endsWith(`/api/notebooks/${id}/sharing`) && response.request().method() === 'PUT'
      );
      await dialog.getByRole('button', { name: 'Save sharing' }).click();
      expect((await saved).status()).toBe(200);
      await dialog.waitFor({ state: 'detached' });
    }
    await useTheme(alice, 'light');
    expect(await aliceApi.call('GET', `/api/notebooks/${id}/sharing`)).toMatchObject({
      visibility: 'private',
      shares: [{ kind: 'group', name: 'physics', role: 'reader' }]
    });

    // carol, a member of physics, sees it and opens her own copy.
    await openLab(carol, stack.lab.url);
    const carolSidebar = await logInFromSidebar(carol, 'carol', PASSWORD);
    const shared = carolSidebar.getByRole('button', { name: new RegExp(`^${title}`) });
    await shared.waitFor({ timeout: 30000 });
    await shared.click();
    await carol.locator('.lm-TabBar-tab[title*="optics-lab-notes.ipynb"]').first().waitFor({ timeout: 30000 });
    const copy = carol.locator('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-Cell .cm-content').first();
    await copy.waitFor();
    expect(await copy.innerText()).toContain('focal_length = 0.05');
  });
});

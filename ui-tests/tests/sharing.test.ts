/**
 * Private work stays private in the sidebar: a second user neither lists nor finds the first
 * user's private notebook, and sees it as soon as it is shared with them.
 */
import type { Page } from 'playwright-core';
import { openLab, screenshot } from '../support/browser';
import { chooseOption } from '../support/dialogs';
import { IStack, logInFromSidebar, newNotebookWithCode, startStack } from '../support/stack';

const PASSWORD = 'a long enough passphrase';
const TITLE = 'Payroll Model Draft';

describe('private notebooks in the sidebar', () => {
  let stack: IStack;
  let alice: Page;
  let bob: Page;

  beforeAll(async () => {
    stack = await startStack({ alice: PASSWORD, bob: PASSWORD });
    // Separate browser contexts: two people, two sets of stored gallery logins.
    alice = await (await stack.browser.newContext()).newPage();
    bob = await (await stack.browser.newContext()).newPage();
  });

  afterAll(async () => {
    await stack?.stop();
  });

  afterEach(async () => {
    for (const [who, page] of [
      ['alice', alice],
      ['bob', bob]
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
});

/**
 * The foundation's promise, end to end in a real browser: a notebook with a secret output goes
 * from JupyterLab to the gallery and back as a copy, and the secret never leaves the machine. Then the save
 * dialog's own checks, and a reader's Save to Gallery that proposes the changes to the owner.
 */
import { existsSync, readFileSync, lstatSync } from 'fs';
import { join } from 'path';
import type { Page } from 'playwright-core';
import { openLab, screenshot } from '../support/browser';
import { eventually, git, labextensionList, ROOT } from '../support/processes';
import { IStack, logInFromSidebar, newNotebookWithCode, saveToGallery, startStack } from '../support/stack';

const USER = 'alice';
const READER = 'bob';
const PASSWORD = 'correct horse battery staple';
const TITLE = 'Quarterly Secret Analysis';
const SLUG = 'quarterly-secret-analysis';
/** Printed by the cell but never written in its source, so finding it anywhere means an output leaked. */
const SECRET = 'SECRET-42-OUTPUT';
const CODE = 'print("SECRET" + "-" + str(6 * 7) + "-OUTPUT")';

describe('JupyterLab → gallery → JupyterLab', () => {
  let stack: IStack;
  let page: Page;

  beforeAll(async () => {
    stack = await startStack({ [USER]: PASSWORD, [READER]: PASSWORD });
    page = await stack.browser.newPage();
  });

  afterAll(async () => {
    await stack?.stop();
  });

  afterEach(async () => {
    const state = expect.getState();
    if (page && state.currentTestName && state.assertionCalls > 0) {
      await screenshot(page, state.currentTestName.replace(/\W+/g, '-'));
    }
  });

  it('is installed from the wheel and listed OK', () => {
    const installed = join(ROOT, '.venv', 'share', 'jupyter', 'labextensions', 'jupyterlab-notebook-gallery');
    expect(lstatSync(installed).isSymbolicLink()).toBe(false);
    expect(existsSync(join(installed, 'install.json'))).toBe(true);
    expect(labextensionList()).toMatch(
      /jupyterlab-notebook-gallery v\S+ enabled\s+OK \(python, jupyterlab-notebook-gallery\)/
    );
  });

  it('logs in, saves a notebook with a secret output, and opens a copy without it', async () => {
    const { dataDir, workspace, gallery, lab } = stack;
    await openLab(page, lab.url);

    // 1. log in from the sidebar
    const sidebar = await logInFromSidebar(page, USER, PASSWORD);

    // 2. create a notebook and run a cell that prints the secret
    await page.evaluate(() =>
      (window as any).jupyterapp.commands.execute('notebook:create-new', { kernelName: 'python3' })
    );
    const notebook = page.locator('.jp-NotebookPanel:not(.lm-mod-hidden)');
    await notebook.locator('.jp-Cell .cm-content').first().click();
    await page.keyboard.type(CODE);
    await page.keyboard.press('Shift+Enter');
    await notebook.locator('.jp-OutputArea-output', { hasText: SECRET }).waitFor({ timeout: 60000 });

    // 3. Save to Gallery from the notebook toolbar
    await saveToGallery(page, notebook, TITLE, 'finance, e2e');

    // 4. the notebook appears in the sidebar
    const item = sidebar.getByRole('button', { name: new RegExp(`^${TITLE}`) });
    await item.waitFor({ timeout: 30000 });

    // 5. open it as a copy; the secret is in neither the copy nor the committed file
    await item.click();
    const copyPath = join(workspace, 'gallery', `${SLUG}.ipynb`);
    await page.locator(`.lm-TabBar-tab[title*="${SLUG}.ipynb"]`).first().waitFor({ timeout: 30000 });
    await eventually(`${copyPath} to be written`, () => existsSync(copyPath));
    const copyPanel = page.locator('.jp-NotebookPanel:not(.lm-mod-hidden)');
    await copyPanel.locator('.jp-Cell').first().waitFor();
    expect(await copyPanel.locator('.jp-Cell .cm-content').first().innerText()).toContain('print("SECRET"');
    expect(await copyPanel.innerText()).not.toContain(SECRET);

    const copyText = readFileSync(copyPath, 'utf8');
    expect(copyText).not.toContain(SECRET);
    const copy = JSON.parse(copyText);
    expect(copy.metadata.gallery).toEqual({
      id: expect.any(String),
      revision: expect.stringMatching(/^[0-9a-f]{40}$/),
      server: gallery.url
    });
    expect(copy.cells[0].outputs).toEqual([]);

    const id: string = copy.metadata.gallery.id;
    const repo = join(dataDir, 'repos', id.slice(0, 2), `${id}.git`);
    const committed = git(repo, 'show', 'main:notebook.ipynb');
    expect(committed).toContain('print(\\"SECRET\\"');
    expect(committed).not.toContain(SECRET);
    expect(committed).not.toContain('"gallery"');
    expect(git(repo, 'log', '--format=%an %s', 'main').trim()).toMatch(new RegExp(`^${USER} `));
    expect(git(repo, 'rev-parse', 'main').trim()).toBe(copy.metadata.gallery.revision);
    git(repo, 'fsck', '--strict');

    // Opening it again reuses the copy instead of writing a second one; the open command says
    // so when it has finished, which is the moment a second file would have been written.
    await item.click();
    await page.getByText(`Opened your existing copy of “${TITLE}” at gallery/${SLUG}.ipynb.`).first().waitFor();
    expect(existsSync(join(workspace, 'gallery', `${SLUG}-2.ipynb`))).toBe(false);

    // Ctrl-S saves the copy locally and uploads nothing: every write the page sends to the
    // gallery from here on is recorded.
    const uploads: string[] = [];
    page.on('request', request => {
      if (request.url().startsWith(gallery.url) && request.method() !== 'GET' && request.method() !== 'OPTIONS') {
        uploads.push(`${request.method()} ${request.url()}`);
      }
    });
    await copyPanel.locator('.jp-Cell .cm-content').first().click();
    await page.keyboard.press('End');
    await page.keyboard.type('  # edited locally');
    const localSave = page.waitForResponse(
      response =>
        response.request().method() === 'PUT' && response.url().includes(`/api/contents/gallery/${SLUG}.ipynb`)
    );
    await page.keyboard.press('Control+s');
    expect((await localSave).ok()).toBe(true);
    await eventually('the local save', () => readFileSync(copyPath, 'utf8').includes('# edited locally'));
    // A round trip to the gallery after the save: an upload the save had started would be sent before it.
    const listed = page.waitForResponse(
      response => response.url().startsWith(`${gallery.url}/api/notebooks`) && response.request().method() === 'GET'
    );
    await page.evaluate(() => (window as any).jupyterapp.commands.execute('gallery:refresh'));
    await listed;
    expect(uploads).toEqual([]);
    expect(git(repo, 'rev-list', '--count', 'main').trim()).toBe('1');
    expect(git(repo, 'show', 'main:notebook.ipynb')).not.toContain('edited locally');
  });

  it('says in the save dialog what is over a limit as you type, and saves once it fits', async () => {
    // Alice is still logged in from the test above.
    const notebook = await newNotebookWithCode(page, 'forecast = 1200');
    await notebook.locator('.jp-Toolbar [data-command="gallery:save"]').click();
    const dialog = page.locator('.jp-Dialog');
    const title = dialog.getByLabel('Title');
    const save = dialog.getByRole('button', { name: 'Save to Gallery' });
    await title.fill('T'.repeat(231));
    await dialog.getByText('The title is too long: at most 200 characters (you have 231).').waitFor();
    expect(await title.getAttribute('aria-invalid')).toBe('true');
    expect(await save.isDisabled()).toBe(true);
    await title.fill('Team Forecast');
    await dialog.getByLabel('Visibility').selectOption('public');
    expect(await save.isDisabled()).toBe(false);
    await save.click();
    await dialog.waitFor({ state: 'detached' });
    await page.getByText('Saved “Team Forecast” to the gallery (version 1).').first().waitFor();
  });

  it("offers a reader's Save to Gallery to propose the changes to the owner", async () => {
    const bob = await (await stack.browser.newContext()).newPage();
    await openLab(bob, stack.lab.url);
    const sidebar = await logInFromSidebar(bob, READER, PASSWORD);
    await sidebar.getByRole('button', { name: /^Team Forecast/ }).click();
    await bob.locator('.lm-TabBar-tab[title*="team-forecast.ipynb"]').first().waitFor({ timeout: 30000 });
    const copy = bob.locator('.jp-NotebookPanel:not(.lm-mod-hidden)');
    await copy.locator('.jp-Cell .cm-content').first().click();
    await bob.keyboard.press('Control+a');
    await bob.keyboard.type('forecast = 1500');

    await copy.locator('.jp-Toolbar [data-command="gallery:save"]').click();
    const choice = bob.locator('.jp-Dialog');
    await choice
      .getByText(`“Team Forecast” belongs to ${USER}, and you may read it but not edit it.`, { exact: false })
      .waitFor();
    expect(await choice.getByRole('button', { name: 'Save as new notebook' }).isVisible()).toBe(true);
    await choice.getByRole('button', { name: 'Propose these changes to the owner' }).click();
    const propose = bob.locator('.jp-Dialog', { hasText: 'Propose changes to “Team Forecast”' });
    await propose.getByLabel('What did you change?').fill('Raise the forecast');
    await propose.getByRole('button', { name: 'Send change request' }).click();
    await propose.waitFor({ state: 'detached' });
    await bob.getByText('Change request sent for “Team Forecast”.').first().waitFor();
    await bob
      .locator('.jp-NotebookGallery-requests')
      .getByRole('button', { name: '“Raise the forecast” on Team Forecast: Waiting for review' })
      .waitFor();
    await bob.context().close();
  });
});

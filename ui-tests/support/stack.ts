import type { Browser, Locator, Page } from 'playwright-core';
import { launchBrowser } from './browser';
import { chooseOption } from './dialogs';
import { addUser, freePort, IRunning, startGallery, startJupyterLab, tempDir } from './processes';

/** Everything one browser test runs against: a gallery, a JupyterLab pointed at it, and Chromium. */
export interface IStack {
  dataDir: string;
  workspace: string;
  gallery: IRunning;
  lab: IRunning;
  browser: Browser;
  stop: () => Promise<void>;
}

/** Start a real gallery (with these accounts), a real JupyterLab and Chromium, on free loopback ports. */
export async function startStack(users: Record<string, string>): Promise<IStack> {
  const dataDir = tempDir('data');
  const workspace = tempDir('workspace');
  for (const [username, password] of Object.entries(users)) {
    addUser(dataDir, username, password);
  }
  const labPort = await freePort();
  const gallery = await startGallery(dataDir, [`http://127.0.0.1:${labPort}`]);
  const lab = await startJupyterLab(workspace, gallery.url, labPort);
  const browser = await launchBrowser();
  const stop = async () => {
    await browser.close();
    await lab.stop();
    await gallery.stop();
  };
  return { dataDir, workspace, gallery, lab, browser, stop };
}

/** Open the Gallery sidebar and log in through its form, as a user would; returns the sidebar. */
export async function logInFromSidebar(page: Page, username: string, password: string): Promise<Locator> {
  await page.locator('.jp-SideBar [data-id="notebook-gallery-sidebar"]').click();
  const sidebar = page.locator('#notebook-gallery-sidebar');
  await sidebar.getByLabel('Username').fill(username);
  await sidebar.getByLabel('Password').fill(password);
  await sidebar.getByRole('button', { name: 'Log in', exact: true }).click();
  await sidebar.getByLabel('Search the gallery').waitFor();
  return sidebar;
}

/** Create a notebook with the python3 kernel and type `code` into its first cell; returns the notebook panel. */
export async function newNotebookWithCode(page: Page, code: string): Promise<Locator> {
  await page.evaluate(() =>
    (window as any).jupyterapp.commands.execute('notebook:create-new', { kernelName: 'python3' })
  );
  const notebook = page.locator('.jp-NotebookPanel:not(.lm-mod-hidden)');
  await notebook.locator('.jp-Cell .cm-content').first().click();
  await page.keyboard.type(code);
  return notebook;
}

/** Who may read a saved notebook: the Visibility option, and the Group option when it is Group. */
export interface ISaveVisibility {
  visibility: RegExp;
  group?: RegExp;
}

/** Save the notebook shown in `notebook` from its toolbar's Save to Gallery button and dialog. */
export async function saveToGallery(
  page: Page,
  notebook: Locator,
  title: string,
  tags?: string,
  access?: ISaveVisibility
): Promise<void> {
  await notebook.locator('.jp-Toolbar [data-command="gallery:save"]').click();
  const dialog = page.locator('.jp-Dialog');
  await dialog.getByLabel('Title').fill(title);
  if (tags !== undefined) {
    await dialog.getByLabel('Tags').fill(tags);
  }
  if (access) {
    await chooseOption(dialog.getByLabel('Visibility'), access.visibility);
    if (access.group) {
      await chooseOption(dialog.getByLabel('Group', { exact: true }), access.group);
    }
  }
  await dialog.getByRole('button', { name: 'Save to Gallery' }).click();
  await dialog.waitFor({ state: 'detached' });
}

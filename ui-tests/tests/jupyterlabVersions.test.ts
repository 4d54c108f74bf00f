/**
 * Hubs upgrade slowly: the same wheel must work in the oldest JupyterLab 4 we support and in the
 * current one. In each, a user opens the sidebar, logs in, saves a notebook and opens it from the
 * gallery, and the page never warns that a shared JupyterLab module has an unsatisfied version.
 */
import { spawnSync } from 'child_process';
import { existsSync } from 'fs';
import { join } from 'path';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, openLab, screenshot } from '../support/browser';
import {
  addUser,
  eventually,
  freePort,
  IRunning,
  OLDEST_VENV,
  startGallery,
  startJupyterLab,
  tempDir,
  VENV
} from '../support/processes';
import { logInFromSidebar, saveToGallery } from '../support/stack';

const USER = 'alice';
const PASSWORD = 'correct horse battery staple';

/** The JupyterLab version installed in `venv`, as `jupyter lab --version` prints it. */
function installedVersion(venv: string): string {
  const jupyter = join(venv, 'bin', 'jupyter');
  if (!existsSync(jupyter)) {
    throw new Error(`${venv} has no JupyterLab: scripts/test makes it (scripts/lib.sh's ensure_oldest_venv)`);
  }
  return spawnSync(jupyter, ['lab', '--version'], { encoding: 'utf8' }).stdout.trim();
}

/** Record every page error and every console message about an unsatisfied shared-module version. */
function watchForProblems(page: Page): string[] {
  const problems: string[] = [];
  page.on('console', message => {
    if (message.text().includes('Unsatisfied version')) {
      problems.push(`console ${message.type()}: ${message.text()}`);
    }
  });
  page.on('pageerror', error => problems.push(`page error: ${error.message}`));
  return problems;
}

describe('the wheel in the oldest supported and the current JupyterLab', () => {
  const ports: Record<string, number> = {};
  let gallery: IRunning;
  let browser: Browser;

  beforeAll(async () => {
    const dataDir = tempDir('data');
    addUser(dataDir, USER, PASSWORD);
    ports.oldest = await freePort();
    ports.current = await freePort();
    // One gallery serves both JupyterLabs, so it allows both origins.
    gallery = await startGallery(dataDir, [`http://127.0.0.1:${ports.oldest}`, `http://127.0.0.1:${ports.current}`]);
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await gallery?.stop();
  });

  it.each([
    ['oldest', OLDEST_VENV],
    ['current', VENV]
  ])('%s JupyterLab: sidebar, log in, save, open, without an unsatisfied shared module', async (label, venv) => {
    const version = installedVersion(venv);
    expect(version).toMatch(/^4\.\d+\.\d+$/);
    const workspace = tempDir('workspace');
    const lab = await startJupyterLab(workspace, gallery.url, ports[label], venv);
    const page = await browser.newPage();
    try {
      const problems = watchForProblems(page);
      await openLab(page, lab.url);
      expect(await page.evaluate(() => (window as any).jupyterapp.version)).toBe(version);

      const sidebar = await logInFromSidebar(page, USER, PASSWORD);
      await page.evaluate(() =>
        (window as any).jupyterapp.commands.execute('notebook:create-new', { kernelName: 'python3' })
      );
      const notebook = page.locator('.jp-NotebookPanel:not(.lm-mod-hidden)');
      await notebook.locator('.jp-Cell .cm-content').first().click();
      await page.keyboard.type(`print("saved from JupyterLab ${version}")`);

      const title = `Smoke ${label}`;
      await saveToGallery(page, notebook, title);
      const item = sidebar.getByRole('button', { name: new RegExp(`^${title}`) });
      await item.waitFor({ timeout: 30000 });

      await item.click();
      const slug = `smoke-${label}`;
      await page.locator(`.lm-TabBar-tab[title*="${slug}.ipynb"]`).first().waitFor({ timeout: 30000 });
      const copyPath = join(workspace, 'gallery', `${slug}.ipynb`);
      await eventually(`${copyPath} to be written`, () => existsSync(copyPath));
      const copyPanel = page.locator('.jp-NotebookPanel:not(.lm-mod-hidden)');
      await copyPanel.locator('.jp-Cell').first().waitFor();
      expect(await copyPanel.locator('.jp-Cell .cm-content').first().innerText()).toContain(
        `saved from JupyterLab ${version}`
      );

      expect(problems).toEqual([]);
    } catch (error) {
      await screenshot(page, `jupyterlab-${label}`);
      throw error;
    } finally {
      await page.close();
      await lab.stop();
    }
  });
});

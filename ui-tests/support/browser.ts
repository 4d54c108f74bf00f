import { Browser, chromium, Page } from 'playwright-core';
import { copyFileSync, mkdirSync } from 'fs';
import { join } from 'path';
import { ROOT } from './processes';

/** Debian's Chromium; never a downloaded browser. */
export const CHROMIUM = '/usr/bin/chromium';
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-sync'
];

/** Launch Chromium the way this machine allows. */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: ARGS });
}

/** Open JupyterLab and wait until its plugins have started, the layout is restored and the launcher has the focus. */
export async function openLab(page: Page, labUrl: string): Promise<void> {
  await page.goto(`${labUrl}/lab?reset`);
  await page.waitForFunction(() => Boolean((window as unknown as { jupyterapp?: unknown }).jupyterapp), null, {
    timeout: 60000
  });
  await page.evaluate(async () => {
    const app = (window as unknown as { jupyterapp: { started: Promise<void>; restored: Promise<void> } }).jupyterapp;
    await app.started;
    await app.restored;
  });
  // After `restored`, JupyterLab opens a launcher in the empty main area and activates it a moment later, which
  // focuses it. A dialog opened before that loses its focus to the dialog's first field (JupyterLab's focus trap):
  // text typed into a dialog box in that instant went to the wrong field. Start once the launcher has the focus.
  await page.waitForFunction(
    () => {
      const shell = (window as unknown as { jupyterapp: { shell: { currentWidget: { node: HTMLElement } | null } } })
        .jupyterapp.shell;
      const current = shell.currentWidget;
      return current !== null && current.node.querySelector('.jp-Launcher')?.contains(document.activeElement) === true;
    },
    null,
    { timeout: 60000 }
  );
}

/** Keep a screenshot of a failing step for whoever reads the CI log. */
export async function screenshot(page: Page, name: string): Promise<string> {
  const dir = join(__dirname, '..', 'artifacts');
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

/**
 * Keep a screenshot for the user guide (docs/images/`name`.png) as well as for the CI log, without the
 * notifications over it.
 */
export async function docScreenshot(page: Page, name: string): Promise<void> {
  for (const close of await page.locator('.jp-Notification-Toast-Close').all()) {
    // Dispatched, not clicked: a modal dialog may cover the toast.
    await close.dispatchEvent('click');
  }
  await page.waitForFunction(() => !document.querySelector('.Toastify__toast'));
  const path = await screenshot(page, name);
  const docs = join(ROOT, 'docs', 'images');
  mkdirSync(docs, { recursive: true });
  copyFileSync(path, join(docs, `${name}.png`));
}

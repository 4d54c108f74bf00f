import type { Locator, Page } from 'playwright-core';

/** The sources of the open notebook's cells, as its editors show them. */
export async function cellSources(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const panel = (window as any).jupyterapp.shell.currentWidget;
    return panel.context.model
      .toJSON()
      .cells.map((cell: { source: string | string[] }) =>
        Array.isArray(cell.source) ? cell.source.join('') : cell.source
      );
  });
}

/** Wait until the current notebook's kernel has reported its language details, the moment a copy used to turn dirty. */
export async function waitForKernelInfo(page: Page): Promise<void> {
  await page.waitForFunction(
    () => {
      const panel = (window as any).jupyterapp.shell.currentWidget;
      return Boolean(panel?.context?.model?.getMetadata('language_info')?.version);
    },
    null,
    { timeout: 60000 }
  );
}

/** Switch JupyterLab's theme and wait until it is applied. */
export async function useTheme(page: Page, theme: 'light' | 'dark'): Promise<void> {
  await page.evaluate(
    name => (window as any).jupyterapp.commands.execute('apputils:change-theme', { theme: name }),
    theme === 'dark' ? 'JupyterLab Dark' : 'JupyterLab Light'
  );
  await page.locator(`body[data-jp-theme-light="${theme === 'light'}"]`).waitFor({ state: 'attached' });
  // JupyterLab covers the page with its splash while the new theme's styles load.
  await page.locator('#jupyterlab-splash').waitFor({ state: 'detached' });
}

/** The tab of the notebook at `path` (relative to the workspace). */
export function notebookTab(page: Page, path: string): Locator {
  return page.locator(`.lm-TabBar-tab[title*="${path.split('/').pop()}"]`).first();
}

/** Whether a tab shows unsaved changes. */
export async function isMarkedModified(tab: Locator): Promise<boolean> {
  return ((await tab.getAttribute('class')) ?? '').split(/\s+/).includes('jp-mod-dirty');
}

/** Put the cursor at the end of cell `index` of the current notebook and type `text`. */
export async function appendToCell(page: Page, index: number, text: string): Promise<void> {
  const editor = page.locator('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-Cell .cm-content').nth(index);
  await editor.click();
  await page.keyboard.press('Control+End');
  await page.keyboard.type(text);
}

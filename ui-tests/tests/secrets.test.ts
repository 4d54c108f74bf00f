/**
 * Browser test of issue 19's secret check in JupyterLab: a notebook holding a (fake) AWS key. Save to Gallery lists
 * the finding (cell, line, masked value, never the key); the user either fixes the cell through the Fix button and
 * saves a revision without the key, or marks it "Not a secret" and the save goes through. Then the same by keyboard
 * only. The screenshots of the dialog, light and dark, are the ones docs/user-guide.md shows.
 */
import { readFileSync } from 'fs';
import { join } from 'path';
import type { Locator, Page, Request } from 'playwright-core';
import { docScreenshot, openLab, screenshot } from '../support/browser';
import { writeNotebook } from '../support/galleryApi';
import { useTheme } from '../support/notebookPage';
import { git } from '../support/processes';
import { IStack, logInFromSidebar, startStack } from '../support/stack';

const PASSWORD = 'a long enough passphrase';
/** Shaped like an AWS access key ID and built from parts, so that no scanner flags this file. */
const KEY = ['AKIA', 'Z3Q7XK2M', '6PLR4TWB'].join('');
/** The masked form the dialog shows: the first four and last four characters. */
const MASKED = /AKIA…4TWB/;
const SOURCES = ['import boto3', `# connect to the bucket\ns3 = boto3.client("s3", aws_access_key_id="${KEY}")`];
const PLACE = 'Cell 2 (“connect to the bucket”), line 2';

describe('possible secrets in the save dialog', () => {
  let stack: IStack;
  let page: Page;

  beforeAll(async () => {
    stack = await startStack({ alice: PASSWORD });
    page = await stack.browser.newPage({ viewport: { width: 1280, height: 860 } });
    await openLab(page, stack.lab.url);
    await logInFromSidebar(page, 'alice', PASSWORD);
  }, 180000);

  afterAll(async () => {
    await stack?.stop();
  });

  afterEach(async () => {
    await screenshot(page, 'secrets-last-step');
    // A dialog a failed test left open would block the next test's clicks.
    if (await page.locator('.jp-Dialog').count()) {
      await page.keyboard.press('Escape');
    }
  });

  /** Write `path` with the key in cell 2, open it, and open Save to Gallery from its toolbar. */
  async function openAndSave(path: string): Promise<{ notebook: Locator; dialog: Locator }> {
    writeNotebook(stack.workspace, path, SOURCES);
    // The command resolves with the widget, which cannot cross to the test: return nothing.
    await page.evaluate(async file => {
      await (window as any).jupyterapp.commands.execute('docmanager:open', { path: file });
    }, path);
    const notebook = page.locator('.jp-NotebookPanel:not(.lm-mod-hidden)');
    await notebook.locator('.jp-Cell').nth(1).waitFor();
    await notebook.locator('.jp-Toolbar [data-command="gallery:save"]').click();
    const dialog = page.locator('.jp-Dialog');
    await dialog.getByRole('list', { name: 'Possible secrets in this notebook' }).waitFor();
    return { notebook, dialog };
  }

  /** The gallery repository of the notebook saved from `path`, from the provenance the save wrote into the file. */
  function repoOf(path: string): string {
    const id: string = JSON.parse(readFileSync(join(stack.workspace, path), 'utf8')).metadata.gallery.id;
    return join(stack.dataDir, 'repos', id.slice(0, 2), `${id}.git`);
  }

  it('shows the finding without the key; Fix in notebook goes to the line, and the fixed notebook saves', async () => {
    const { notebook, dialog } = await openAndSave('bucket.ipynb');
    const item = dialog.getByRole('listitem');
    await expect(item.count()).resolves.toBe(1);
    const text = await item.innerText();
    expect(text).toContain(PLACE);
    expect(text).toContain('AWS access key ID');
    expect(text).toMatch(MASKED);
    expect(await dialog.innerText()).not.toContain(KEY);
    await dialog.getByText('The gallery found 1 possible secret. 1 still needs your decision.').waitFor();
    const save = dialog.getByRole('button', { name: 'Save to Gallery' });
    expect(await save.isDisabled()).toBe(true);
    await dialog.getByText('Saving is off until you deal with the possible secret above').waitFor();

    await dialog.getByLabel('Title').fill('Bucket report');
    await docScreenshot(page, 'secret-found-light');
    await useTheme(page, 'dark');
    await docScreenshot(page, 'secret-found-dark');
    await useTheme(page, 'light');

    // Fix: the dialog closes and the cursor is on line 2 of cell 2, where the key is.
    await dialog.getByRole('button', { name: 'Fix in notebook' }).click();
    await dialog.waitFor({ state: 'detached' });
    const where = await page.waitForFunction(() => {
      const panel = (window as any).jupyterapp.shell.currentWidget;
      const cell = panel?.content?.activeCell;
      const focused = cell?.editor?.hasFocus?.();
      return focused ? { index: panel.content.activeCellIndex, line: cell.editor.getCursorPosition().line } : null;
    });
    expect(await where.jsonValue()).toEqual({ index: 1, line: 1 });

    // The user replaces the line where the cursor is, then saves again: what they typed before is still there.
    await page.keyboard.press('End');
    await page.keyboard.press('Shift+Home');
    await page.keyboard.type('s3 = boto3.client("s3")  # the key comes from the environment');
    await notebook.locator('.jp-Toolbar [data-command="gallery:save"]').click();
    await expect(dialog.getByLabel('Title').inputValue()).resolves.toBe('Bucket report');
    expect(await dialog.locator('.jp-NotebookGallery-secrets').isHidden()).toBe(true);
    await dialog.getByRole('button', { name: 'Save to Gallery' }).click();
    await dialog.waitFor({ state: 'detached' });
    await page.getByText('Saved “Bucket report” to the gallery (version 1).').first().waitFor();

    const committed = git(repoOf('bucket.ipynb'), 'show', 'main:notebook.ipynb');
    expect(committed).toContain('the key comes from the environment');
    expect(committed).not.toContain(KEY);
  });

  it('saves once the finding is marked “Not a secret”, sending its fingerprint and not the key as a decision', async () => {
    const bodies: string[] = [];
    const record = (request: Request): void => {
      if (request.method() === 'POST' && request.url() === `${stack.gallery.url}/api/notebooks`) {
        bodies.push(request.postData() ?? '');
      }
    };
    page.on('request', record);
    const { dialog } = await openAndSave('example-key.ipynb');
    await dialog.getByLabel('Title').fill('Example key');
    await dialog.getByRole('checkbox', { name: 'Not a secret' }).check();
    await dialog.getByText('The gallery found 1 possible secret. All are marked “Not a secret”.').waitFor();
    await dialog.getByRole('button', { name: 'Save to Gallery' }).click();
    await dialog.waitFor({ state: 'detached' });
    await page.getByText('Saved “Example key” to the gallery (version 1).').first().waitFor();
    page.off('request', record);

    expect(bodies).toHaveLength(1);
    const body = JSON.parse(bodies[0]);
    expect(body.confirmedSecrets).toEqual([expect.stringMatching(/^[0-9a-f]{64}$/)]);
    expect(body.confirmedSecrets[0]).not.toContain(KEY);
    // Marked as not a secret, the value is saved as the user wrote it.
    expect(git(repoOf('example-key.ipynb'), 'show', 'main:notebook.ipynb')).toContain(KEY);
  });

  it('works with the keyboard alone: Tab to the checkbox, Space ticks it, Enter on Save saves', async () => {
    const { dialog } = await openAndSave('keyboard.ipynb');
    // The dialog focuses the title.
    const titleId = await dialog.getByLabel('Title').getAttribute('id');
    await expect(page.evaluate(() => document.activeElement?.id)).resolves.toBe(titleId);
    await page.keyboard.press('Control+a');
    await page.keyboard.type('Keyboard only');
    const reached: string[] = [];
    const focused = (): Promise<string> =>
      page.evaluate(() => {
        const active = document.activeElement as HTMLElement;
        return `${active.tagName.toLowerCase()}:${active.textContent || active.getAttribute('type') || ''}`;
      });
    for (let tab = 0; tab < 10 && !reached.includes('input:checkbox'); tab++) {
      await page.keyboard.press('Tab');
      reached.push(await focused());
    }
    // Past Cancel (Save is off) Tab wraps to the list above the form; Fix in notebook comes before its checkbox.
    expect(reached.indexOf('button:Fix in notebook')).toBeGreaterThanOrEqual(0);
    expect(reached.indexOf('button:Fix in notebook')).toBeLessThan(reached.indexOf('input:checkbox'));
    const box = dialog.getByRole('checkbox', { name: 'Not a secret' });
    // Enter on the checkbox ticks it (and does not press the dialog's default button); Space unticks and ticks.
    await page.keyboard.press('Enter');
    expect(await box.isChecked()).toBe(true);
    await page.keyboard.press('Space');
    expect(await box.isChecked()).toBe(false);
    await page.keyboard.press('Space');
    expect(await box.isChecked()).toBe(true);
    const save = dialog.getByRole('button', { name: 'Save to Gallery' });
    for (let tab = 0; tab < 8 && (await focused()) !== 'button:Save to Gallery'; tab++) {
      await page.keyboard.press('Tab');
    }
    expect(await focused()).toBe('button:Save to Gallery');
    expect(await save.isDisabled()).toBe(false);
    await page.keyboard.press('Enter');
    await dialog.waitFor({ state: 'detached' });
    await page.getByText('Saved “Keyboard only” to the gallery (version 1).').first().waitFor();
  });
});

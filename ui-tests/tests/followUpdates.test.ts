/**
 * Copies that follow updates (issue 8, browser tests 4 and 5): a student's copy of a course notebook learns that
 * the instructor published a newer version. An edited copy takes the instructor's changes to other cells and keeps
 * the student's own edit; an unedited copy updates by itself on open when the course hub turns that on.
 */
import { existsSync, readFileSync } from 'fs';
import { join } from 'path';
import type { Page } from 'playwright-core';
import { docScreenshot, openLab, screenshot } from '../support/browser';
import { codeNotebook, GalleryApi } from '../support/galleryApi';
import {
  appendToCell,
  cellSources,
  isMarkedModified,
  notebookTab,
  useTheme,
  waitForKernelInfo
} from '../support/notebookPage';
import { eventually } from '../support/processes';
import { IStack, logInFromSidebar, startStack } from '../support/stack';

const PASSWORD = 'a long enough passphrase';

describe('copies that follow the gallery', () => {
  let stack: IStack;
  let instructor: GalleryApi;
  let student: Page;

  beforeAll(async () => {
    stack = await startStack({ alice: PASSWORD, sam: PASSWORD });
    instructor = await GalleryApi.login(stack.gallery.url, 'alice', PASSWORD);
    student = await (await stack.browser.newContext()).newPage();
  });

  afterAll(async () => {
    await stack?.stop();
  });

  afterEach(async () => {
    await screenshot(student, expect.getState().currentTestName?.replace(/\W+/g, '-') ?? 'follow');
  });

  /** Publish a course notebook everyone can read; returns its id. */
  async function publish(title: string, sources: string[]): Promise<string> {
    const created = await instructor.call('POST', '/api/notebooks', {
      notebook: codeNotebook(sources),
      title,
      visibility: 'public'
    });
    return created.id;
  }

  /** Open the student's copy of `title` from the sidebar, and wait until its kernel is up. */
  async function openCopy(title: string, path: string): Promise<void> {
    const sidebar = student.locator('#notebook-gallery-sidebar');
    await sidebar.getByRole('button', { name: 'Refresh the gallery' }).click();
    await sidebar.getByRole('button', { name: new RegExp(`^${title}`) }).click();
    await notebookTab(student, path).waitFor({ timeout: 30000 });
    await waitForKernelInfo(student);
  }

  function fileSources(path: string): string[] {
    const notebook = JSON.parse(readFileSync(join(stack.workspace, path), 'utf8'));
    return notebook.cells.map((cell: { source: string | string[] }) =>
      Array.isArray(cell.source) ? cell.source.join('') : cell.source
    );
  }

  /** The text of each cell's outputs in the file, as the user would read it. */
  function fileOutputs(path: string): string[][] {
    const notebook = JSON.parse(readFileSync(join(stack.workspace, path), 'utf8'));
    return notebook.cells.map((cell: { outputs?: { text?: string | string[]; data?: Record<string, unknown> }[] }) =>
      (cell.outputs ?? []).map(output => {
        const text = output.text ?? output.data?.['text/plain'] ?? '';
        return Array.isArray(text) ? text.join('') : String(text);
      })
    );
  }

  it('merges the instructor’s update into an edited copy and keeps the student’s edit', async () => {
    const id = await publish('Week 1', ['data = load("week1.csv")', 'data.describe()', 'answer = None']);
    await openLab(student, stack.lab.url);
    await logInFromSidebar(student, 'sam', PASSWORD);
    await openCopy('Week 1', 'gallery/week-1.ipynb');
    expect(await isMarkedModified(notebookTab(student, 'gallery/week-1.ipynb'))).toBe(false);

    // Sam answers in the last cell and saves locally.
    await appendToCell(student, 2, '  # sam: 42');
    const localSave = student.waitForResponse(
      response => response.request().method() === 'PUT' && response.url().includes('/api/contents/gallery/week-1.ipynb')
    );
    await student.keyboard.press('Control+s');
    expect((await localSave).ok()).toBe(true);

    // The instructor fixes the first cell. Coming back to the copy shows the update on the toolbar and the
    // sidebar's item, without a refresh: focus asks the gallery at most once per notebook in 20 s, so within a
    // minute of the copy's opening check.
    await instructor.saveSources(
      id,
      ['data = load("week1-fixed.csv")', 'data.describe()', 'answer = None'],
      'fix path'
    );
    const sidebar = student.locator('#notebook-gallery-sidebar');
    const toolbarUpdate = student.locator(
      '.jp-NotebookPanel:not(.lm-mod-hidden) .jp-Toolbar [data-command="gallery:update"]:not(.lm-mod-hidden)'
    );
    const notebook = student.locator('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook');
    await eventually(
      'Update available on the copy after focusing it',
      async () => {
        // Away and back: focus that stays in the copy is no new focus.
        await notebook.blur();
        await notebook.focus();
        return toolbarUpdate.isVisible();
      },
      60_000
    );
    await sidebar.getByRole('button', { name: 'Update available: update your copy of Week 1' }).waitFor();
    await docScreenshot(student, 'update-available-light');
    await useTheme(student, 'dark');
    await docScreenshot(student, 'update-available-dark');
    await useTheme(student, 'light');

    await toolbarUpdate.click();
    const dialog = student.locator('.jp-Dialog');
    await dialog.getByText('Update “Week 1” to version 2?').waitFor();
    await docScreenshot(student, 'update-choice');
    await dialog.getByRole('button', { name: 'Merge into my copy' }).click();
    await student
      .getByText('Merged the gallery’s version 2 of “Week 1” into your copy; your edits are kept.')
      .first()
      .waitFor();

    const merged = ['data = load("week1-fixed.csv")', 'data.describe()', 'answer = None  # sam: 42'];
    expect(await cellSources(student)).toEqual(merged);
    expect(fileSources('gallery/week-1.ipynb')).toEqual(merged);
    const latest = await instructor.call('GET', `/api/notebooks/${id}`);
    const file = JSON.parse(readFileSync(join(stack.workspace, 'gallery/week-1.ipynb'), 'utf8'));
    expect(file.metadata.gallery.revision).toBe(latest.revision);
    expect(await isMarkedModified(notebookTab(student, 'gallery/week-1.ipynb'))).toBe(false);
    await sidebar
      .getByRole('button', { name: 'Update available: update your copy of Week 1' })
      .waitFor({ state: 'detached' });
    expect(await toolbarUpdate.count()).toBe(0);

    // Another update; this time Sam starts it from the sidebar, keeps the copy as it is and gets the new
    // version beside it.
    await instructor.saveSources(id, ['data = load("week1-fixed.csv")', 'data.plot()', 'answer = None'], 'plot');
    await sidebar.getByRole('button', { name: 'Refresh the gallery' }).click();
    await sidebar.getByRole('button', { name: 'Update available: update your copy of Week 1' }).click();
    await dialog.getByText('Update “Week 1” to version 3?').waitFor();
    await dialog.getByRole('button', { name: 'Keep mine and put the new version beside it' }).click();
    await notebookTab(student, 'gallery/week-1-version-3.ipynb').waitFor({ timeout: 30000 });
    expect(fileSources('gallery/week-1.ipynb')).toEqual(merged);
    expect(fileSources('gallery/week-1-version-3.ipynb')).toEqual([
      'data = load("week1-fixed.csv")',
      'data.plot()',
      'answer = None'
    ]);
    expect(existsSync(join(stack.workspace, 'gallery/week-1-version-3-2.ipynb'))).toBe(false);
    // That version is not offered again for this copy.
    await sidebar
      .getByRole('button', { name: 'Update available: update your copy of Week 1' })
      .waitFor({ state: 'detached' });
  });

  it('updates an unedited copy by itself on open when the setting is on', async () => {
    const id = await publish('Week 2', ['import math', 'print(math.e)', 'math.pi']);
    await openCopy('Week 2', 'gallery/week-2.ipynb');
    // Sam runs it and saves: the file is newer than the revision, with outputs, yet not edited.
    await student.evaluate(() => (window as any).jupyterapp.commands.execute('notebook:run-all-cells'));
    // Every cell has run (its execution count is set) before the file is saved, so nothing is left unsaved.
    await student.waitForFunction(() => {
      const cells = (window as any).jupyterapp.shell.currentWidget?.content?.widgets ?? [];
      return cells.length === 3 && cells.every((cell: any) => typeof cell.model.executionCount === 'number');
    });
    await student.locator('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-InputPrompt').first().click();
    const localSave = student.waitForResponse(
      response => response.request().method() === 'PUT' && response.url().includes('/api/contents/gallery/week-2.ipynb')
    );
    await student.keyboard.press('Control+s');
    expect((await localSave).ok()).toBe(true);
    // Saved: the tab stops showing unsaved changes (so closing it asks nothing).
    await student.locator('.lm-TabBar-tab.jp-mod-dirty[title*="week-2.ipynb"]').waitFor({ state: 'detached' });
    expect(fileOutputs('gallery/week-2.ipynb')).toEqual([
      [],
      [expect.stringContaining('2.718')],
      [expect.stringContaining('3.14')]
    ]);
    await student.evaluate(() => (window as any).jupyterapp.commands.execute('application:close-all'));
    await notebookTab(student, 'gallery/week-2.ipynb').waitFor({ state: 'detached' });

    // What a course hub's admin sets for every student.
    await student.evaluate(async serverUrl => {
      await (window as any).jupyterapp.serviceManager.settings.save(
        'jupyterlab-notebook-gallery:plugin',
        JSON.stringify({ serverUrl, autoUpdateUnedited: true })
      );
    }, stack.gallery.url);
    await openLab(student, stack.lab.url);
    await instructor.saveSources(id, ['import math', 'print(math.e)', 'round(math.pi, 2)'], 'round');

    await student.locator('.jp-SideBar [data-id="notebook-gallery-sidebar"]').click();
    await openCopy('Week 2', 'gallery/week-2.ipynb');
    await student.getByText('Updated “Week 2” to the gallery’s version 2.').first().waitFor();
    expect(await student.locator('.jp-Dialog').count()).toBe(0);
    const updated = ['import math', 'print(math.e)', 'round(math.pi, 2)'];
    expect(await cellSources(student)).toEqual(updated);
    expect(fileSources('gallery/week-2.ipynb')).toEqual(updated);
    // The unchanged cell keeps its output; the changed one has none until run again.
    expect(fileOutputs('gallery/week-2.ipynb')).toEqual([[], [expect.stringContaining('2.718')], []]);
    expect(await isMarkedModified(notebookTab(student, 'gallery/week-2.ipynb'))).toBe(false);
  });
});

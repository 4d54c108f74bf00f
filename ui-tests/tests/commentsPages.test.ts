/**
 * Browser test of issue 14's web pages: bob comments on cell 2 of alice's public notebook through the page's form,
 * mentioning carol; the comment shows beside cell 2; alice saves a revision that changes the cell and the page says
 * the comment is on an earlier version; carol's inbox lists the mention and the header counts it. axe-core checks
 * the notebook page and the inbox in light and dark; script in comments and titles never runs. The screenshots are
 * the ones docs/user-guide.md and docs/web-pages.md show. No JupyterLab: only the gallery server and Chromium.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { docScreenshot, launchBrowser, screenshot } from '../support/browser';
import { codeNotebook, GalleryApi } from '../support/galleryApi';
import { addUser, IRunning, startGallery, tempDir } from '../support/processes';

const PASSWORD = 'a long enough passphrase';
const XSS = [
  '<script>window.__xss = 1; alert("script")</script>',
  '<img src=x onerror="window.__xss = 1; alert(\'img\')">',
  '[a link](javascript:alert("link"))',
  '"><svg onload=alert("svg")>'
];
/** axe-core's rules for WCAG 2.0 and 2.1, levels A and AA. */
const WCAG = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

let gallery: IRunning;
let browser: Browser;
let alice: GalleryApi;
let notebookId: string;
let xssNotebookId: string;
/** Every dialog and console error any page opened, with the page it came from: there must be none. */
const alarms: string[] = [];

beforeAll(async () => {
  const dataDir = tempDir('comments-pages');
  for (const name of ['alice', 'bob', 'carol']) {
    addUser(dataDir, name, PASSWORD);
  }
  gallery = await startGallery(dataDir, []);
  alice = await GalleryApi.login(gallery.url, 'alice', PASSWORD);
  const sources = ['import math\nradius = 2', 'area = math.pi * radius ** 2\nprint(area)', 'print("done")'];
  notebookId = (
    await alice.call('POST', '/api/notebooks', {
      notebook: codeNotebook(sources),
      title: 'Circle area',
      description: 'How big is a circle?',
      visibility: 'public'
    })
  ).id;
  xssNotebookId = (
    await alice.call('POST', '/api/notebooks', {
      notebook: codeNotebook(['print(1)']),
      title: `Title ${XSS[1]}`,
      visibility: 'public'
    })
  ).id;
  browser = await launchBrowser();
}, 120000);

afterAll(async () => {
  await browser?.close();
  await gallery?.stop();
});

/** A browser context logged in as `username` through the gallery's login page, watching for dialogs and errors. */
async function logIn(
  username: string,
  colorScheme: 'light' | 'dark' = 'light'
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ colorScheme, viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  page.on('dialog', dialog => {
    alarms.push(`${username}: dialog "${dialog.message()}" on ${page.url()}`);
    void dialog.dismiss();
  });
  // A resource that fails is checked by its response below; the console only repeats it.
  page.on('console', message => {
    if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) {
      alarms.push(`${username}: console error "${message.text()}" on ${page.url()}`);
    }
  });
  page.on('response', response => {
    const path = new URL(response.url()).pathname;
    // No favicon is served; "x" is the image a payload points at.
    if (response.status() >= 400 && path !== '/favicon.ico' && !path.endsWith('/x')) {
      alarms.push(`${username}: ${response.status()} for ${response.url()} on ${page.url()}`);
    }
  });
  page.on('pageerror', error => alarms.push(`${username}: page error "${error.message}" on ${page.url()}`));
  await page.goto(`${gallery.url}/login?next=${encodeURIComponent('/inbox')}`);
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(PASSWORD);
  await Promise.all([page.waitForURL(`${gallery.url}/inbox`), page.getByRole('button', { name: 'Log in' }).click()]);
  return { context, page };
}

/**
 * Runs axe-core's WCAG 2.0/2.1 A and AA rules on the page, every <details> opened first so that the forms inside them
 * (comment, reply, edit, delete) are checked too; returns what it found, readably.
 */
async function axeViolations(page: Page): Promise<string[]> {
  await page.evaluate(() => document.querySelectorAll('details').forEach(details => (details.open = true)));
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const source = (require('axe-core') as { source: string }).source;
  await page.evaluate(source);
  const violations = await page.evaluate(async (tags: string[]) => {
    const axe = (window as unknown as { axe: { run(context: unknown, options: unknown): Promise<any> } }).axe;
    const result = await axe.run(document, { runOnly: { type: 'tag', values: tags } });
    return (result.violations as any[]).map(
      violation =>
        `${violation.id}: ${violation.help} (${(violation.nodes as any[]).map(node => node.target.join(' ')).join(', ')})`
    );
  }, WCAG);
  return violations;
}

/** Writes a comment on cell `number` through the page's form; returns the comment's element id. */
async function commentOnCell(page: Page, number: number, text: string): Promise<string> {
  const cell = page.locator(`#cell-${number}`);
  await cell.getByText(`Comment on cell ${number}`, { exact: true }).click();
  await cell.getByRole('textbox', { name: `Your comment on cell ${number}` }).fill(text);
  await Promise.all([
    page.waitForURL(/#comment-/),
    cell.locator('details.comment-new').getByRole('button', { name: 'Comment', exact: true }).click()
  ]);
  return new URL(page.url()).hash.slice(1);
}

it("comments beside cell 2, an earlier version after a change, the mention in carol's inbox, accessible in light and dark", async () => {
  const bob = await logIn('bob');
  const page = bob.page;
  try {
    await page.goto(`${gallery.url}/n/${notebookId}`);
    const anchor = await commentOnCell(page, 2, 'Should this use `math.tau`? @carol what do you think?');
    const comment = page.locator(`#${anchor}`);
    await comment.waitFor();
    // Beside cell 2: inside its list item, not in another cell's nor in the notebook's section.
    expect(await page.locator(`#cell-2 #${anchor}`).count()).toBe(1);
    expect(await page.locator(`#cell-1 #${anchor}, #cell-3 #${anchor}, #comments #${anchor}`).count()).toBe(0);
    expect(await comment.locator('.comment__author').first().textContent()).toBe('bob');
    expect(await comment.locator('.comment__body code').textContent()).toBe('math.tau');

    // alice changes cell 2 through the API: bob's comment is now on an earlier version, which he can read.
    await alice.saveSources(
      notebookId,
      ['import math\nradius = 2', 'area = math.tau / 2 * radius ** 2\nprint(area)', 'print("done")'],
      'Use tau'
    );
    // Another page first: going to the same page with only a new #fragment would not load it again.
    await page.goto(`${gallery.url}/inbox`);
    await page.goto(`${gallery.url}/n/${notebookId}#${anchor}`);
    await page.locator(`#cell-2 #${anchor}`).getByText('On an earlier version of this cell.').waitFor();
    await page.locator(`#${anchor}`).getByText('Show the cell as it was in revision 1').click();
    expect(await page.locator(`#${anchor} .comment__earlier-source`).textContent()).toBe(
      'area = math.pi * radius ** 2\nprint(area)'
    );
    await page.locator('#cell-2 .nb-cell__number').scrollIntoViewIfNeeded();
    await docScreenshot(page, 'comments-page-light');
    expect(await axeViolations(page)).toEqual([]);
  } catch (error) {
    await screenshot(page, 'comments-pages-bob-failure');
    throw error;
  } finally {
    await bob.context.close();
  }

  const darkBob = await logIn('bob', 'dark');
  try {
    await darkBob.page.goto(`${gallery.url}/n/${notebookId}`);
    await darkBob.page.locator('#cell-2 .comment-thread').waitFor();
    await darkBob.page.locator('#cell-2 .nb-cell__number').scrollIntoViewIfNeeded();
    await docScreenshot(darkBob.page, 'comments-page-dark');
    expect(await axeViolations(darkBob.page)).toEqual([]);
  } finally {
    await darkBob.context.close();
  }

  for (const colorScheme of ['light', 'dark'] as const) {
    const carol = await logIn('carol', colorScheme);
    try {
      const inbox = carol.page;
      // logIn ends on /inbox: the page after the login.
      await inbox.getByRole('heading', { name: 'Inbox', level: 1 }).waitFor();
      const header = inbox.getByRole('link', { name: 'Inbox, 1 unread' });
      expect(await header.textContent()).toBe('Inbox (1)');
      const events = inbox.locator('.inbox-event');
      expect(await events.count()).toBe(1);
      expect(await events.nth(0).locator('.inbox-event__line').textContent()).toContain(
        'Unread bob mentioned you in a comment on Circle area'
      );
      const link = events.nth(0).getByRole('link', { name: 'Circle area' });
      expect(await link.getAttribute('href')).toMatch(new RegExp(`^/n/${notebookId}#comment-`));
      await inbox.emulateMedia({ colorScheme });
      await docScreenshot(inbox, `inbox-page-${colorScheme}`);
      expect(await axeViolations(inbox)).toEqual([]);

      if (colorScheme === 'dark') {
        // Following the link lands on the comment, beside cell 2.
        await Promise.all([inbox.waitForURL(/#comment-/), link.click()]);
        const target = new URL(inbox.url()).hash;
        expect(await inbox.locator(`#cell-2 ${target}`).count()).toBe(1);
        await inbox.goto(`${gallery.url}/inbox`);
        await Promise.all([
          inbox.waitForURL(`${gallery.url}/inbox`),
          inbox.getByRole('button', { name: 'Mark all as read' }).click()
        ]);
        await inbox.getByRole('link', { name: 'Inbox, nothing unread' }).waitFor();
        expect(await inbox.locator('.inbox-event__unread').count()).toBe(0);
      }
    } catch (error) {
      await screenshot(carol.page, `comments-pages-carol-${colorScheme}-failure`);
      throw error;
    } finally {
      await carol.context.close();
    }
  }
  expect(alarms).toEqual([]);
});

it('fits a phone 360 px wide: the comments go below their cell, and nothing scrolls sideways', async () => {
  const { context, page } = await logIn('bob');
  try {
    await page.setViewportSize({ width: 360, height: 740 });
    for (const path of [`/n/${notebookId}`, '/inbox']) {
      await page.goto(`${gallery.url}${path}`);
      expect([path, await page.evaluate(() => document.documentElement.scrollWidth)]).toEqual([path, 360]);
    }
    await page.goto(`${gallery.url}/n/${notebookId}`);
    const cell = await page.locator('#cell-2 .nb-cell__body').boundingBox();
    const comments = await page.locator('#cell-2 .cell-comments').boundingBox();
    expect(comments && cell && comments.y >= cell.y + cell.height).toBe(true);
    await page.locator('#cell-2 .cell-comments').scrollIntoViewIfNeeded();
    await screenshot(page, 'comments-page-phone');
  } finally {
    await context.close();
  }
});

it('shows script in comments and in a notebook title as text, in the page and in the inbox, and never runs it', async () => {
  const bob = await logIn('bob');
  try {
    const page = bob.page;
    await page.goto(`${gallery.url}/n/${xssNotebookId}`);
    await commentOnCell(page, 1, XSS.join('\n\n'));
    await page.locator('#cell-1 .comment-thread').waitFor();
    await page.getByRole('textbox', { name: 'Comment on the notebook' }).fill(`@carol look ${XSS[0]}`);
    await Promise.all([
      page.waitForURL(/#comment-/),
      page.locator('.comment-new--notebook').getByRole('button', { name: 'Comment' }).click()
    ]);
    await page.locator('#comments .comment-thread').waitFor();
    expect(await page.locator('#comments .comment__body').textContent()).toContain('@carol look');
    expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
  } finally {
    await bob.context.close();
  }
  const carol = await logIn('carol');
  try {
    const event = carol.page.locator('.inbox-event').first();
    expect(await event.locator('.inbox-event__line').textContent()).toContain(
      `Unread bob mentioned you in a comment on Title ${XSS[1]}`
    );
    await carol.page.getByRole('link', { name: 'Inbox, 1 unread' }).waitFor();
    expect(await carol.page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
  } finally {
    await carol.context.close();
  }
  expect(alarms).toEqual([]);
});

it('sends an anonymous reader of /inbox to the login page, and back to the inbox after it', async () => {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    await page.goto(`${gallery.url}/inbox`);
    await page.getByLabel('Username').fill('carol');
    await page.getByLabel('Password').fill(PASSWORD);
    await Promise.all([page.waitForURL(`${gallery.url}/inbox`), page.getByRole('button', { name: 'Log in' }).click()]);
    await page.getByRole('heading', { name: 'Inbox', level: 1 }).waitFor();
  } finally {
    await context.close();
  }
});

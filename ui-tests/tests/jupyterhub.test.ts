/**
 * The gallery inside a real JupyterHub 6.1.1, configured by the block in docs/jupyterhub.md: users
 * log in to the hub only, and the sidebar knows who they are, what their hub groups may read, and
 * that a hub admin is a gallery admin. The hub runs the gallery service from the server's wheel, installed
 * into a venv with no Node on the PATH, as docs/jupyterhub.md's step 2 installs it.
 */
import { realpathSync } from 'fs';
import { join } from 'path';
import type { Browser, Locator, Page } from 'playwright-core';
import { launchBrowser, openLab, screenshot } from '../support/browser';
import { IHub, logInToHub, startHub } from '../support/hub';
import { INSTALL_TIMEOUT_MS, packagedNode, processesRunning, processExecutable, serverVenv } from '../support/hubWheel';
import { newNotebookWithCode, saveToGallery } from '../support/stack';

const PEOPLE = {
  users: ['alice', 'bob', 'carol', 'ada'],
  admins: ['ada'],
  groups: { physics: ['alice', 'carol'] }
};
const PUBLIC_TITLE = 'Orbit Demo';
const PRIVATE_TITLE = 'Ledger Secret';
const GROUP_TITLE = 'Physics Lab Notes';
const SETUP_TIMEOUT_MS = 240000;

/** Open the Gallery sidebar and wait for its list; inside a hub there is no login form to fill. */
async function openSidebar(page: Page): Promise<Locator> {
  await page.locator('.jp-SideBar [data-id="notebook-gallery-sidebar"]').click();
  const sidebar = page.locator('#notebook-gallery-sidebar');
  await sidebar.getByLabel('Search the gallery').waitFor({ timeout: 30000 });
  return sidebar;
}

async function search(sidebar: Locator, words: string): Promise<void> {
  await sidebar.getByLabel('Search the gallery').fill(words);
  await sidebar.getByLabel('Search the gallery').press('Enter');
}

/** Call the gallery service from the user's JupyterLab page with the page's own hub token, as the extension does. */
async function galleryApi(page: Page, path: string): Promise<{ status: number; body: any }> {
  return page.evaluate(async apiPath => {
    const config = JSON.parse(document.getElementById('jupyter-config-data')!.textContent!);
    const response = await fetch(`/services/gallery${apiPath}`, {
      headers: { Authorization: `token ${config.token}` }
    });
    return { status: response.status, body: await response.json() };
  }, path);
}

/** Publish a public notebook as the page's user, through the gallery service with the page's hub token. */
async function publishFromPage(page: Page, title: string, code: string): Promise<{ id: string; revision: string }> {
  return page.evaluate(
    async ({ title, code }) => {
      const config = JSON.parse(document.getElementById('jupyter-config-data')!.textContent!);
      const notebook = {
        nbformat: 4,
        nbformat_minor: 5,
        metadata: { kernelspec: { name: 'python3', display_name: 'Python 3', language: 'python' } },
        cells: [{ id: 'c0', cell_type: 'code', metadata: {}, execution_count: null, outputs: [], source: code }]
      };
      const response = await fetch('/services/gallery/api/notebooks', {
        method: 'POST',
        headers: { Authorization: `token ${config.token}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ notebook, title, visibility: 'public' })
      });
      if (!response.ok) {
        throw new Error(`publishing ${title}: ${response.status} ${await response.text()}`);
      }
      return response.json();
    },
    { title, code }
  );
}

describe('the gallery as a JupyterHub service', () => {
  let hub: IHub;
  let browser: Browser;
  const pages: Record<string, Page> = {};
  const sidebars: Record<string, Locator> = {};
  let coldStartMs = 0;
  let serverEnv: string;

  /** A person in their own browser context: the hub login, then JupyterLab with the Gallery sidebar open. */
  async function arrive(username: string): Promise<Locator> {
    const page = await (await browser.newContext()).newPage();
    pages[username] = page;
    const labUrl = await logInToHub(page, hub, username);
    await openLab(page, labUrl);
    sidebars[username] = await openSidebar(page);
    // The login form may sit hidden in the DOM; role queries see only what the user can see.
    expect(await sidebars[username].getByRole('button', { name: 'Log in', exact: true }).count()).toBe(0);
    await sidebars[username].getByText(`Logged in as ${username} through JupyterHub`).waitFor();
    return sidebars[username];
  }

  beforeAll(() => {
    // Shared with hubWheel.test.ts, which installs the wheel afresh; made here if that has not run.
    serverEnv = serverVenv();
  }, INSTALL_TIMEOUT_MS);

  beforeAll(async () => {
    const coldStart = Date.now();
    hub = await startHub(PEOPLE, join(serverEnv, 'bin', 'notebook-gallery'));
    browser = await launchBrowser();
    await arrive('alice');
    await sidebars.alice.getByText(/No notebooks in the gallery yet|not saved any notebooks yet/).waitFor();
    coldStartMs = Date.now() - coldStart;
    console.log(
      `cold JupyterHub start to the first gallery listing in the browser: ${(coldStartMs / 1000).toFixed(1)} s`
    );
  }, SETUP_TIMEOUT_MS);

  afterAll(async () => {
    await browser?.close();
    await hub?.stop();
  });

  afterEach(async () => {
    for (const [who, page] of Object.entries(pages)) {
      await screenshot(page, `jupyterhub-${who}`);
    }
  });

  it('1. lets alice save notebooks from JupyterLab with no gallery login', async () => {
    const alice = pages.alice;
    const save = async (code: string, title: string, visibility: RegExp, group?: RegExp) =>
      saveToGallery(alice, await newNotebookWithCode(alice, code), title, undefined, { visibility, group });
    await save('orbit = 2 * 3.14159', PUBLIC_TITLE, /^Public/);
    await save('ledger = {"rent": 900}', PRIVATE_TITLE, /^Private/);
    await save('g = 9.81', GROUP_TITLE, /^Group/, /physics/);
    for (const title of [PUBLIC_TITLE, PRIVATE_TITLE, GROUP_TITLE]) {
      await sidebars.alice.getByRole('button', { name: new RegExp(`^${title}`) }).waitFor();
    }
    const me = await galleryApi(alice, '/api/auth/me');
    expect(me.status).toBe(200);
    expect(JSON.stringify(me.body)).toContain('alice');
  });

  it("2. shows bob alice's public notebook, and opens a copy for him", async () => {
    const sidebar = await arrive('bob');
    const item = sidebar.getByRole('button', { name: new RegExp(`^${PUBLIC_TITLE}`) });
    await item.waitFor();
    await item.click();
    await pages.bob.locator('.lm-TabBar-tab[title*="orbit-demo.ipynb"]').first().waitFor({ timeout: 30000 });
    const copy = pages.bob.locator('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-Cell .cm-content').first();
    expect(await copy.innerText()).toContain('orbit = 2 * 3.14159');
  });

  it("3. hides alice's private notebook from bob, in the list and in search", async () => {
    const sidebar = sidebars.bob;
    await search(sidebar, 'ledger');
    await sidebar.getByText(/No notebooks match/).waitFor();
    await search(sidebar, '');
    await sidebar.getByRole('button', { name: new RegExp(`^${PUBLIC_TITLE}`) }).waitFor();
    expect(await sidebar.getByRole('button', { name: new RegExp(PRIVATE_TITLE) }).count()).toBe(0);
  });

  it("4. shows the physics group's notebook to carol, a member, and not to bob", async () => {
    const carol = await arrive('carol');
    await carol.getByRole('button', { name: new RegExp(`^${GROUP_TITLE}`) }).waitFor();
    expect(await carol.getByRole('button', { name: new RegExp(PRIVATE_TITLE) }).count()).toBe(0);
    expect(await sidebars.bob.getByRole('button', { name: new RegExp(GROUP_TITLE) }).count()).toBe(0);
    await search(sidebars.bob, 'physics lab');
    await sidebars.bob.getByText(/No notebooks match/).waitFor();
  });

  it('5. makes ada, a hub admin, a gallery admin', async () => {
    await arrive('ada');
    const listed = await galleryApi(pages.alice, '/api/notebooks');
    const secret = (listed.body.items as { id: string; title: string }[]).find(n => n.title === PRIVATE_TITLE);
    expect(secret).toBeDefined();
    // Only an admin reads another user's private notebook and the audit log.
    expect((await galleryApi(pages.ada, `/api/notebooks/${secret!.id}`)).status).toBe(200);
    expect((await galleryApi(pages.bob, `/api/notebooks/${secret!.id}`)).status).toBe(404);
    expect((await galleryApi(pages.ada, '/api/admin/audit')).status).toBe(200);
    expect((await galleryApi(pages.bob, '/api/admin/audit')).status).toBe(403);
  });

  it('6. refuses a real hub token without the access scope with 403 and the documented message', async () => {
    const token = await hub.issueToken('bob', ['read:users:name!user=bob']);
    const response = await fetch(`${hub.url}/services/gallery/api/notebooks`, {
      headers: { Authorization: `token ${token}` }
    });
    expect(response.status).toBe(403);
    const body = (await response.json()) as { error: string; message: string };
    expect(body.error).toBe('HUB_ACCESS_DENIED');
    expect(body.message).toMatch(/^Ask your JupyterHub administrator for access to the gallery/);
  });

  it("7. leaves the hub's log free of deprecated settings, the data folder warning and the gallery's routine requests", () => {
    const log = hub.output();
    // The hub's own warnings read `[W <date> JupyterHub <module>:<line>] …`; the users' servers log under other names.
    expect(log.match(/^\[W [^\]]*JupyterHub [^\]]*\].*(deprecated|not recognized).*$/gm) ?? []).toEqual([]);
    expect(log).not.toMatch(/chmod 700/);
    // The gallery's JSON lines: requests that went well are logged at debug, below the default level (info, 30).
    const routine = log
      .split('\n')
      .filter(line => line.startsWith('{"level":'))
      .map(line => JSON.parse(line) as { level: number; reqId?: string; statusCode?: number; msg: string })
      .filter(line => line.reqId !== undefined && line.level <= 30 && (line.statusCode ?? 0) < 400);
    expect(routine).toEqual([]);
    expect(log).toMatch(/"statusCode":403/);
  });

  it("8. opens bob's copy in bob's own server from a link through /hub/user-redirect", async () => {
    const { id, revision } = await publishFromPage(pages.alice, 'Hub Link Demo', 'link = "from the hub"');
    const bob = pages.bob;
    // What the gallery page's Open in JupyterLab sends a hub user to: the hub finds bob's server.
    await bob.goto(`${hub.url}/hub/user-redirect/lab?gallery=${id}&revision=${revision}`);
    await bob.waitForURL(/\/user\/bob\/lab/, { timeout: 60000 });
    await bob.locator('.lm-TabBar-tab[title*="hub-link-demo.ipynb"]').first().waitFor({ timeout: 60000 });
    expect(new URL(bob.url()).search).toBe('');
    // The copy is a file in bob's server, recorded as a copy of alice's notebook.
    const copy = await bob.evaluate(async () => {
      const config = JSON.parse(document.getElementById('jupyter-config-data')!.textContent!);
      const response = await fetch(`${config.baseUrl}api/contents/gallery/hub-link-demo.ipynb`, {
        headers: { Authorization: `token ${config.token}` }
      });
      return { status: response.status, body: await response.json() };
    });
    expect(copy.status).toBe(200);
    expect(copy.body.content.metadata.gallery).toMatchObject({ id, revision });
    expect(copy.body.content.cells[0].source).toBe('link = "from the hub"');
  });

  it("9. runs the gallery service from the server wheel, on the wheel's own Node", () => {
    expect(hub.output()).toContain("Starting service 'gallery': ['notebook-gallery', 'serve']");
    // The one gallery server running from that venv is the packaged Node itself, though node is on the hub's PATH.
    const servers = processesRunning(join(serverEnv, 'lib'));
    expect(servers).toHaveLength(1);
    expect(processExecutable(servers[0])).toBe(realpathSync(packagedNode(serverEnv)));
  });
});

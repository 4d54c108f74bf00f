import { spawn } from 'child_process';
import { randomBytes } from 'crypto';
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'fs';
import { join } from 'path';
import type { Page } from 'playwright-core';
import { CLI, freePort, IRunning, ROOT, stopper, tempDir, track, VENV, waitFor } from './processes';

/** The page an admin follows; the test runs its `jupyterhub_config.py` blocks, so the two cannot drift. */
export const HUB_DOC = join(ROOT, 'docs', 'jupyterhub.md');
/** The first try's minimal hub (authenticator, spawner, bind address), then the gallery's lines. */
const MARKERS = ['<!-- jupyterhub_config_first_try -->', '<!-- jupyterhub_config -->'];

/** The ```python block right after `marker` in docs/jupyterhub.md. */
export function documentedHubConfig(marker: string, markdown: string = readFileSync(HUB_DOC, 'utf8')): string {
  const at = markdown.indexOf(marker);
  if (at < 0) {
    throw new Error(`${HUB_DOC}: no ${marker} marker`);
  }
  const match = /^\s*```python\n([\s\S]*?)\n```/.exec(markdown.slice(at + marker.length));
  if (!match) {
    throw new Error(`${HUB_DOC}: the marker ${marker} must be followed by a \`\`\`python block`);
  }
  return match[1];
}

/** Who exists in the test hub: users with their hub groups, and the hub's admins. */
export interface IHubUsers {
  users: string[];
  admins: string[];
  groups: Record<string, string[]>;
}

/** A running JupyterHub with the gallery as its managed service. */
export interface IHub extends IRunning {
  /** The gallery service's data folder (`GALLERY_DATA_DIR`). */
  galleryDataDir: string;
  /** The password `username` logs in with (SharedPasswordAuthenticator's: one for users, one for admins). */
  passwordOf: (username: string) => string;
  /**
   * Issue a hub API token for `username` with only `scopes`, through the hub's REST API, as an admin
   * would; the test's own `tester` service holds the `tokens` scope for it.
   */
  issueToken: (username: string, scopes: string[]) => Promise<string>;
}

const py = (value: unknown): string => JSON.stringify(value);

/**
 * Start a real JupyterHub from `.venv` on free loopback ports: the documented config plus only what a
 * test needs (ports, temp folders, the passwords, the users). `notebookGallery` is the `notebook-gallery`
 * the hub finds on its PATH: the server wheel's (ui-tests/support/hubWheel.ts), or by default this
 * checkout's CLI, as `npm install -g` would put it there.
 */
export async function startHub(people: IHubUsers, notebookGallery: string = CLI): Promise<IHub> {
  const dir = tempDir('hub');
  const galleryDataDir = join(dir, 'gallery');
  const homes = join(dir, 'home');
  const bin = join(dir, 'bin');
  // As docs/jupyterhub.md says (install -d -m 700): a folder open to others makes the gallery warn at every start.
  mkdirSync(galleryDataDir, { mode: 0o700 });
  mkdirSync(bin);
  // Only `notebook-gallery` from wherever it was installed, not the rest of that environment's bin/.
  symlinkSync(notebookGallery, join(bin, 'notebook-gallery'));
  for (const user of people.users) {
    // No news pop-up over the page: this machine has no internet to fetch news from.
    const settings = join(homes, user, '.jupyter', 'lab', 'user-settings', '@jupyterlab', 'apputils-extension');
    mkdirSync(settings, { recursive: true });
    writeFileSync(join(settings, 'notification.jupyterlab-settings'), JSON.stringify({ fetchNews: 'false' }));
  }
  const [proxyPort, proxyApiPort, hubPort, galleryPort] = [
    await freePort(),
    await freePort(),
    await freePort(),
    await freePort()
  ];
  const password = 'hub test password';
  // SharedPasswordAuthenticator wants an admin password of 32 characters or more, unlike the users'.
  const adminPassword = 'hub test password for the admins only';
  const root = process.getuid?.() === 0;
  const testerToken = randomBytes(32).toString('hex');
  const testLines = [
    `c.JupyterHub.services.append({"name": "tester", "api_token": ${py(testerToken)}})`,
    'c.JupyterHub.load_roles.append({"name": "tester", "scopes": ["tokens", "read:users:name"], "services": ["tester"]})',
    `c.JupyterHub.services[0]["url"] = ${py(`http://127.0.0.1:${galleryPort}`)}`,
    `c.JupyterHub.services[0]["environment"]["GALLERY_DATA_DIR"] = ${py(galleryDataDir)}`,
    `c.JupyterHub.bind_url = ${py(`http://127.0.0.1:${proxyPort}`)}`,
    'c.JupyterHub.hub_ip = "127.0.0.1"',
    `c.JupyterHub.hub_port = ${hubPort}`,
    `c.ConfigurableHTTPProxy.api_url = ${py(`http://127.0.0.1:${proxyApiPort}`)}`,
    `c.JupyterHub.db_url = ${py(`sqlite:///${join(dir, 'jupyterhub.sqlite')}`)}`,
    `c.JupyterHub.cookie_secret_file = ${py(join(dir, 'cookie_secret'))}`,
    `c.SharedPasswordAuthenticator.user_password = ${py(password)}`,
    `c.SharedPasswordAuthenticator.admin_password = ${py(adminPassword)}`,
    `c.Authenticator.allowed_users = set(${py(people.users)})`,
    `c.Authenticator.admin_users = set(${py(people.admins)})`,
    `c.JupyterHub.load_groups = ${py(Object.fromEntries(Object.entries(people.groups).map(([g, users]) => [g, { users }])))}`,
    `c.SimpleLocalProcessSpawner.home_dir_template = ${py(join(homes, '{username}'))}`,
    'c.Spawner.default_url = "/lab"',
    'c.Spawner.start_timeout = 120',
    // window.jupyterapp lets the test wait for JupyterLab to finish starting.
    `c.Spawner.args = ${py(['--LabApp.expose_app_in_browser=True', ...(root ? ['--allow-root'] : [])])}`
  ];
  const configFile = join(dir, 'jupyterhub_config.py');
  const documented = MARKERS.map(marker => documentedHubConfig(marker)).join('\n\n');
  writeFileSync(configFile, `${documented}\n\n# Test-only settings\n${testLines.join('\n')}\n`);
  const child = spawn(join(VENV, 'bin', 'jupyterhub'), ['-f', configFile], {
    cwd: dir,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      // The hub finds configurable-http-proxy, jupyterhub-singleuser and notebook-gallery here.
      PATH: [bin, join(VENV, 'bin'), join(ROOT, 'node_modules', '.bin'), process.env.PATH].join(':')
    }
  });
  const output = track(child);
  const stop = stopper(child);
  const url = `http://127.0.0.1:${proxyPort}`;
  try {
    await waitFor('JupyterHub', child, output, async () => {
      try {
        return (await fetch(`${url}/hub/health`)).ok && (await fetch(`${url}/services/gallery/healthz`)).ok;
      } catch {
        return false;
      }
    });
  } catch (error) {
    // The caller never gets a handle to stop a hub that did not come up: stop it (and its service) here.
    await stop();
    throw error;
  }
  const issueToken = async (username: string, scopes: string[]): Promise<string> => {
    const response = await fetch(`${url}/hub/api/users/${username}/tokens`, {
      method: 'POST',
      headers: { Authorization: `token ${testerToken}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ scopes, note: 'jupyterhub.test.ts' })
    });
    if (!response.ok) {
      throw new Error(`the hub refused a token for ${username}: ${response.status} ${await response.text()}`);
    }
    return ((await response.json()) as { token: string }).token;
  };
  const passwordOf = (username: string): string => (people.admins.includes(username) ? adminPassword : password);
  return { url, process: child, output, stop, galleryDataDir, passwordOf, issueToken };
}

/** Log in on the hub's own form and wait for the user's JupyterLab; returns the lab's URL (`…/user/<name>`). */
export async function logInToHub(page: Page, hub: IHub, username: string): Promise<string> {
  await page.goto(`${hub.url}/hub/login`);
  await page.locator('#username_input').fill(username);
  await page.locator('#password_input').fill(hub.passwordOf(username));
  await page.locator('#login_submit').click();
  await page.waitForURL(/\/user\/[^/]+\/lab/, { timeout: 120000 });
  return `${hub.url}/user/${username}`;
}

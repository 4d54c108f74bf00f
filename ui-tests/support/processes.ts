import { ChildProcess, execFileSync, spawn, spawnSync } from 'child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'fs';
import { createServer } from 'net';
import { tmpdir } from 'os';
import { join } from 'path';

/** Repository root, where .venv and the built server live. */
export const ROOT = join(__dirname, '..', '..');
/** The gallery's CLI in this checkout (`notebook-gallery`). */
export const CLI = join(ROOT, 'packages', 'server', 'bin', 'notebook-gallery.js');
/** The project venv with the current JupyterLab, and the one with the oldest supported (scripts/lib.sh makes both). */
export const VENV = join(ROOT, '.venv');
export const OLDEST_VENV = join(ROOT, '.venv-oldest');
const START_TIMEOUT_MS = 90000;

/** A child process started by a test, with its output kept for failure messages. */
export interface IRunning {
  url: string;
  process: ChildProcess;
  output: () => string;
  stop: () => Promise<void>;
}

/** Keep a child's output for failure messages. */
export function track(child: ChildProcess): () => string {
  let output = '';
  child.stdout?.on('data', chunk => (output += chunk));
  child.stderr?.on('data', chunk => (output += chunk));
  return () => output;
}

/** Stop a child with SIGTERM, then SIGKILL after 10 s. */
export function stopper(child: ChildProcess): () => Promise<void> {
  return () =>
    new Promise(resolve => {
      if (child.exitCode !== null || child.signalCode !== null) {
        resolve();
        return;
      }
      const timer = setTimeout(() => child.kill('SIGKILL'), 10000);
      child.once('exit', () => {
        clearTimeout(timer);
        resolve();
      });
      child.kill('SIGTERM');
    });
}

/** Wait until `ready` holds, failing early with the output if the child exits. */
export async function waitFor(
  what: string,
  child: ChildProcess,
  output: () => string,
  ready: () => Promise<boolean>
): Promise<void> {
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      throw new Error(`${what} exited with ${child.exitCode}:\n${output()}`);
    }
    if (await ready()) {
      return;
    }
    await new Promise(r => setTimeout(r, 250));
  }
  throw new Error(`${what} did not start within ${START_TIMEOUT_MS} ms:\n${output()}`);
}

/** A free TCP port on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** A fresh temporary folder for one test run. */
export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `gallery-${prefix}-`));
}

/** Create a gallery account with the real CLI, the way an admin would. */
export function addUser(dataDir: string, username: string, password: string): void {
  execFileSync('node', [CLI, 'user', 'add', username, '--data-dir', dataDir], {
    input: `${password}\n`,
    stdio: ['pipe', 'pipe', 'pipe']
  });
}

/** Start the real gallery server on a free port, allowing the given browser origins. */
export async function startGallery(dataDir: string, corsOrigins: string[]): Promise<IRunning> {
  const child = spawn(
    'node',
    [
      CLI,
      'serve',
      '--data-dir',
      dataDir,
      '--host',
      '127.0.0.1',
      '--port',
      '0',
      '--cors-origins',
      corsOrigins.join(','),
      // Each browser test logs in (a session token) and saves as the same few users; the server's limits are tested
      // in packages/server/test/limits.
      ...['token', 'save', 'write', 'change-request', 'activity', 'comment'].flatMap(limit => [
        `--${limit}-rate-limit`,
        '100000/1m'
      ])
    ],
    {
      stdio: ['ignore', 'pipe', 'pipe']
    }
  );
  const output = track(child);
  let url = '';
  await waitFor('the gallery server', child, output, async () => {
    const match = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output());
    url = match ? match[1] : '';
    return url !== '';
  });
  return { url, process: child, output, stop: stopper(child) };
}

/** Start a real JupyterLab from `venv` on `port`, with the gallery extension pointed at `galleryUrl`. */
export async function startJupyterLab(
  workspace: string,
  galleryUrl: string,
  port: number,
  venv: string = VENV
): Promise<IRunning> {
  const home = tempDir('lab-home');
  const settings = join(home, 'settings');
  mkdirSync(join(settings, 'jupyterlab-notebook-gallery'), { recursive: true });
  // No news pop-up over the page: this machine has no internet to fetch news from.
  mkdirSync(join(settings, '@jupyterlab', 'apputils-extension'), { recursive: true });
  writeFileSync(
    join(settings, '@jupyterlab', 'apputils-extension', 'notification.jupyterlab-settings'),
    JSON.stringify({ fetchNews: 'false' })
  );
  writeFileSync(
    join(settings, 'jupyterlab-notebook-gallery', 'plugin.jupyterlab-settings'),
    JSON.stringify({ serverUrl: galleryUrl })
  );
  const child = spawn(
    join(venv, 'bin', 'jupyter'),
    [
      'lab',
      '--no-browser',
      '--ServerApp.ip=127.0.0.1',
      `--ServerApp.port=${port}`,
      '--ServerApp.port_retries=0',
      `--ServerApp.root_dir=${workspace}`,
      '--IdentityProvider.token=',
      '--ServerApp.password=',
      '--LabApp.expose_app_in_browser=True',
      `--LabApp.user_settings_dir=${settings}`,
      `--LabApp.workspaces_dir=${join(home, 'workspaces')}`,
      // Kernels talk over Unix sockets in this lab's own runtime folder, not TCP ports: jupyter_client picks free
      // ports and frees them before the kernel binds, so two test runs on one machine could take the same port.
      '--KernelManager.transport=ipc',
      // CI and these machines run as root; Jupyter refuses that unless told.
      ...(process.getuid?.() === 0 ? ['--ServerApp.allow_root=True'] : [])
    ],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...process.env,
        JUPYTER_CONFIG_DIR: join(home, 'config'),
        JUPYTER_RUNTIME_DIR: join(home, 'runtime'),
        IPYTHONDIR: join(home, 'ipython')
      }
    }
  );
  const output = track(child);
  const url = `http://127.0.0.1:${port}`;
  await waitFor('JupyterLab', child, output, async () => {
    try {
      return (await fetch(`${url}/api/status`)).ok;
    } catch {
      return false;
    }
  });
  return { url, process: child, output, stop: stopper(child) };
}

/** Poll until `check` holds, so tests wait for what a user would wait for, and no longer. */
export async function eventually(
  what: string,
  check: () => boolean | Promise<boolean>,
  timeoutMs = 15000
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    }
    await new Promise(r => setTimeout(r, 200));
  }
}

/** Run stock git against a bare repository and return its output. */
export function git(repo: string, ...args: string[]): string {
  return execFileSync('git', ['--git-dir', repo, ...args], { encoding: 'utf8' });
}

/**
 * `jupyter labextension list` from `venv`, as an admin would check the install (it prints to
 * stderr, in colour); `env` replaces the environment, for example to leave Node off `PATH`.
 */
export function labextensionList(venv: string = VENV, env: NodeJS.ProcessEnv = process.env): string {
  const result = spawnSync(join(venv, 'bin', 'jupyter'), ['labextension', 'list'], { encoding: 'utf8', env });
  return `${result.stdout}${result.stderr}`.replace(/\x1b\[[0-9;]*m/g, '');
}

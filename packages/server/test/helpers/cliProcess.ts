import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import { generousLimitArgs } from './testGallery';

const REPO_ROOT = path.join(__dirname, '..', '..', '..', '..');

/** The CLI shim; it runs the compiled lib/, so tests that use it call {@link buildServer} first. */
export const CLI = path.join(REPO_ROOT, 'packages', 'server', 'bin', 'notebook-gallery.js');

/** Compiles core and server into lib/ (`tsc -b`; quick when nothing changed). */
export function buildServer(): void {
  execFileSync(path.join(REPO_ROOT, 'node_modules', '.bin', 'tsc'), ['-b', 'packages/server'], { cwd: REPO_ROOT });
}

/** Runs the CLI to completion. */
export function runCli(
  args: string[],
  options: { input?: string; env?: NodeJS.ProcessEnv } = {}
): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [CLI, ...args], {
    input: options.input ?? '',
    env: { ...process.env, ...options.env },
    encoding: 'utf8',
    timeout: 30_000
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** A `notebook-gallery serve` process listening on a free port of 127.0.0.1. */
export interface IServerProcess {
  url: string;
  child: ChildProcess;
  /** Resolves with the exit signal or code once the process has gone. */
  exited: Promise<NodeJS.Signals | number | null>;
  kill(signal: NodeJS.Signals): Promise<NodeJS.Signals | number | null>;
  /** Everything it wrote to stdout and stderr so far: in a JupyterHub, what lands in the hub's log. */
  output(): string;
}

/** The test-only entry point that runs the real server with a save hook killing it at a save point. */
const CRASHING_SERVER = path.join(__dirname, 'crashingServer.js');

/** How to start the server for a test. */
export interface IStartOptions {
  env?: NodeJS.ProcessEnv;
  /** More command-line options, after the test defaults (later ones win). */
  args?: string[];
  /** Start it through the crash tests' entry point, which SIGKILLs it when a save reaches this point. */
  crashAt?: 'after-objects' | 'after-commit-db' | 'before-ref' | 'after-ref' | 'before-trash';
}

/** Starts the real server and waits for its `listening on` line. */
export async function startServer(dataDir: string, options: IStartOptions = {}): Promise<IServerProcess> {
  const entry = options.crashAt ? [CRASHING_SERVER, options.crashAt] : [CLI];
  const child = spawn(
    process.execPath,
    [
      ...entry,
      'serve',
      '--port',
      '0',
      '--host',
      '127.0.0.1',
      '--data-dir',
      dataDir,
      '--log-level',
      'warn',
      ...generousLimitArgs(),
      ...(options.args ?? [])
    ],
    { env: { ...process.env, ...options.env }, stdio: ['ignore', 'pipe', 'pipe'] }
  );
  const exited = new Promise<NodeJS.Signals | number | null>(resolve =>
    child.once('exit', (code, signal) => resolve(signal ?? code))
  );
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start within 20s:\n${output}`)), 20_000);
    const onData = (chunk: Buffer): void => {
      output += chunk.toString();
      const match = /Notebook Gallery listening on (http:\/\/\S+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    void exited.then(status => {
      clearTimeout(timer);
      reject(new Error(`server exited (${status}) before listening:\n${output}`));
    });
  });
  return {
    url,
    child,
    exited,
    kill(signal) {
      child.kill(signal);
      return exited;
    },
    output: () => output
  };
}

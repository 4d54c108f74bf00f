import autocannon from 'autocannon';
import { buildApp, loadConfig } from '@notebook-gallery/server';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as readline from 'node:readline';
import { READER, READER_PASSWORD } from './generatedGallery';
import { fixed } from './measure';
import { pageNotebook } from './renderBench';

/** Requests per second of a page over HTTP, next to /healthz measured right before it. */
export interface IPageThroughput {
  label: string;
  requestsPerSecond: number;
  p50: number;
  p99: number;
  errors: number;
  healthz: number;
}

const CELLS = 500;
const CONNECTIONS = 10;
const SECONDS = 5;

/**
 * Page requests per second of the real server (a child process, as in httpBench.ts) for a notebook of 500 cells
 * (the render bench's notebook): `/n/:id` and its permanent `/n/:id/r/:revision`, logged in as a reader, each right
 * after `/healthz` in the same run. After the first view the cells come from the renderer's cache, so this measures
 * what every later view costs: the permission checks, reading the revision from git, and serialising the page.
 */
export async function runPageBench(): Promise<IPageThroughput[]> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gallery-bench-pages-'));
  try {
    const id = await seed(dataDir);
    const server = spawn(process.execPath, [path.join(__dirname, 'benchServer.js'), dataDir], {
      stdio: ['ignore', 'pipe', 'inherit']
    });
    try {
      const { port, token } = await firstLine(server.stdout);
      const url = `http://127.0.0.1:${port}`;
      const headers = { authorization: `Bearer ${token}`, accept: 'text/html' };
      const summary = (await (await fetch(`${url}/api/notebooks/${id}`, { headers })).json()) as { revision: string };
      const measure = async (label: string, pagePath: string): Promise<Omit<IPageThroughput, 'healthz'>> => {
        const result = await autocannon({
          url,
          connections: CONNECTIONS,
          duration: SECONDS,
          requests: [{ method: 'GET', path: pagePath, headers }]
        });
        return {
          label,
          requestsPerSecond: result.requests.average,
          p50: result.latency.p50,
          p99: result.latency.p99,
          errors: result.errors + result.non2xx
        };
      };
      const results: IPageThroughput[] = [];
      for (const [label, pagePath] of [
        [`/n/:id (${CELLS} cells)`, `/n/${id}`],
        [`/n/:id/r/:revision`, `/n/${id}/r/${summary.revision}`]
      ]) {
        const healthz = await measure('/healthz', '/healthz');
        results.push({ ...(await measure(label, pagePath)), healthz: healthz.requestsPerSecond });
      }
      return results;
    } finally {
      server.kill('SIGTERM');
      await new Promise(resolve => server.once('exit', resolve));
    }
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

/** Creates the reader and saves the 500-cell notebook as a public notebook of theirs; returns its id. */
async function seed(dataDir: string): Promise<string> {
  const app = await buildApp(loadConfig({ 'data-dir': dataDir, 'log-level': 'silent', fsync: 'false' }, {}));
  try {
    const user = await app.accounts.add(READER, READER_PASSWORD, false);
    const { token } = await app.issueToken(user);
    const saved = await app.inject({
      method: 'POST',
      url: '/api/notebooks',
      headers: { authorization: `Bearer ${token}` },
      payload: { notebook: pageNotebook(CELLS), title: 'A 500-cell notebook', visibility: 'public' }
    });
    if (saved.statusCode !== 201) {
      throw new Error(`saving the page bench notebook failed: ${saved.statusCode} ${saved.body}`);
    }
    return (saved.json() as { id: string }).id;
  } finally {
    await app.close();
  }
}

function firstLine(stream: NodeJS.ReadableStream): Promise<{ port: number; token: string }> {
  return new Promise((resolve, reject) => {
    const lines = readline.createInterface({ input: stream });
    lines.once('line', line => resolve(JSON.parse(line) as { port: number; token: string }));
    lines.once('close', () => reject(new Error('the bench server exited before listening')));
  });
}

/** Prints page requests per second and their ratio to /healthz measured right before each. */
export function printPageThroughput(results: IPageThroughput[]): void {
  console.log(
    `\nNotebook pages over HTTP (${CONNECTIONS} connections, ${SECONDS} s each, logged-in reader; /healthz measured ` +
      'again right before each page)'
  );
  for (const r of results) {
    console.log(
      `  ${r.label.padEnd(24)} ${fixed(r.requestsPerSecond, 0).padStart(7)} req/s  /healthz ${fixed(r.healthz, 0).padStart(6)} req/s` +
        `  ratio ${fixed(r.requestsPerSecond / r.healthz, 3).padStart(6)}  latency p50 ${r.p50} ms p99 ${r.p99} ms` +
        (r.errors ? `  ERRORS/non-2xx ${r.errors}` : '')
    );
  }
}

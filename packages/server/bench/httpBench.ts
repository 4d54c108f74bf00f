import autocannon from 'autocannon';
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as readline from 'node:readline';
import { fixed, now, percentile } from './measure';
import type { IGeneratedGallery } from './generatedGallery';

/** Requests per second of one endpoint over HTTP. */
export interface IThroughput {
  label: string;
  paths: string[];
  requestsPerSecond: number;
  p50: number;
  p99: number;
  errors: number;
  /** Requests per second of /healthz measured right before. */
  healthz: number;
  /** Latency of /healthz asked one at a time on a connection of its own while this endpoint was under load, ms. */
  healthzDuring: { p50: number; p95: number; samples: number };
}

/** What the HTTP bench measures. */
export interface IHttpBenchResult {
  /** Which database the server's rows were in. */
  backend: 'sqlite' | 'postgres';
  throughputs: IThroughput[];
  /** The server's peak resident memory over the whole run (VmHWM), in MB; null where /proc is not there. */
  peakRssMb: number | null;
}

const CONNECTIONS = 20;
const SECONDS = 5;

/**
 * Throughput of the real server (a child process, so the load generator does not share its event loop) over the
 * generated gallery: search, list and content requests next to `/healthz`, 20 connections, {@link SECONDS} s each,
 * as the non-admin reader. `profileDir`: the server runs with `--cpu-prof` and writes its profile there.
 */
export async function runHttpBench(
  generated: IGeneratedGallery,
  profileDir?: string,
  databaseUrl: string | null = null
): Promise<IHttpBenchResult> {
  const flags = profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [];
  const server = startBenchServer(generated.dataDir, databaseUrl, flags);
  try {
    const { port, token } = await firstLine(server.stdout!);
    const url = `http://127.0.0.1:${port}`;
    const [real] = generated.realIds;
    const head = await fetch(`${url}/api/notebooks/${real}`, { headers: { authorization: `Bearer ${token}` } });
    const { revision } = (await head.json()) as { revision: string };
    const etag = (
      await fetch(`${url}/api/notebooks/${real}/content?revision=${revision}`, {
        headers: { authorization: `Bearer ${token}` }
      })
    ).headers.get('etag');
    const endpoints: { label: string; paths: string[]; headers?: Record<string, string> }[] = [
      { label: '/healthz', paths: ['/healthz'] },
      { label: 'list (20, updated)', paths: ['/api/notebooks?limit=20'] },
      {
        label: 'search (mixed classes)',
        paths: ['data', 'regression model', 'matpl', 'tag:visualization plot', 'clean missing values'].map(
          q => `/api/notebooks?limit=20&q=${encodeURIComponent(q)}`
        )
      },
      { label: 'content (head)', paths: [`/api/notebooks/${real}/content`] },
      { label: 'content (revision)', paths: [`/api/notebooks/${real}/content?revision=${revision}`] },
      {
        label: 'content (revision, 304)',
        paths: [`/api/notebooks/${real}/content?revision=${revision}`],
        headers: { 'if-none-match': etag ?? '' }
      }
    ];
    const results: IThroughput[] = [];
    const measure = async (endpoint: (typeof endpoints)[number]): Promise<Omit<IThroughput, 'healthz'>> => {
      let loaded = true;
      const probe = probeHealthz(url, () => loaded);
      const result = await autocannon({
        url,
        connections: CONNECTIONS,
        duration: SECONDS,
        headers: { authorization: `Bearer ${token}` },
        requests: endpoint.paths.map(p => ({
          method: 'GET',
          path: p,
          headers: { authorization: `Bearer ${token}`, ...endpoint.headers }
        }))
      });
      loaded = false;
      const healthzDuring = await probe;
      await drained(url);
      return {
        healthzDuring,
        label: endpoint.label,
        paths: endpoint.paths,
        requestsPerSecond: result.requests.average,
        p50: result.latency.p50,
        p99: result.latency.p99,
        // A 304 is the expected answer to a matching If-None-Match.
        errors: result.errors + result.non2xx - (endpoint.headers ? result['3xx'] : 0)
      };
    };
    // /healthz runs again right before each endpoint: the machine's load changes within a run, and a ratio to a
    // /healthz measured minutes earlier would say more about that than about the endpoint.
    const [health, ...others] = endpoints;
    for (const endpoint of others) {
      const reference = await measure(health);
      results.push({ ...(await measure(endpoint)), healthz: reference.requestsPerSecond });
    }
    return { backend: databaseUrl ? 'postgres' : 'sqlite', throughputs: results, peakRssMb: peakRssMb(server.pid) };
  } finally {
    server.kill('SIGTERM');
    await new Promise(resolve => server.once('exit', resolve));
  }
}

/**
 * Asks /healthz one request at a time (fetch's own connection, beside autocannon's) while `loaded()` holds: how long a
 * user's small request waits while the endpoint under load keeps the server busy.
 */
async function probeHealthz(url: string, loaded: () => boolean): Promise<IThroughput['healthzDuring']> {
  const samples: number[] = [];
  while (loaded()) {
    const start = now();
    await fetch(`${url}/healthz`);
    samples.push(now() - start);
  }
  return { p50: percentile(samples, 50), p95: percentile(samples, 95), samples: samples.length };
}

/** The peak resident memory of a process in MB, from /proc (Linux). */
export function peakRssMb(pid: number | undefined): number | null {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const kilobytes = /^VmHWM:\s+(\d+) kB/m.exec(status);
    return kilobytes ? Number(kilobytes[1]) / 1024 : null;
  } catch {
    return null;
  }
}

/**
 * Waits until the server answers /healthz at once: requests still queued from a slow endpoint (autocannon stops
 * waiting, the server does not) would otherwise eat into the next endpoint's seconds.
 */
async function drained(url: string): Promise<void> {
  for (let attempt = 0; attempt < 600; attempt++) {
    const start = Date.now();
    await fetch(`${url}/healthz`);
    if (Date.now() - start < 20) {
      return;
    }
  }
}

/** benchServer.js as a child process over `dataDir` (and the PostgreSQL database `databaseUrl`, if any). */
export function startBenchServer(dataDir: string, databaseUrl: string | null, flags: string[] = []): ChildProcess {
  return spawn(
    process.execPath,
    [...flags, path.join(__dirname, 'benchServer.js'), dataDir, ...(databaseUrl ? [databaseUrl] : [])],
    { stdio: ['ignore', 'pipe', 'inherit'] }
  );
}

/** The `{port, token}` line benchServer.js prints once it listens. */
export function firstLine(stream: NodeJS.ReadableStream): Promise<{ port: number; token: string }> {
  return new Promise((resolve, reject) => {
    const lines = readline.createInterface({ input: stream });
    lines.once('line', line => resolve(JSON.parse(line) as { port: number; token: string }));
    lines.once('close', () => reject(new Error('the bench server exited before listening')));
  });
}

/**
 * Prints requests per second and their ratio to /healthz measured right before each, the latency of /healthz while
 * each endpoint is under load, and the server's peak memory.
 */
export function printThroughput(size: number, { backend, throughputs: results, peakRssMb }: IHttpBenchResult): void {
  console.log(
    `\nThroughput over HTTP on ${backend} at ${size.toLocaleString('en')} notebooks (${CONNECTIONS} connections, ${SECONDS} s each, ` +
      'non-admin reader; /healthz measured again right before each endpoint)'
  );
  for (const r of results) {
    console.log(
      `  ${r.label.padEnd(24)} ${fixed(r.requestsPerSecond, 0).padStart(7)} req/s  /healthz ${fixed(r.healthz, 0).padStart(6)} req/s` +
        `  ratio ${fixed(r.requestsPerSecond / r.healthz).padStart(5)}  latency p50 ${r.p50} ms p99 ${r.p99} ms` +
        (r.errors ? `  ERRORS/non-2xx ${r.errors}` : '')
    );
  }
  console.log('  /healthz latency while each endpoint is under load (one request at a time, its own connection), ms');
  for (const r of results) {
    console.log(
      `  ${r.label.padEnd(24)} p50 ${fixed(r.healthzDuring.p50).padStart(7)}  p95 ${fixed(r.healthzDuring.p95).padStart(7)}` +
        `  (${r.healthzDuring.samples} requests)`
    );
  }
  console.log(`  server peak RSS (VmHWM) over the run: ${peakRssMb === null ? 'n/a' : `${fixed(peakRssMb, 0)} MB`}`);
}

import type { INotebook } from '@notebook-gallery/core';
import { buildApp, loadConfig } from '@notebook-gallery/server';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fixed, now, percentile } from './measure';

/** Comment list latency for one notebook, next to /healthz in the same app and run. */
export interface ICommentBenchResult {
  comments: number;
  states: Record<string, number>;
  /** The first list after start: the latest revision and the earlier one are read from git. */
  coldMs: number;
  list: { p50: number; p95: number };
  healthz: { p50: number; p95: number };
  runs: number;
}

const OWNER = 'bench-owner';
const READER = 'bench-reader';
const CELLS = 200;
const RUNS = 100;

function notebook(cells: number, changedBelow: number): INotebook {
  return {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: {},
    cells: Array.from({ length: cells }, (_, i) => ({
      cell_type: 'code',
      id: `c${i}`,
      metadata: {},
      execution_count: null,
      outputs: [],
      source: `x${i} = ${i < changedBelow ? 'changed' : 'value'}(${i})\nprint(x${i})\n`
    }))
  };
}

/**
 * `GET /api/notebooks/:id/comments` for a notebook with `comments` comments on its cells: six in ten on cells the
 * next revision leaves as they were (current), three in ten on cells it changes (changed) and one in ten on cells
 * it deletes (outdated), through app.inject, timed against `GET /healthz` alternately in the same app.
 */
export async function runCommentBench(comments = 1_000): Promise<ICommentBenchResult> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gallery-bench-comments-'));
  const app = await buildApp(
    loadConfig(
      {
        'data-dir': dataDir,
        'log-level': 'silent',
        fsync: 'false',
        'default-visibility': 'public',
        'comment-rate-limit': '100000/1m'
      },
      {}
    )
  );
  try {
    const owner = await app.accounts.add(OWNER, `${OWNER}-password`);
    const reader = await app.accounts.add(READER, `${READER}-password`);
    const ownerToken = (await app.issueToken(owner)).token;
    const readerToken = (await app.issueToken(reader)).token;
    const inject = (token: string, method: 'GET' | 'POST' | 'PUT', url: string, payload?: unknown) =>
      app.inject({ method, url, payload: payload as object, headers: { authorization: `Bearer ${token}` } });
    const created = (
      await inject(ownerToken, 'POST', '/api/notebooks', { notebook: notebook(CELLS, 0), title: 'Discussed' })
    ).json();
    const deleted = CELLS / 10;
    const changed = (CELLS * 3) / 10;
    for (let i = 0; i < comments; i++) {
      // Cells c0..c19 are deleted, c20..c79 changed, the rest stay.
      const band = i % 10;
      const cell =
        band === 0
          ? i % deleted
          : band <= 3
            ? deleted + (i % changed)
            : deleted + changed + (i % (CELLS - deleted - changed));
      const response = await inject(readerToken, 'POST', `/api/notebooks/${created.id}/comments`, {
        body: `Comment ${i} on cell ${cell}`,
        anchor: { cellId: `c${cell}` }
      });
      if (response.statusCode !== 201) {
        throw new Error(`comment ${i}: ${response.statusCode} ${response.body}`);
      }
    }
    const next = notebook(CELLS, deleted + changed);
    next.cells = next.cells.slice(deleted);
    const saved = await inject(ownerToken, 'PUT', `/api/notebooks/${created.id}`, {
      notebook: next,
      baseRevision: created.revision
    });
    if (saved.statusCode !== 200) {
      throw new Error(`save: ${saved.statusCode} ${saved.body}`);
    }
    // A fresh app: nothing of the notebook cached yet.
    await app.close();
    const fresh = await buildApp(loadConfig({ 'data-dir': dataDir, 'log-level': 'silent', fsync: 'false' }, {}));
    try {
      const token = (await fresh.issueToken(reader)).token;
      const url = `/api/notebooks/${created.id}/comments`;
      const get = (target: string) =>
        fresh.inject({ method: 'GET', url: target, headers: { authorization: `Bearer ${token}` } });
      const coldStart = now();
      const first = await get(url);
      const coldMs = now() - coldStart;
      const body = first.json() as { threads: { state: string }[]; outdated: { state: string }[] };
      const states: Record<string, number> = {};
      for (const thread of [...body.threads, ...body.outdated]) {
        states[thread.state] = (states[thread.state] ?? 0) + 1;
      }
      const list: number[] = [];
      const healthz: number[] = [];
      for (let run = 0; run < RUNS; run++) {
        let start = now();
        await get('/healthz');
        healthz.push(now() - start);
        start = now();
        await get(url);
        list.push(now() - start);
      }
      return {
        comments,
        states,
        coldMs,
        list: { p50: percentile(list, 50), p95: percentile(list, 95) },
        healthz: { p50: percentile(healthz, 50), p95: percentile(healthz, 95) },
        runs: RUNS
      };
    } finally {
      await fresh.close();
    }
  } finally {
    await app.close().catch(() => undefined);
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

/** Prints the comment list's latency and its ratio to /healthz. */
export function printCommentResults(result: ICommentBenchResult): void {
  const states = Object.entries(result.states)
    .map(([state, count]) => `${count} ${state}`)
    .join(', ');
  console.log(
    `\nComment list of a notebook with ${result.comments.toLocaleString('en')} comments (${states}), app.inject, ` +
      `${result.runs} runs alternating with /healthz`
  );
  console.log(`  first list after start (reads 2 versions from git)  ${fixed(result.coldMs, 1)} ms`);
  console.log(
    `  GET /api/notebooks/:id/comments  p50 ${fixed(result.list.p50)} ms  p95 ${fixed(result.list.p95)} ms` +
      `  /healthz p50 ${fixed(result.healthz.p50, 3)} ms  ratio p50 ${fixed(result.list.p50 / result.healthz.p50, 1)}`
  );
}

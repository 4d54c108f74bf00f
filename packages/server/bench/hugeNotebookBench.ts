import { sqliteDatabase } from '@notebook-gallery/server';
import type { INotebook } from '@notebook-gallery/core';
import { openGallery } from '@notebook-gallery/server';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fixed, now, percentile } from './measure';

/** Search latency when one notebook is huge and matches everywhere. */
export interface IHugeNotebookResult {
  cells: number;
  /** The notebook's JSON, in MB. */
  megabytes: number;
  /** `GET /api/notebooks?q=x` through the notebook service: rank, page and snippet. */
  search: { p50: number; p95: number; runs: number };
  /** Plain FTS5 `MATCH ... ORDER BY rank LIMIT 20` over the same word, same run. */
  baseline: { p50: number; p95: number };
}

const USER = 'huge-owner';
const RUNS = 10;

/**
 * One public notebook of `cells` one-line cells that all hold the searched word, saved through the service: the
 * search answers with its snippet in about the time of the plain FTS5 query. FTS5's snippet() re-read every match,
 * and took 24 s on such a notebook while every other request waited.
 */
export async function runHugeNotebookBench(cells = 50_000): Promise<IHugeNotebookResult> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gallery-bench-huge-'));
  const gallery = await openGallery({ dataDir, fsync: false, defaultVisibility: 'public' });
  try {
    await gallery.accounts.add(USER, `${USER}-password`);
    const caller = { user: { username: USER, isAdmin: false }, groups: await gallery.groups.rolesOf(USER) };
    const notebook: INotebook = {
      nbformat: 4,
      nbformat_minor: 5,
      metadata: {},
      cells: Array.from({ length: cells }, (_, i) => ({
        cell_type: 'code',
        id: `c${i}`,
        metadata: {},
        execution_count: null,
        source: `x = ${i}`,
        outputs: []
      }))
    };
    await gallery.notebooks.create(caller, { notebook, title: 'Huge', tags: [], visibility: 'public' });
    const plain = sqliteDatabase(gallery).prepare(
      'SELECT rowid FROM notebook_search WHERE notebook_search MATCH ? ORDER BY rank LIMIT 20'
    );
    return {
      cells,
      megabytes: JSON.stringify(notebook).length / 1e6,
      search: await time(() => gallery.notebooks.list(caller, { q: 'x', limit: 20 })),
      baseline: await time(() => plain.all('"x"'))
    };
  } finally {
    await gallery.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

async function time(run: () => unknown): Promise<{ p50: number; p95: number; runs: number }> {
  await run();
  const samples: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const start = now();
    await run();
    samples.push(now() - start);
  }
  return { p50: percentile(samples, 50), p95: percentile(samples, 95), runs: samples.length };
}

/** Prints the search latency next to the plain FTS5 query. */
export function printHugeNotebookResults(result: IHugeNotebookResult): void {
  console.log(
    `\nSearch matching every cell of one notebook of ${result.cells.toLocaleString('en')} cells ` +
      `(${fixed(result.megabytes, 1)} MB), ms`
  );
  console.log(
    `  search with snippet: p50 ${fixed(result.search.p50)}  p95 ${fixed(result.search.p95)}  (${result.search.runs} runs)` +
      `   FTS5 baseline: p50 ${fixed(result.baseline.p50)}  p95 ${fixed(result.baseline.p95)}`
  );
}

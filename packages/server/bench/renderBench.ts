import type { INotebook } from '@notebook-gallery/core';
import { buildApp, loadConfig } from '@notebook-gallery/server';
import {
  createNotebookRenderer,
  DEFAULT_RENDER_LIMITS
} from '@notebook-gallery/server/lib/pages/render/notebookRenderer';
import { loadRenderLibraries } from '@notebook-gallery/server/lib/pages/render/renderLibraries';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fixed, now, percentile } from './measure';

/** Median and 95th percentile of one measurement, in ms. */
interface ITiming {
  p50: number;
  p95: number;
}

/** What a notebook page's cells cost to render, next to `/healthz` in the same run. */
export interface IRenderResult {
  cells: number;
  /** Characters of source in the notebook. */
  chars: number;
  /** `app.inject('/healthz')` on a real app, same process, same run. */
  healthz: ITiming;
  /** renderCells + toHtml, with no cache. */
  cold: ITiming;
  /** renderCellsCached on a hit + toHtml: what every later view of the same revision costs. */
  cached: ITiming;
  /** One markdown cell, and one Python cell, at the size above which they are shown unformatted. */
  longMarkdown: ITiming;
  longCode: ITiming;
}

const RUNS = 20;
const LONG_RUNS = 5;

/**
 * Render time of a generated 500-cell notebook page (every other cell markdown with inline and display math and a
 * table, the others Python of 5 to 14 lines), with no cache and from the cache, against the median `/healthz`
 * latency measured in the same process right before; and the cost of one cell at each size bound, which says how
 * long the longest formatted cell holds the server.
 */
export async function runRenderBench(): Promise<IRenderResult> {
  const { toHtml } = await loadRenderLibraries();
  const notebook = pageNotebook(500);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gallery-bench-render-'));
  const app = await buildApp(loadConfig({ 'data-dir': dataDir, 'log-level': 'silent', fsync: 'false' }, {}));
  try {
    await app.ready();
    const healthz = await time(RUNS * 10, async () => {
      await app.inject({ method: 'GET', url: '/healthz' });
    });
    const renderer = await createNotebookRenderer();
    const cold = await time(RUNS, () => toHtml(renderer.renderCells(notebook)));
    const cachedRenderer = await createNotebookRenderer();
    cachedRenderer.renderCellsCached('page', notebook);
    const cached = await time(RUNS, () => toHtml(cachedRenderer.renderCellsCached('page', notebook)));
    const longMarkdown = await time(LONG_RUNS, () =>
      renderer.renderCells(oneCell('markdown', markdownOf(DEFAULT_RENDER_LIMITS.markdownCellChars)))
    );
    const longCode = await time(LONG_RUNS, () =>
      renderer.renderCells(oneCell('code', pythonOf(DEFAULT_RENDER_LIMITS.highlightCellChars)))
    );
    return {
      cells: notebook.cells.length,
      chars: notebook.cells.reduce((sum, cell) => sum + String(cell.source).length, 0),
      healthz,
      cold,
      cached,
      longMarkdown,
      longCode
    };
  } finally {
    await app.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

/** Prints the render times and their ratio to the median /healthz latency. */
export function printRenderResults(result: IRenderResult): void {
  const ratio = (timing: ITiming): string => fixed(timing.p50 / result.healthz.p50, 0);
  console.log(
    `\nNotebook pages: cells of a ${result.cells}-cell notebook (${result.chars.toLocaleString('en')} characters) ` +
      'rendered to HTML, ms (ratio: p50 / p50 of /healthz via inject, same run)'
  );
  console.log(`  /healthz (inject)           p50 ${fixed(result.healthz.p50, 3)}  p95 ${fixed(result.healthz.p95, 3)}`);
  for (const [label, timing] of [
    ['cold (render + toHtml)', result.cold],
    ['cached (hit + toHtml)', result.cached],
    [`1 markdown cell, ${DEFAULT_RENDER_LIMITS.markdownCellChars.toLocaleString('en')} ch`, result.longMarkdown],
    [`1 Python cell, ${DEFAULT_RENDER_LIMITS.highlightCellChars.toLocaleString('en')} ch`, result.longCode]
  ] as const) {
    console.log(
      `  ${label.padEnd(28)} p50 ${fixed(timing.p50, 1).padStart(7)}  p95 ${fixed(timing.p95, 1).padStart(7)}` +
        `  ratio ${ratio(timing).padStart(6)}`
    );
  }
}

/** A notebook of `cells` cells as the render bench describes it; the page bench serves the same one. */
export function pageNotebook(cells: number): INotebook {
  return {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: { kernelspec: { name: 'python3', display_name: 'Python 3', language: 'python' } },
    cells: Array.from({ length: cells }, (_, i) =>
      i % 2 === 0
        ? { cell_type: 'markdown', id: `m${i}`, metadata: {}, source: markdownCell(i) }
        : {
            cell_type: 'code',
            id: `c${i}`,
            metadata: {},
            execution_count: null,
            outputs: [],
            source: pythonCell(i)
          }
    )
  };
}

/** A heading, a paragraph with inline math and a link, display math, and every fourth cell a table. */
function markdownCell(i: number): string {
  const table =
    i % 8 === 0
      ? '\n\n| model | $R^2$ | error |\n|---|---:|---:|\n' +
        Array.from({ length: 5 }, (_, row) => `| model ${row} | ${(0.5 + row / 10).toFixed(2)} | $\\pm ${row}$ |`).join(
          '\n'
        )
      : '';
  return (
    `## Step ${i}: fitting the model\n\n` +
    `We minimise $\\sum_{k=1}^{n} (y_k - \\hat{y}_k)^2$ over **${i}** samples; see [the docs](https://example.org/${i}).\n\n` +
    `$$\n\\hat{\\beta} = (X^\\top X)^{-1} X^\\top y_{${i}}\n$$` +
    table
  );
}

function pythonCell(i: number): string {
  return [
    'import numpy as np',
    `def step_${i}(x, factor=${i % 7}):`,
    '    """Scale and shift."""',
    ...Array.from({ length: 2 + (i % 10) }, (_, line) => `    x = np.sqrt(x * factor + ${line})  # line ${line}`),
    '    return x',
    `result_${i} = step_${i}(np.arange(10))`
  ].join('\n');
}

function markdownOf(chars: number): string {
  const paragraph = `Some *text* with $x_i^2$ math, a [link](https://example.org) and \`code\`.\n\n`;
  return paragraph.repeat(Math.ceil(chars / paragraph.length)).slice(0, chars);
}

function pythonOf(chars: number): string {
  const lines = Array.from({ length: 2000 }, (_, i) => pythonCell(i)).join('\n');
  return lines.repeat(Math.ceil(chars / lines.length)).slice(0, chars);
}

function oneCell(kind: 'markdown' | 'code', source: string): INotebook {
  const cell =
    kind === 'markdown'
      ? { cell_type: 'markdown' as const, metadata: {}, source }
      : { cell_type: 'code' as const, metadata: {}, source, outputs: [], execution_count: null };
  return {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: { kernelspec: { name: 'python3', display_name: 'Python 3', language: 'python' } },
    cells: [cell]
  };
}

/** Median and 95th percentile of `runs` runs of `task`, after one run to warm up; awaits what it returns. */
async function time(runs: number, task: () => unknown): Promise<ITiming> {
  await task();
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = now();
    await task();
    samples.push(now() - start);
  }
  return { p50: percentile(samples, 50), p95: percentile(samples, 95) };
}

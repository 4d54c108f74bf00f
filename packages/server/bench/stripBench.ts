import { parseNotebook, serializeNotebook, stripNotebook } from '@notebook-gallery/core';
import * as crypto from 'node:crypto';
import { fixed, timePerRun } from './measure';
import { CORE_FIXTURES_DIR, readRealNotebooks } from './realNotebooks';

/** Throughput of validate+strip+serialize against a bare JSON round-trip of the same bytes. */
export interface IStripResult {
  name: string;
  megabytes: number;
  pipelineMBps: number;
  baselineMBps: number;
}

/** Measures the fixtures (as one batch) and a generated notebook of about 50 MB of base64 PNG outputs. */
export function runStripBench(): IStripResult[] {
  const fixtures = readRealNotebooks(CORE_FIXTURES_DIR);
  return [
    measure(`core fixtures (${fixtures.length} files)`, fixtures),
    measure('generated PNG notebook', [pngNotebook(50)])
  ];
}

/** Prints {@link runStripBench}'s results. */
export function printStripResults(results: IStripResult[]): void {
  console.log('\nStrip throughput: parse + validate + strip + serialize, vs JSON.parse + JSON.stringify');
  for (const r of results) {
    console.log(
      `  ${r.name.padEnd(30)} ${fixed(r.megabytes, 1).padStart(6)} MB  pipeline ${fixed(r.pipelineMBps, 1).padStart(7)} MB/s` +
        `  baseline ${fixed(r.baselineMBps, 1).padStart(7)} MB/s  ratio ${fixed(r.pipelineMBps / r.baselineMBps)}`
    );
  }
}

function measure(name: string, texts: string[]): IStripResult {
  const megabytes = texts.reduce((sum, text) => sum + Buffer.byteLength(text), 0) / 1e6;
  const pipelineMs = timePerRun(() => {
    for (const text of texts) {
      serializeNotebook(stripNotebook(parseNotebook(text)));
    }
  });
  const baselineMs = timePerRun(() => {
    for (const text of texts) {
      JSON.stringify(JSON.parse(text));
    }
  });
  return {
    name,
    megabytes,
    pipelineMBps: megabytes / (pipelineMs / 1000),
    baselineMBps: megabytes / (baselineMs / 1000)
  };
}

/** An nbformat 4.5 notebook of about `megabytes` MB whose code cells each display a ~500 KB base64 PNG. */
export function pngNotebook(megabytes: number): string {
  const image = crypto.randomBytes(375_000).toString('base64');
  const cells = Array.from({ length: Math.round((megabytes * 1e6) / image.length) }, (_, i) => ({
    cell_type: 'code',
    id: `cell-${i}`,
    metadata: { tags: [] },
    execution_count: i + 1,
    source: [`fig, ax = plt.subplots()\n`, `ax.plot(data[${i}])\n`],
    outputs: [
      {
        output_type: 'display_data',
        metadata: {},
        data: { 'image/png': image, 'text/plain': ['<Figure size 640x480 with 1 Axes>'] }
      }
    ]
  }));
  return JSON.stringify({
    nbformat: 4,
    nbformat_minor: 5,
    metadata: { kernelspec: { name: 'python3', display_name: 'Python 3' } },
    cells
  });
}

import { scanNotebookSecrets, stripNotebook, parseNotebook } from '@notebook-gallery/core';
import { fixed, now, timePerRun } from './measure';
import { CORE_FIXTURES_DIR, readRealNotebooks, SEARCH_CORPUS_DIR } from './realNotebooks';

/** How many times the set is repeated, so one run is long enough to time. */
const REPEAT = 5;

/** Secret scan throughput against `JSON.parse` of the same bytes. */
export interface ISecretsBenchResult {
  name: string;
  notebooks: number;
  megabytes: number;
  scanMBps: number;
  parseMBps: number;
  /** Milliseconds to scan one cell of 200,000 characters of near-matches (the hostile case). */
  hostileMs: number;
}

/**
 * Times `scanNotebookSecrets` over the notebooks as a save sees them (parsed and stripped, outputs gone) and
 * over the files as they are (outputs present but never read), each against `JSON.parse` of the same bytes.
 */
export function runSecretsBench(): ISecretsBenchResult[] {
  // Real notebooks: core's fixtures and the search corpus.
  const texts = readRealNotebooks(CORE_FIXTURES_DIR, SEARCH_CORPUS_DIR);
  const repeated = Array.from({ length: REPEAT }, () => texts).flat();
  const stripped = repeated.map(text => JSON.stringify(stripNotebook(parseNotebook(text))));
  const hostileMs = hostileCellMs();
  return [
    measure(`real notebooks as saved (${texts.length} x ${REPEAT})`, stripped, hostileMs),
    measure(`real notebook files (${texts.length} x ${REPEAT})`, repeated, hostileMs)
  ];
}

/** Prints {@link runSecretsBench}'s results. */
export function printSecretsResults(results: ISecretsBenchResult[]): void {
  console.log('\nSecret scan throughput: scanNotebookSecrets over parsed notebooks, vs JSON.parse of the same bytes');
  for (const r of results) {
    console.log(
      `  ${r.name.padEnd(40)} ${fixed(r.megabytes, 1).padStart(6)} MB  scan ${fixed(r.scanMBps, 1).padStart(7)} MB/s` +
        `  JSON.parse ${fixed(r.parseMBps, 1).padStart(7)} MB/s  ratio ${fixed(r.scanMBps / r.parseMBps)}`
    );
  }
  console.log(`  one hostile cell (200,000 characters of near-matches): ${fixed(results[0].hostileMs, 1)} ms`);
}

function measure(name: string, texts: string[], hostileMs: number): ISecretsBenchResult {
  const megabytes = texts.reduce((sum, text) => sum + Buffer.byteLength(text), 0) / 1e6;
  const parsed = texts.map(text => JSON.parse(text) as unknown);
  const scanMs = timePerRun(() => {
    for (const notebook of parsed) {
      scanNotebookSecrets(notebook, { timeBudgetMs: Number.POSITIVE_INFINITY });
    }
  });
  const parseMs = timePerRun(() => {
    for (const text of texts) {
      JSON.parse(text);
    }
  });
  return {
    name,
    notebooks: texts.length,
    megabytes,
    scanMBps: megabytes / (scanMs / 1000),
    parseMBps: megabytes / (parseMs / 1000),
    hostileMs
  };
}

function hostileCellMs(): number {
  const near = [
    'ghp_abc ',
    'password = "" ',
    'AKIA ',
    'postgres://a:@ ',
    'eyJhbGciOi.eyJ ',
    '-----BEGIN PRIVATE KEY----- '
  ];
  let line = '';
  for (let i = 0; line.length < 200_000; i++) {
    line += near[i % near.length];
  }
  const notebook = {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: {},
    cells: [{ cell_type: 'code', source: line, metadata: {}, outputs: [], execution_count: null }]
  };
  const start = now();
  scanNotebookSecrets(notebook, { timeBudgetMs: Number.POSITIVE_INFINITY });
  return now() - start;
}

import { runEmbeddingBench } from './embeddingBench';
import { printCommentResults, runCommentBench } from './commentBench';
import { generatedGallery } from './generatedGallery';
import { printImportResults, runImportBench } from './importBench';
import { printThroughput, runHttpBench } from './httpBench';
import { printHugeNotebookResults, runHugeNotebookBench } from './hugeNotebookBench';
import { printMaintenanceResults } from './maintenanceBench';
import { fixed, now } from './measure';
import { printPageThroughput, runPageBench } from './pageBench';
import { printRenderResults, runRenderBench } from './renderBench';
import { printRevisionsResults, runRevisionsBench } from './revisionsBench';
import { printSearchResults, runSearchBench } from './searchBench';
import { printSecretsResults, runSecretsBench } from './secretsBench';
import { printSimilarResults, runSimilarBench } from './similarBench';
import { printStorageCheckTimes, runStorageCheckBench, type IStorageCheckTimes } from './storageCheckBench';
import { printLatencies, runStoreBench } from './storeBench';
import { printStripResults, runStripBench } from './stripBench';

const PARTS = [
  'strip',
  'secrets',
  'revisions',
  'render',
  'pages',
  'store',
  'similar',
  'search',
  'http',
  'comments',
  'import',
  'embeddings'
] as const;

/**
 * `npm run bench [-- LARGEST] [--search-size=N] [--text-scale=K] [--only=PART,...] [--profile=DIR]`: strip throughput,
 * the secret scan's throughput against JSON.parse of the same real notebooks (and one hostile cell's time), diff and merge
 * times, save latency (fsync off and on) and queries per save as the gallery grows to LARGEST notebooks (20,000 by
 * default), the record journal's share of a save and the times of backup and rebuild-index at LARGEST notebooks,
 * history latency as a notebook grows; search latency per class of query and the index time per save, and
 * HTTP throughput, over a generated gallery of N notebooks (100,000 by default); search latency when one notebook of
 * 50,000 cells matches everywhere; render time of a 500-cell notebook page, and its page req/s over HTTP; comment list
 * latency of a notebook with 1,000 comments; the start-up storage check and fsck at LARGEST notebooks (with store). PART is one of strip, secrets, revisions, render, pages, store, similar, search,
 * http, comments, import, embeddings (import: notebooks per second from a folder and revisions per second from a git history; similar: similar-notebook queries and vector upkeep per save at 1,000 and 5,000
 * notebooks; embeddings: embedding a query and a notebook, and the vector search at N notebooks);
 * `--profile` writes a CPU profile of the server during the HTTP part. `--text-scale=2` gives each generated notebook
 * twice the cells (about 13 kB of text, the size of real notebooks, against 6.5 kB).
 */
async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const option = (name: string): string | undefined =>
    args.find(arg => arg.startsWith(`--${name}=`))?.slice(name.length + 3);
  const positional = args.filter(arg => !arg.startsWith('--'));
  const largest = positional[0] === undefined ? 20_000 : Number(positional[0]);
  const searchSize = Number(option('search-size') ?? 100_000);
  const textScale = Number(option('text-scale') ?? 1);
  if (!Number.isInteger(textScale) || textScale < 1 || textScale > 10) {
    throw new Error(`--text-scale must be a whole number from 1 to 10, got "${option('text-scale')}"`);
  }
  for (const [name, value] of [
    ['LARGEST', largest],
    ['--search-size', searchSize]
  ] as const) {
    if (!Number.isInteger(value) || value <= 1_000) {
      throw new Error(`${name} must be a whole number above 1000, got "${value}"`);
    }
  }
  const only = option('only')?.split(',') ?? [...PARTS];
  const unknown = only.filter(part => !(PARTS as readonly string[]).includes(part));
  if (unknown.length > 0) {
    throw new Error(`--only takes ${PARTS.join(', ')}; got ${unknown.join(', ')}`);
  }
  const start = now();
  console.log(`Notebook Gallery bench (node ${process.version})`);
  if (only.includes('strip')) {
    printStripResults(runStripBench());
  }
  if (only.includes('secrets')) {
    printSecretsResults(runSecretsBench());
  }
  if (only.includes('revisions')) {
    printRevisionsResults(runRevisionsBench());
  }
  if (only.includes('render')) {
    printRenderResults(await runRenderBench());
  }
  if (only.includes('pages')) {
    printPageThroughput(await runPageBench());
  }
  if (only.includes('store')) {
    console.log('\nPopulating a gallery (this takes a few minutes)...');
    let storageChecks: IStorageCheckTimes | undefined;
    const store = await runStoreBench(
      line => console.log(line),
      largest,
      async dataDir => {
        storageChecks = await runStorageCheckBench(dataDir);
      }
    );
    printLatencies(store.latencies);
    const largestSaves = store.latencies.filter(r => r.label.startsWith(`save, ${largest} notebooks`));
    printMaintenanceResults(
      store.maintenance,
      largestSaves.map(r => ({ fsync: r.label.endsWith('fsync on'), p50: r.p50 }))
    );
    printStorageCheckTimes(storageChecks!);
  }
  if (only.includes('similar')) {
    console.log('\nSimilar notebooks: generated galleries (rows and vectors written through the repositories)...');
    printSimilarResults([await runSimilarBench(1_000), await runSimilarBench(5_000)]);
  }
  if (only.includes('comments')) {
    printCommentResults(await runCommentBench());
  }
  if (only.includes('import')) {
    printImportResults(await runImportBench());
  }
  if (only.includes('embeddings')) {
    console.log('\nSearch by meaning: the embedding model, and the vector search at --search-size notebooks...');
    await runEmbeddingBench(searchSize);
  }
  if (only.includes('search') || only.includes('http')) {
    console.log(
      `\nGenerated gallery of ${searchSize.toLocaleString('en')} notebooks: rows and search index written straight ` +
        'into SQLite through the repositories (no git repositories: search and listing never read git), plus a ' +
        'few notebooks saved through the service, whose content requests read real git.'
    );
    const generated = await generatedGallery(searchSize, line => console.log(line), textScale);
    console.log(`  ${generated.origin}`);
    if (only.includes('search')) {
      printSearchResults(await runSearchBench(generated));
      printHugeNotebookResults(await runHugeNotebookBench());
    }
    if (only.includes('http')) {
      printThroughput(searchSize, await runHttpBench(generated, option('profile')));
    }
  }
  console.log(`\nTotal ${fixed((now() - start) / 1000, 1)} s`);
}

main().catch(error => {
  console.error(error);
  process.exitCode = 1;
});

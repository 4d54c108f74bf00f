import { fixed, now } from './measure';
import { printRevisionsResults, runRevisionsBench } from './revisionsBench';
import { printLatencies, runStoreBench } from './storeBench';
import { printStripResults, runStripBench } from './stripBench';

/**
 * `npm run bench [-- LARGEST]`: strip throughput, diff and merge times, save latency (fsync off and on) and queries per save as the
 * gallery grows to LARGEST notebooks (20,000 by default), and history latency as a notebook grows.
 */
async function main(): Promise<void> {
  const largest = process.argv[2] === undefined ? 20_000 : Number(process.argv[2]);
  if (!Number.isInteger(largest) || largest <= 1_000) {
    throw new Error(`the gallery size to measure must be a whole number above 1000, got "${process.argv[2]}"`);
  }
  const start = now();
  console.log(`Notebook Gallery bench (node ${process.version})`);
  printStripResults(runStripBench());
  printRevisionsResults(runRevisionsBench());
  console.log('\nPopulating a gallery (this takes a few minutes)...');
  printLatencies(await runStoreBench(line => console.log(line), largest));
  console.log(`\nTotal ${fixed((now() - start) / 1000, 1)} s`);
}

main().catch(error => {
  console.error(error);
  process.exitCode = 1;
});

import { printStripResults, runStripBench } from './stripBench';
import { printLatencies, runStoreBench } from './storeBench';
import { fixed, now } from './measure';

/** `npm run bench`: strip throughput, save latency as the gallery grows, and history latency as a notebook grows. */
async function main(): Promise<void> {
  const start = now();
  console.log(`Notebook Gallery bench (node ${process.version})`);
  printStripResults(runStripBench());
  console.log('\nPopulating a gallery (this takes a few minutes)...');
  printLatencies(await runStoreBench(line => console.log(line)));
  console.log(`\nTotal ${fixed((now() - start) / 1000, 1)} s`);
}

main().catch(error => {
  console.error(error);
  process.exitCode = 1;
});

import { runEmbeddingBench } from './embeddingBench';
import { printBackendSaves, runBackendSaveBench } from './backendSaveBench';
import { benchPostgres, postgresCopy, type IBenchPostgres } from './benchPostgres';
import { printReplicaResults, runReplicaBench } from './replicaBench';
import type { ILatency } from './storeBench';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
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
  'saves',
  'replicas',
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
 *
 * `--backend=sqlite|postgres|both` (sqlite by default): where search, http, saves and replicas run. PostgreSQL gets
 * the generated gallery copied by migrate-to-postgres's copier, in a throwaway cluster (the tests' helper) or on the
 * server of `--postgres=URL`; search and http then run on each backend in turn, in this same run. `saves`: save p50
 * and p99 per backend over the generated gallery; `replicas` (PostgreSQL only): saves per second from 20 clients with
 * one server process, then two, on the same database and data directory.
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
  const backend = option('backend') ?? 'sqlite';
  if (!['sqlite', 'postgres', 'both'].includes(backend)) {
    throw new Error(`--backend takes sqlite, postgres or both; got "${backend}"`);
  }
  const backends = backend === 'both' ? (['sqlite', 'postgres'] as const) : [backend as 'sqlite' | 'postgres'];
  const start = now();
  console.log(`Notebook Gallery bench (node ${process.version}), backends: ${backends.join(', ')}`);
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
  if (['search', 'http', 'saves', 'replicas'].some(part => only.includes(part))) {
    console.log(
      `\nGenerated gallery of ${searchSize.toLocaleString('en')} notebooks: rows and search index written straight ` +
        'into SQLite through the repositories (no git repositories: search and listing never read git), plus a ' +
        'few notebooks saved through the service, whose content requests read real git.'
    );
    const generated = await generatedGallery(searchSize, line => console.log(line), textScale);
    console.log(`  ${generated.origin}`);
    let postgres: IBenchPostgres | undefined;
    const scratchDirs: string[] = [];
    try {
      let databaseUrl: string | null = null;
      if (backends.includes('postgres')) {
        postgres = benchPostgres(option('postgres'));
        console.log(
          '\nThe generated gallery in PostgreSQL (copied by copyGalleryToPostgres, as migrate-to-postgres, once; then ' +
            'from the cached copy)...'
        );
        databaseUrl = await postgresCopy(postgres, generated, line => console.log(line));
      }
      const urlOf = (name: 'sqlite' | 'postgres'): string | null => (name === 'postgres' ? databaseUrl : null);
      for (const name of backends) {
        if (only.includes('search')) {
          printSearchResults(await runSearchBench(generated, urlOf(name)));
        }
        if (only.includes('http')) {
          printThroughput(searchSize, await runHttpBench(generated, option('profile'), urlOf(name)));
        }
      }
      if (only.includes('search')) {
        printHugeNotebookResults(await runHugeNotebookBench());
      }
      // Saves write git repositories (and on SQLite rows): they run on a copy of the data directory, and on
      // PostgreSQL on the copied database, after the reads above.
      const scratch = (name: string): string => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), `gallery-bench-${name}-`));
        scratchDirs.push(dir);
        fs.cpSync(generated.dataDir, dir, {
          recursive: true,
          filter: source => name === 'sqlite' || !path.basename(source).startsWith('gallery.sqlite')
        });
        return dir;
      };
      const dirs = new Map(
        backends
          .filter(() => only.includes('saves') || only.includes('replicas'))
          .map(name => [name, scratch(name)] as const)
      );
      if (only.includes('saves')) {
        const saves: ILatency[] = [];
        for (const name of backends) {
          saves.push(...(await runBackendSaveBench(dirs.get(name)!, searchSize, urlOf(name))));
        }
        printBackendSaves(saves);
      }
      if (only.includes('replicas')) {
        if (databaseUrl === null) {
          console.log('\nReplicas: skipped (several replicas need PostgreSQL: --backend=postgres or both)');
        } else {
          printReplicaResults(await runReplicaBench(dirs.get('postgres')!, databaseUrl, line => console.log(line)));
        }
      }
    } finally {
      for (const dir of scratchDirs) {
        fs.rmSync(dir, { recursive: true, force: true });
      }
      await postgres?.stop();
    }
  }
  console.log(`\nTotal ${fixed((now() - start) / 1000, 1)} s`);
}

main().catch(error => {
  console.error(error);
  process.exitCode = 1;
});

import { FolderSource, GitSource, openGallery, runImport, type IImportSource } from '@notebook-gallery/server';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as git from 'isomorphic-git';
import { fixed, now } from './measure';
import { healthzP50 } from './storageCheckBench';

/** Import throughput, next to /healthz in the same run. */
export interface IImportBenchResult {
  folder: { notebooks: number; seconds: number };
  git: { notebooks: number; revisions: number; seconds: number };
  healthzP50: number;
}

const FOLDER_NOTEBOOKS = 500;
const GIT_NOTEBOOKS = 20;
const GIT_COMMITS = 25;

/**
 * `--only=import`: notebooks per second of `import` from a folder of generated notebooks, and revisions per second
 * from a git history (every notebook changed in every commit), each into a fresh stopped gallery in this process
 * (fsync off, as the other store benches), and `GET /healthz`'s p50 in an app over the same data directory.
 */
export async function runImportBench(): Promise<IImportBenchResult> {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'gallery-bench-import-'));
  try {
    const folder = path.join(work, 'folder');
    for (let i = 0; i < FOLDER_NOTEBOOKS; i++) {
      const file = path.join(folder, `topic${i % 10}`, `notebook${i}.ipynb`);
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, JSON.stringify(notebook(i, 0)));
    }
    const repo = path.join(work, 'repo');
    await git.init({ fs, dir: repo, defaultBranch: 'main' });
    for (let commit = 0; commit < GIT_COMMITS; commit++) {
      for (let n = 0; n < GIT_NOTEBOOKS; n++) {
        fs.writeFileSync(path.join(repo, `nb${n}.ipynb`), JSON.stringify(notebook(n, commit)));
        await git.add({ fs, dir: repo, filepath: `nb${n}.ipynb` });
      }
      await git.commit({
        fs,
        dir: repo,
        message: `Commit ${commit}`,
        author: { name: 'Bench', email: 'bench@example.org', timestamp: 1_600_000_000 + commit, timezoneOffset: 0 }
      });
    }
    const limit = 50 * 1024 * 1024;
    const folderRun = await timedImport(path.join(work, 'data-folder'), new FolderSource(folder, limit));
    const gitRun = await timedImport(path.join(work, 'data-git'), new GitSource(repo, limit));
    return {
      folder: { notebooks: folderRun.notebooks, seconds: folderRun.seconds },
      git: { notebooks: gitRun.notebooks, revisions: gitRun.revisions, seconds: gitRun.seconds },
      healthzP50: await healthzP50(path.join(work, 'data-folder'))
    };
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

async function timedImport(
  dataDir: string,
  source: IImportSource
): Promise<{ notebooks: number; revisions: number; seconds: number }> {
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const gallery = await openGallery({ dataDir, fsync: false, readWorkers: 1 });
  try {
    await gallery.accounts.add('bench', 'bench-password', false);
    const caller = { user: { username: 'bench-admin', isAdmin: true }, groups: new Map() };
    const start = now();
    const report = await runImport(
      source,
      { apply: request => gallery.imports.applyRevision(caller, request), close: async () => undefined },
      {
        owner: 'bench',
        visibility: 'private',
        group: null,
        ownedByGroup: false,
        authorMap: new Map(),
        confirmedSecrets: []
      }
    );
    const seconds = (now() - start) / 1000;
    const failed = report.items.filter(item => item.error !== null);
    if (failed.length > 0) {
      throw new Error(`import failed: ${failed[0].path}: ${failed[0].error}`);
    }
    return {
      notebooks: report.items.length,
      revisions: report.items.reduce((sum, item) => sum + item.applied, 0),
      seconds
    };
  } finally {
    await gallery.close();
  }
}

/** A small notebook with an output (stripped by the import), different per notebook and per version. */
function notebook(n: number, version: number): Record<string, unknown> {
  return {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: { kernelspec: { name: 'python3', display_name: 'Python 3', language: 'python' } },
    cells: [
      { cell_type: 'markdown', id: 'title', metadata: {}, source: `# Notebook ${n}\n\nVersion ${version}.` },
      ...Array.from({ length: 10 }, (_, cell) => ({
        cell_type: 'code',
        id: `code-${cell}`,
        metadata: {},
        execution_count: cell + 1,
        source: `result_${cell} = compute(${n}, ${version}, ${cell})\nprint(result_${cell})`,
        outputs: [{ output_type: 'stream', name: 'stdout', text: [`${n * version * cell}\n`] }]
      }))
    ]
  };
}

/** Prints notebooks and revisions per second, and the time per notebook or revision as a ratio to /healthz's p50. */
export function printImportResults(result: IImportBenchResult): void {
  const perNotebookMs = (1000 * result.folder.seconds) / result.folder.notebooks;
  const perRevisionMs = (1000 * result.git.seconds) / result.git.revisions;
  console.log('\nImport (into a stopped gallery, fsync off)');
  console.log(
    `  folder   ${result.folder.notebooks} notebooks in ${fixed(result.folder.seconds, 1)} s: ` +
      `${fixed(result.folder.notebooks / result.folder.seconds, 0)} notebooks/s, ${fixed(perNotebookMs, 2)} ms each ` +
      `(${fixed(perNotebookMs / result.healthzP50, 0)}× /healthz p50)`
  );
  console.log(
    `  git      ${result.git.revisions} revisions of ${result.git.notebooks} notebooks in ${fixed(result.git.seconds, 1)} s: ` +
      `${fixed(result.git.revisions / result.git.seconds, 0)} revisions/s, ${fixed(perRevisionMs, 2)} ms each ` +
      `(${fixed(perRevisionMs / result.healthzP50, 0)}× /healthz p50)`
  );
  console.log(`  /healthz p50 ${fixed(result.healthzP50, 3)} ms`);
}

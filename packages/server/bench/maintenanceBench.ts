import { backupGallery, openGallery, RecordJournal, repositoryPath, sqliteBackup } from '@notebook-gallery/server';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fixed, now, percentile } from './measure';

/** What keeping git the record costs a save, and how long backup and rebuild-index take. */
export interface IMaintenanceResult {
  notebooks: number;
  /** Appending one revision's entry to a record journal (inside the save's transaction), p50 and p99 in ms. */
  journalAppend: { fsync: boolean; p50: number; p99: number }[];
  backupSeconds: number;
  backupMegabytes: number;
  rebuildSeconds: number;
}

/**
 * On the populated gallery in `dataDir` (server stopped): the record journal's share of a save (appends measured
 * alone, on scratch repositories, so the gallery's journals stay as saves left them), then `backup` of the whole
 * gallery and `rebuild-index` of it.
 */
export async function runMaintenanceBench(dataDir: string, ids: readonly string[]): Promise<IMaintenanceResult> {
  const journalAppend = [false, true].map(fsync => measureAppends(fsync));
  const destination = fs.mkdtempSync(path.join(os.tmpdir(), 'gallery-bench-backup-'));
  try {
    const backupStart = now();
    await backupGallery(dataDir, sqliteBackup(dataDir), path.join(destination, 'copy'));
    const backupSeconds = (now() - backupStart) / 1000;
    const backupMegabytes = directoryBytes(path.join(destination, 'copy')) / 1e6;
    const gallery = await openGallery({ dataDir, fsync: false });
    try {
      const rebuildStart = now();
      const report = await gallery.rebuildIndex();
      const rebuildSeconds = (now() - rebuildStart) / 1000;
      if (report.notebooks !== ids.length || report.unreadable.length > 0) {
        throw new Error(`rebuild-index recovered ${report.notebooks} of ${ids.length} notebooks`);
      }
      return { notebooks: ids.length, journalAppend, backupSeconds, backupMegabytes, rebuildSeconds };
    } finally {
      await gallery.close();
    }
  } finally {
    fs.rmSync(destination, { recursive: true, force: true });
  }
}

/** Prints the journal's cost per save next to the save latency, and the backup and rebuild times. */
export function printMaintenanceResults(result: IMaintenanceResult, saveP50: { fsync: boolean; p50: number }[]): void {
  console.log(`\nGit as the record, backup and rebuild (${result.notebooks.toLocaleString('en')} notebooks)`);
  for (const append of result.journalAppend) {
    const save = saveP50.find(entry => entry.fsync === append.fsync);
    const share = save ? `  (${fixed((100 * append.p50) / save.p50, 1)}% of a save's p50)` : '';
    console.log(
      `  record journal append, fsync ${append.fsync ? 'on ' : 'off'}   p50 ${fixed(append.p50, 3)}  ` +
        `p99 ${fixed(append.p99, 3)} ms${share}`
    );
  }
  console.log(
    `  backup (online)          ${fixed(result.backupSeconds, 1)} s, ${fixed(result.backupMegabytes, 0)} MB, ` +
      `${fixed((1000 * result.backupSeconds) / result.notebooks, 2)} ms per notebook`
  );
  console.log(
    `  rebuild-index            ${fixed(result.rebuildSeconds, 1)} s, ` +
      `${fixed((1000 * result.rebuildSeconds) / result.notebooks, 2)} ms per notebook`
  );
}

/** Appends a typical revision entry 300 times to scratch repositories' journals. */
function measureAppends(fsync: boolean): { fsync: boolean; p50: number; p99: number } {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'gallery-bench-journal-'));
  try {
    const ids = Array.from({ length: 50 }, (_, index) => `bench${String(index).padStart(11, '0')}`);
    for (const id of ids) {
      fs.mkdirSync(repositoryPath(scratch, id), { recursive: true });
    }
    const journal = new RecordJournal(scratch, { fsync });
    const samples: number[] = [];
    for (let i = 0; i < 300; i++) {
      const start = now();
      journal.append(ids[i % ids.length], {
        op: 'notebook.addRevision',
        revision: {
          number: i + 2,
          sha: 'a'.repeat(40),
          blobSha: 'b'.repeat(40),
          author: 'bench',
          message: `Update notebook ${i}`,
          createdAt: new Date().toISOString()
        }
      });
      samples.push(now() - start);
    }
    return { fsync, p50: percentile(samples, 50), p99: percentile(samples, 99) };
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

function directoryBytes(dir: string): number {
  let total = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) {
      total += fs.statSync(path.join(entry.parentPath, entry.name)).size;
    }
  }
  return total;
}

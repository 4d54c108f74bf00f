import * as fs from 'node:fs';
import { removeStaleBranchLock, setBranchHead } from './gitRepository';
import { moveToTrash, type INotebookStoreParts } from './notebookStore';
import { repositoryPath } from './repositoryLayout';
import { SINGLE_PROCESS, type INotebookWriteLock } from '../repositories/notebookWriteLock';
import type { IJournalEntry } from '../repositories/saveJournalRepository';

/** What startup repair found and fixed. */
export interface IReconcileReport {
  /** Notebooks whose branch was moved to the head the database acknowledged. */
  refsRepaired: number;
  /** Repositories of creates that were never acknowledged, removed. */
  createsRolledBack: number;
  /** Deletes finished: the repository moved to the trash and the rows removed. */
  deletesFinished: number;
  /** Deletes that never moved the repository, dropped so the notebook stays as it was. */
  deletesRolledBack: number;
}

/** What repair needs: the store's parts but its save hook and logger; built by the composition root. */
export type ISaveRecoveryParts = Omit<INotebookStoreParts, 'hook' | 'log'>;

function emptyReport(): IReconcileReport {
  return { refsRepaired: 0, createsRolledBack: 0, deletesFinished: 0, deletesRolledBack: 0 };
}

/**
 * Finishes or undoes every repository change the save journal says was in flight, so git and the database agree
 * after a crash (or after a ref move that failed at save time). Run before serving requests.
 *
 * Each notebook is repaired holding its write lock (`parts.writeLock`), and its entries are read again under it:
 * with several replicas, an entry listed here may belong to a save another replica is making right now, and only
 * once that save has let go of the lock is a remaining entry really left behind (the save cleared its own).
 */
export async function reconcile(parts: ISaveRecoveryParts): Promise<IReconcileReport> {
  const report = emptyReport();
  const lock = parts.writeLock ?? SINGLE_PROCESS;
  const notebookIds = new Set((await parts.journal.pending()).map(entry => entry.notebookId));
  for (const notebookId of notebookIds) {
    await lock.run(notebookId, () => repairNotebook(parts, notebookId, report));
  }
  return report;
}

/**
 * A write lock that first repairs what a killed replica left in the journal for the notebook, then runs the write:
 * "the next one to touch that notebook" repairs it, without waiting for some replica's restart. Only for several
 * processes on one database; with SQLite one process owns the data directory and repairs everything at start.
 */
export function repairingWriteLock(lock: INotebookWriteLock, parts: ISaveRecoveryParts): INotebookWriteLock {
  return {
    run: (id, task) =>
      lock.run(id, async () => {
        await repairNotebook(parts, id, emptyReport());
        return task();
      })
  };
}

/** Repairs every journal entry of one notebook; the caller holds the notebook's write lock. */
async function repairNotebook(parts: ISaveRecoveryParts, notebookId: string, report: IReconcileReport): Promise<void> {
  const entries = (await parts.journal.pending()).filter(entry => entry.notebookId === notebookId);
  for (const entry of entries) {
    await repairEntry(parts, entry, report);
  }
}

async function repairEntry(parts: ISaveRecoveryParts, entry: IJournalEntry, report: IReconcileReport): Promise<void> {
  const gitdir = repositoryPath(parts.dataDir, entry.notebookId);
  const record = await parts.notebooks.find(entry.notebookId);
  const inPlace = fs.existsSync(gitdir);
  if (entry.kind === 'delete') {
    if (record && inPlace) {
      // The repository never moved, so the delete was never acknowledged: the notebook stays.
      report.deletesRolledBack++;
    } else if (record) {
      await parts.unitOfWork.transaction(async () => {
        await parts.search.remove(record.seq);
        await parts.notebooks.remove(record.id);
      });
      report.deletesFinished++;
    } else {
      if (inPlace) {
        await moveToTrash(parts.dataDir, entry.notebookId);
      }
      report.deletesFinished++;
    }
  } else if (record && inPlace) {
    await removeStaleBranchLock(gitdir);
    await setBranchHead(parts.git, gitdir, record.headSha);
    report.refsRepaired++;
  } else if (!record && entry.kind === 'create') {
    await fs.promises.rm(gitdir, { recursive: true, force: true });
    report.createsRolledBack++;
  }
  await parts.journal.clear(entry.seq);
}

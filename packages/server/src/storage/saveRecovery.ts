import * as fs from 'node:fs';
import { removeStaleBranchLock, setBranchHead } from './gitRepository';
import { moveToTrash, type INotebookStoreParts } from './notebookStore';
import { repositoryPath } from './repositoryLayout';

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

/**
 * Finishes or undoes every repository change the save journal says was in flight, so git and the database agree
 * after a crash (or after a ref move that failed at save time). Run before serving requests.
 */
export async function reconcile(parts: ISaveRecoveryParts): Promise<IReconcileReport> {
  const report: IReconcileReport = { refsRepaired: 0, createsRolledBack: 0, deletesFinished: 0, deletesRolledBack: 0 };
  for (const entry of await parts.journal.pending()) {
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
  return report;
}

import { scanNotebookSecrets, type ISecretFinding } from '@notebook-gallery/core';
import type { INotebookRepository } from '../repositories/notebookRepository';
import type { ISecretAllowlistRepository } from '../repositories/secretAllowlistRepository';
import type { NotebookStore } from '../storage/notebookStore';

/** A finding in one revision of one notebook. */
export interface IGallerySecretFinding extends ISecretFinding {
  notebookId: string;
  title: string;
  revision: string;
  /** 1-based, as the History panel numbers revisions. */
  revisionNumber: number;
}

/** What `notebook-gallery scan` found. */
export interface IGallerySecretReport {
  notebooks: number;
  revisions: number;
  findings: IGallerySecretFinding[];
  /** Revisions that could not be read from git (fsck says why). */
  unreadable: { notebookId: string; revision: string; reason: string }[];
}

/** What {@link scanGallerySecrets} reads. */
export interface IGallerySecretScanParts {
  store: NotebookStore;
  notebooks: Pick<INotebookRepository, 'listHeads'>;
  allowlist: ISecretAllowlistRepository;
}

/**
 * Scans every revision of every notebook, for administrators adopting the secret check on a gallery that had
 * notebooks before it: saves are checked from now on, but history keeps what was saved. Confirmed fingerprints of a
 * notebook are left out, as a save would. No time budget: an administrator's run may take as long as it needs.
 */
export async function scanGallerySecrets(
  parts: IGallerySecretScanParts,
  progress?: (done: number, total: number) => void
): Promise<IGallerySecretReport> {
  const heads = await parts.notebooks.listHeads();
  const report: IGallerySecretReport = { notebooks: 0, revisions: 0, findings: [], unreadable: [] };
  for (const head of heads) {
    const record = await parts.store.find(head.id);
    if (record !== undefined) {
      report.notebooks++;
      const allowed = await parts.allowlist.forNotebook(record.id);
      const revisions = await parts.store.listRevisions(record);
      for (const revision of revisions) {
        report.revisions++;
        let notebook: unknown;
        try {
          notebook = await parts.store.readNotebook(record, revision.revision);
        } catch (error) {
          report.unreadable.push({
            notebookId: record.id,
            revision: revision.revision,
            reason: (error as Error).message
          });
          continue;
        }
        const { findings } = scanNotebookSecrets(notebook, { allowed, timeBudgetMs: Number.POSITIVE_INFINITY });
        for (const finding of findings) {
          report.findings.push({
            notebookId: record.id,
            title: record.title,
            revision: revision.revision,
            revisionNumber: revision.number,
            ...finding
          });
        }
      }
    }
    progress?.(report.notebooks, heads.length);
  }
  return report;
}

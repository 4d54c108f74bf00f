import type { IEnvironmentRepository } from '../repositories/environmentRepository';
import type { IUnitOfWork } from '../repositories/unitOfWork';
import type { IGitIo } from './gitRepository';
import type { INotebookStoreParts } from './notebookStore';
import { revisionEnvironment } from './preparedNotebook';
import { drainUpgradeQueue } from './upgradeQueue';

/** What the backfill needs; built by the composition root. */
export interface IEnvironmentBackfillParts {
  dataDir: string;
  notebooks: INotebookStoreParts['notebooks'];
  environments: IEnvironmentRepository;
  unitOfWork: IUnitOfWork;
  git: IGitIo;
}

/**
 * Records the environment of every revision the upgrade to schema 8 queued, reading each from git (heads first, so
 * summaries are complete early). Every revision, not only heads: the revision list shows each one's environment,
 * and reading a blob costs about a millisecond. Runs before serving, so no health report can name a revision
 * whose code hash is missing. Safe to interrupt: a revision leaves the queue only once recorded.
 * Returns how many revisions were recorded.
 */
export function backfillEnvironments(parts: IEnvironmentBackfillParts): Promise<number> {
  return drainUpgradeQueue(parts, {
    pending: () => parts.environments.pending(),
    locate: async pending => {
      const revision = await parts.notebooks.findRevision(pending.notebookId, pending.sha);
      return revision && { notebookId: pending.notebookId, blobSha: revision.blobSha };
    },
    apply: (pending, _located, notebook) =>
      parts.environments.put(pending.notebookId, pending.sha, revisionEnvironment(notebook)),
    clear: pending => parts.environments.clearPending(pending)
  });
}

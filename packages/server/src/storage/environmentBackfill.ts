import { parseNotebook } from '@notebook-gallery/core';
import type { IEnvironmentRepository } from '../repositories/environmentRepository';
import type { IUnitOfWork } from '../repositories/unitOfWork';
import { readBlob, type IGitIo } from './gitRepository';
import type { INotebookStoreParts } from './notebookStore';
import { revisionEnvironment } from './preparedNotebook';
import { repositoryPath } from './repositoryLayout';

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
export async function backfillEnvironments(parts: IEnvironmentBackfillParts): Promise<number> {
  let recorded = 0;
  for (const pending of parts.environments.pending()) {
    const revision = parts.notebooks.findRevision(pending.notebookId, pending.sha);
    if (revision) {
      const bytes = await readBlob(parts.git, repositoryPath(parts.dataDir, pending.notebookId), revision.blobSha);
      const environment = revisionEnvironment(parseNotebook(Buffer.from(bytes).toString('utf8')));
      parts.unitOfWork.transaction(() => {
        parts.environments.put(pending.notebookId, pending.sha, environment);
        parts.environments.clearPending(pending);
      });
      recorded++;
    } else {
      parts.environments.clearPending(pending);
    }
  }
  return recorded;
}

import { notebookSearchText } from '@notebook-gallery/core';
import type { INotebookRepository } from '../repositories/notebookRepository';
import type { ISimilarityRepository } from '../repositories/similarityRepository';
import type { IUnitOfWork } from '../repositories/unitOfWork';
import type { IGitIo } from './gitRepository';
import { drainUpgradeQueue } from './upgradeQueue';

/** What building the queued vectors needs; built by the composition root. */
export interface ISimilarityReindexParts {
  dataDir: string;
  notebooks: INotebookRepository;
  similarity: ISimilarityRepository;
  unitOfWork: IUnitOfWork;
  git: IGitIo;
}

/**
 * Builds the term vector of every notebook the upgrade queued, from its latest revision in git. Safe to interrupt:
 * a notebook leaves the queue only with its vector, and a save in between builds the newer one anyway. Returns how
 * many vectors were built.
 */
export function reindexPendingVectors(parts: ISimilarityReindexParts): Promise<number> {
  return drainUpgradeQueue(parts, {
    pending: () => parts.similarity.pending(),
    locate: async id => {
      const record = await parts.notebooks.find(id);
      return record && { notebookId: id, blobSha: record.headBlobSha };
    },
    apply: async (id, { blobSha }, notebook) => {
      // Read again inside the transaction: a save may have changed the head while git was read.
      const current = await parts.notebooks.find(id);
      if (current?.headBlobSha === blobSha) {
        await parts.similarity.put(current.seq, current, notebookSearchText(notebook));
      }
    },
    clear: id => parts.similarity.clearPending(id)
  });
}

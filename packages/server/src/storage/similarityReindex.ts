import { notebookSearchText, parseNotebook } from '@notebook-gallery/core';
import type { INotebookRepository } from '../repositories/notebookRepository';
import type { ISimilarityRepository } from '../repositories/similarityRepository';
import type { IUnitOfWork } from '../repositories/unitOfWork';
import { readBlob, type IGitIo } from './gitRepository';
import { repositoryPath } from './repositoryLayout';

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
export async function reindexPendingVectors(parts: ISimilarityReindexParts): Promise<number> {
  let built = 0;
  for (const id of parts.similarity.pending()) {
    const record = parts.notebooks.find(id);
    if (record) {
      const bytes = await readBlob(parts.git, repositoryPath(parts.dataDir, id), record.headBlobSha);
      const text = notebookSearchText(parseNotebook(Buffer.from(bytes).toString('utf8')));
      parts.unitOfWork.transaction(() => {
        // Read again inside the transaction: a save may have changed the head while git was read.
        const current = parts.notebooks.find(id);
        if (current?.headBlobSha === record.headBlobSha) {
          parts.similarity.put(current.seq, current, text);
        }
        parts.similarity.clearPending(id);
      });
      built++;
    } else {
      parts.similarity.clearPending(id);
    }
  }
  return built;
}

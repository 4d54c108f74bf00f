import { notebookSearchText, parseNotebook } from '@notebook-gallery/core';
import { readBlob } from './gitRepository';
import type { ISaveRecoveryParts } from './saveRecovery';
import { repositoryPath } from './repositoryLayout';

/**
 * Indexes the text of every notebook the search index queued (an upgrade added columns that only the notebook's
 * latest revision in git can fill). Safe to interrupt: a notebook leaves the queue only once it is indexed, and a
 * save in between indexes the newer revision anyway. Returns how many notebooks were indexed.
 */
export async function reindexPendingText(parts: Omit<ISaveRecoveryParts, 'journal'>): Promise<number> {
  let indexed = 0;
  for (const id of parts.search.pendingText()) {
    const record = parts.notebooks.find(id);
    if (record) {
      const bytes = await readBlob(parts.git, repositoryPath(parts.dataDir, id), record.headBlobSha);
      const text = notebookSearchText(parseNotebook(Buffer.from(bytes).toString('utf8')));
      parts.unitOfWork.transaction(() => {
        parts.search.put(record.seq, record, text);
        parts.search.clearPending(id);
      });
      indexed++;
    } else {
      parts.search.clearPending(id);
    }
  }
  return indexed;
}

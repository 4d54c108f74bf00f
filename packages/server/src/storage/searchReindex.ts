import { notebookSearchText } from '@notebook-gallery/core';
import type { ISaveRecoveryParts } from './saveRecovery';
import { drainUpgradeQueue } from './upgradeQueue';

/**
 * Indexes the text of every notebook the search index queued (an upgrade added columns that only the notebook's
 * latest revision in git can fill). Safe to interrupt: a notebook leaves the queue only once it is indexed, and a
 * save in between indexes the newer revision anyway. Returns how many notebooks were indexed.
 */
export function reindexPendingText(parts: Omit<ISaveRecoveryParts, 'journal'>): Promise<number> {
  return drainUpgradeQueue(parts, {
    pending: () => parts.search.pendingText(),
    locate: async id => {
      const record = await parts.notebooks.find(id);
      return record && { notebookId: id, blobSha: record.headBlobSha, record };
    },
    apply: (_id, { record }, notebook) => parts.search.put(record.seq, record, notebookSearchText(notebook)),
    clear: id => parts.search.clearPending(id)
  });
}

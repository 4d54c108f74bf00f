import { notebookSearchText } from '@notebook-gallery/core';
import type { ISearchRanking } from '../repositories/searchRankingRepository';
import type { IUnitOfWork } from '../repositories/unitOfWork';
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

/** Notebooks filled into the ranking tables per transaction: short, so saves and other writes wait little. */
const RANKING_BATCH = 50;

/**
 * Fills the top-k engine's ranking tables after the upgrade that added them, from the search index's own rows, in the
 * background once the server serves: a transaction of {@link RANKING_BATCH} notebooks, then a turn of the event loop
 * for requests. Safe to interrupt (a notebook leaves the queue in the transaction that indexes it) and stops when
 * `stopped` says so (the gallery closes). Returns how many notebooks it filled.
 */
export async function fillRankingTables(
  ranking: ISearchRanking,
  unitOfWork: IUnitOfWork,
  stopped: () => boolean = () => false
): Promise<number> {
  let queued = await ranking.fill(0);
  let filled = 0;
  while (queued > 0 && !stopped()) {
    const left = await unitOfWork.transaction(() => ranking.fill(RANKING_BATCH));
    filled += queued - left;
    queued = left;
    await new Promise(resolve => setImmediate(resolve));
  }
  return filled;
}

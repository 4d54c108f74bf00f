import { parseNotebook, type INotebook } from '@notebook-gallery/core';
import type { IUnitOfWork } from '../repositories/unitOfWork';
import { readBlob, type IGitIo } from './gitRepository';
import { repositoryPath } from './repositoryLayout';

/** Where a queued item's notebook is in git. */
export interface IQueuedBlob {
  notebookId: string;
  blobSha: string;
}

/**
 * A queue an upgrade filled with work that only a notebook in git can do (index its text, record its environment,
 * build its vector). `locate` says which blob an item needs, or undefined when its notebook or revision is gone.
 */
export interface IUpgradeQueue<T, L extends IQueuedBlob> {
  pending(): Promise<T[]>;
  locate(item: T): Promise<L | undefined>;
  /** Does the item's work; runs in the same transaction as {@link clear}. */
  apply(item: T, located: L, notebook: INotebook): Promise<void>;
  clear(item: T): Promise<void>;
}

/**
 * Works through an upgrade queue before the server serves: reads each item's notebook from git, then applies it and
 * takes it off the queue in one transaction. Safe to interrupt: an item leaves the queue only once applied, and an
 * item whose notebook is gone just leaves it. Returns how many items were applied.
 */
export async function drainUpgradeQueue<T, L extends IQueuedBlob>(
  parts: { dataDir: string; git: IGitIo; unitOfWork: IUnitOfWork },
  queue: IUpgradeQueue<T, L>
): Promise<number> {
  let applied = 0;
  for (const item of await queue.pending()) {
    const located = await queue.locate(item);
    if (located) {
      const bytes = await readBlob(parts.git, repositoryPath(parts.dataDir, located.notebookId), located.blobSha);
      const notebook = parseNotebook(Buffer.from(bytes).toString('utf8'));
      await parts.unitOfWork.transaction(async () => {
        await queue.apply(item, located, notebook);
        await queue.clear(item);
      });
      applied++;
    } else {
      await queue.clear(item);
    }
  }
  return applied;
}

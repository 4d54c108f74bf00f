import { mergeNotebooks, type IMergedWith, type INotebook } from '@notebook-gallery/core';
import { MergeConflictError } from '../errors/MergeConflictError';
import type { INotebookRecord } from '../repositories/notebookRepository';
import type { NotebookStore } from '../storage/notebookStore';
import { prepareNotebook, type IPreparedNotebook } from '../storage/preparedNotebook';

/** A clean merge with the latest revision, ready to commit on top of it. */
export interface IMergedWithLatest {
  prepared: IPreparedNotebook;
  /** The latest revision the changes were merged with, and its author. */
  mergedWith: IMergedWith;
}

/**
 * Merges the changes `local` made to revision `base` with the notebook's latest revision: base, local and remote
 * (the latest) go to core's `mergeNotebooks`. Call it inside `NotebookStore.exclusive`, so the latest stays latest
 * until the result is committed.
 * @param conflictMessage what the 409 says when the merge has conflicts: what the caller can do next.
 * @throws {RevisionNotFoundError} when `base` is not a revision of the notebook.
 * @throws {MergeConflictError} when both sides changed the same thing differently; nothing is committed.
 */
export async function mergeWithLatest(
  store: NotebookStore,
  current: INotebookRecord,
  base: string,
  local: INotebook,
  conflictMessage: string
): Promise<IMergedWithLatest> {
  await store.revision(current.id, base);
  const [baseNotebook, remote] = await Promise.all([store.readNotebook(current, base), store.readNotebook(current)]);
  const result = mergeNotebooks(baseNotebook, local, remote);
  if (result.conflicts.length > 0) {
    throw new MergeConflictError(conflictMessage, current.headSha, result.conflicts);
  }
  const latest = await store.revision(current.id, current.headSha);
  return {
    prepared: prepareNotebook(result.notebook),
    mergedWith: { revision: latest.revision, number: latest.number, author: latest.author }
  };
}

/** The commit message of a merged revision: the given one, naming the revision it was merged with. */
export function mergedMessage(message: string, mergedWith: IMergedWith): string {
  return `${message} (merged with revision ${mergedWith.number} by ${mergedWith.author}, ${mergedWith.revision.slice(0, 12)})`;
}

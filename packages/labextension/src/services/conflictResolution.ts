import { mergeNotebooks, type IMergeConflict, type INotebook, type MergeChoice } from '@notebook-gallery/core';

/** What the conflict dialog says about the two sides. */
export interface IConflictContext {
  /** The notebook's title in the gallery. */
  title: string;
  /** Who or what "theirs" is, for example “the gallery’s version 4”. */
  theirs: string;
}

/**
 * Ask the user to settle each conflict (mine, theirs or both); resolves with a choice for every conflict id, or
 * null when the user cancels.
 */
export type ResolveConflicts = (
  conflicts: readonly IMergeConflict[],
  context: IConflictContext
) => Promise<Record<string, MergeChoice> | null>;

/**
 * Merge the changes `local` and `remote` made to `base`, asking the user through `resolve` when both changed the
 * same thing, so nothing is ever settled silently.
 *
 * @returns the merged notebook, or null when the user cancelled.
 * @throws {Error} when a conflict is left unsettled by the choices (the dialog never allows that).
 */
export async function mergeWithChoices(
  base: INotebook,
  local: INotebook,
  remote: INotebook,
  resolve: ResolveConflicts,
  context: IConflictContext
): Promise<INotebook | null> {
  const first = mergeNotebooks(base, local, remote);
  if (first.conflicts.length === 0) {
    return first.notebook;
  }
  const choices = await resolve(first.conflicts, context);
  if (choices === null) {
    return null;
  }
  const settled = mergeNotebooks(base, local, remote, { choices });
  if (settled.conflicts.length > 0) {
    throw new Error(`${settled.conflicts.length} conflicts were left without a choice`);
  }
  return settled.notebook;
}

import { stripNotebook, type IGalleryProvenance, type INotebook } from '@notebook-gallery/core';
import { mergeWithChoices, type IConflictContext, type ResolveConflicts } from './conflictResolution';
import { isEditedCopy, withKernelMetadataOf } from './copyComparison';
import { keepLocalOutputs } from './localOutputs';

/** How lines the user typed meanwhile and lines the gallery's version changed are settled: by asking the user. */
export interface ITypingConflicts {
  resolve: ResolveConflicts;
  context: IConflictContext;
}

/**
 * What the open copy shows when the gallery's version (`next`: a merged save, or a newer revision) replaces
 * `sent`, the content the request was made with, while the copy now holds `current`: whatever the user typed
 * meanwhile is merged in (base `sent`, mine `current`, theirs `next`), so no keystroke is dropped, and where the
 * typing and `next` changed the same lines the user settles it in the conflict dialog, never silently. Unchanged
 * cells keep their outputs and the copy records `provenance`.
 *
 * @returns the notebook to show, or null when the user cancelled the conflict dialog: the copy must then stay as it
 * is, on the provenance it had, so the next save or update merges three-way again.
 */
export async function mergedCopyContent(
  sent: INotebook,
  current: INotebook,
  next: INotebook,
  provenance: IGalleryProvenance,
  conflicts: ITypingConflicts
): Promise<INotebook | null> {
  if (!isEditedCopy(current, sent)) {
    return keepLocalOutputs(next, current, provenance);
  }
  const theirs = stripNotebook(next);
  const shown = await mergeWithChoices(
    withKernelMetadataOf(stripNotebook(sent), theirs),
    withKernelMetadataOf(stripNotebook(current), theirs),
    theirs,
    conflicts.resolve,
    conflicts.context
  );
  return shown === null ? null : keepLocalOutputs(shown, current, provenance);
}

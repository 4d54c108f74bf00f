import { mergeNotebooks, stripNotebook, type IGalleryProvenance, type INotebook } from '@notebook-gallery/core';
import { isEditedCopy } from './copyComparison';
import { keepLocalOutputs } from './localOutputs';

/**
 * What the open copy shows after a save the gallery merged: the merged notebook, plus whatever the user typed while
 * the save was on its way (`current` against `sent`, what was uploaded), so showing the merge never drops a
 * keystroke; where both touched the same lines the user's newer text stays. Unchanged cells keep their outputs.
 */
export function mergedCopyContent(
  sent: INotebook,
  current: INotebook,
  merged: INotebook,
  provenance: IGalleryProvenance
): INotebook {
  const shown = isEditedCopy(current, sent)
    ? mergeNotebooks(stripNotebook(sent), stripNotebook(current), merged).notebook
    : merged;
  return keepLocalOutputs(shown, current, provenance);
}

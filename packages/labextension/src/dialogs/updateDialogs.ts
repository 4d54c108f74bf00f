import { Dialog, showDialog } from '@jupyterlab/apputils';
import type { TranslationBundle } from '@jupyterlab/translation';
import type { EditedCopyChoice, IUpdatePrompts } from '../services/updateFlow';
import { askConflictChoices } from './conflictDialog';

/** The update flow's questions, asked with JupyterLab dialogs. */
export function updatePrompts(trans: TranslationBundle): IUpdatePrompts {
  return {
    chooseForEditedCopy: (title, revisionNumber) => askEditedCopyChoice(trans, title, revisionNumber),
    resolveConflicts: (conflicts, context) => askConflictChoices(trans, conflicts, context)
  };
}

/** Ask what to do with an edited copy: merge the new version in, or keep it and put the new version beside it. */
export async function askEditedCopyChoice(
  trans: TranslationBundle,
  title: string,
  revisionNumber: number
): Promise<EditedCopyChoice | null> {
  const result = await showDialog({
    title: trans.__('Update “%1” to version %2?', title, revisionNumber),
    body: trans.__(
      'You edited your copy. Merging keeps every edit of yours and adds the gallery’s changes; where you both changed the same lines you choose what to keep. Or keep your copy exactly as it is and put the new version beside it as a separate file.'
    ),
    buttons: [
      Dialog.cancelButton({ label: trans.__('Cancel') }),
      Dialog.createButton({
        label: trans.__('Keep mine and put the new version beside it'),
        className: Private.BESIDE
      }),
      Dialog.okButton({ label: trans.__('Merge into my copy'), className: Private.MERGE })
    ]
  });
  if (result.button.className.includes(Private.MERGE)) {
    return 'merge';
  }
  if (result.button.className.includes(Private.BESIDE)) {
    return 'beside';
  }
  return null;
}

namespace Private {
  export const MERGE = 'jp-NotebookGallery-updateMerge';
  export const BESIDE = 'jp-NotebookGallery-updateBeside';
}

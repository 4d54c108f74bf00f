import type { IDeletionImpact, INotebookSummary } from '@notebook-gallery/core';
import { Dialog, showDialog } from '@jupyterlab/apputils';
import type { TranslationBundle } from '@jupyterlab/translation';
import { Widget } from '@lumino/widgets';
import { element } from '../widgets/dom';

/**
 * Confirm deleting `summary` from the gallery, naming it and saying what goes with it (its versions) and what
 * stays (forks, and the copies people opened, which stop receiving updates). Resolves with true to delete.
 */
export async function confirmDelete(
  trans: TranslationBundle,
  summary: INotebookSummary,
  impact: IDeletionImpact
): Promise<boolean> {
  const body = element('div', 'jp-NotebookGallery-deleteConfirm');
  body.append(...deletionText(trans, impact).map(text => element('p', '', text)));
  const result = await showDialog({
    title: trans.__('Delete “%1” from the gallery?', summary.title),
    body: new Widget({ node: body }),
    buttons: [
      Dialog.cancelButton({ label: trans.__('Cancel') }),
      Dialog.warnButton({ label: trans.__('Delete from gallery') })
    ],
    // Cancel is the safe default for Enter.
    defaultButton: 0
  });
  return result.button.accept;
}

/** The confirmation's sentences: what is deleted, then what stays. */
export function deletionText(trans: TranslationBundle, impact: IDeletionImpact): string[] {
  const lines = [
    trans._n(
      'Its only version is deleted for everyone who can see it.',
      'All %1 versions of it are deleted for everyone who can see it.',
      impact.revisions
    )
  ];
  if (impact.forks > 0) {
    lines.push(
      trans._n(
        '%1 fork saved from it in the gallery stays, as a notebook of its own.',
        '%1 forks saved from it in the gallery stay, as notebooks of their own.',
        impact.forks
      )
    );
  }
  lines.push(
    impact.openedBy > 0
      ? trans._n(
          '%1 person opened a copy. Local copies stay on people’s machines, but stop receiving updates.',
          '%1 people opened a copy. Local copies stay on people’s machines, but stop receiving updates.',
          impact.openedBy
        )
      : trans.__('Nobody has opened a copy yet. Any local copy stays where it is, but stops receiving updates.')
  );
  lines.push(trans.__('This cannot be undone from JupyterLab.'));
  return lines;
}

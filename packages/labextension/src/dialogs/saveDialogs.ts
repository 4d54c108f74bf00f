import { Dialog, showDialog } from '@jupyterlab/apputils';
import type { TranslationBundle } from '@jupyterlab/translation';
import { Widget } from '@lumino/widgets';
import type { INotebookDetails, ISavePrompts } from '../services/saveFlow';
import { askConflictChoices } from './conflictDialog';
import { element, labelledInput } from '../widgets/dom';
import { VisibilityField } from '../widgets/visibilityField';

/** The save flow's questions, asked with JupyterLab dialogs. */
export function savePrompts(trans: TranslationBundle): ISavePrompts {
  return {
    notebookDetails: (heading, initial, groups) => askNotebookDetails(trans, heading, initial, groups),
    revisionMessage: title => askRevisionMessage(trans, title),
    confirmSaveAsNew: (heading, explanation) => confirmSaveAsNew(trans, heading, explanation),
    resolveConflicts: (conflicts, context) => askConflictChoices(trans, conflicts, context)
  };
}

/**
 * Ask for the title, description, tags and visibility of a new gallery notebook; re-asks while
 * the title is empty. `groups` are the caller's groups. Resolves with null when the user cancels.
 */
export async function askNotebookDetails(
  trans: TranslationBundle,
  heading: string,
  initial: INotebookDetails,
  groups: readonly string[]
): Promise<INotebookDetails | null> {
  let details = initial;
  let problem: string | null = null;
  for (;;) {
    const result = await showDialog({
      title: heading,
      body: new Private.DetailsBody(trans, details, problem, groups),
      buttons: [
        Dialog.cancelButton({ label: trans.__('Cancel') }),
        Dialog.okButton({ label: trans.__('Save to Gallery') })
      ],
      focusNodeSelector: 'input'
    });
    if (!result.button.accept || result.value === null) {
      return null;
    }
    if (result.value.title) {
      return result.value;
    }
    details = result.value;
    problem = trans.__('Give the notebook a title so colleagues can find it.');
  }
}

/** Ask what changed in a new revision; resolves with null when the user cancels. */
export async function askRevisionMessage(trans: TranslationBundle, title: string): Promise<string | null> {
  const result = await showDialog({
    title: trans.__('Save a new version of “%1”', title),
    body: new Private.MessageBody(trans),
    buttons: [
      Dialog.cancelButton({ label: trans.__('Cancel') }),
      Dialog.okButton({ label: trans.__('Save to Gallery') })
    ],
    focusNodeSelector: 'input'
  });
  return result.button.accept ? (result.value ?? '') : null;
}

/** Explain why the notebook cannot be saved in place and offer a new notebook instead. */
export async function confirmSaveAsNew(
  trans: TranslationBundle,
  heading: string,
  explanation: string
): Promise<boolean> {
  const result = await showDialog({
    title: heading,
    body: explanation,
    buttons: [
      Dialog.cancelButton({ label: trans.__('Cancel') }),
      Dialog.okButton({ label: trans.__('Save as new notebook') })
    ]
  });
  return result.button.accept;
}

/** Turn "a, b,, a" into ["a", "b"]. */
export function parseTags(text: string): string[] {
  const tags = text
    .split(',')
    .map(tag => tag.trim())
    .filter(tag => tag.length > 0);
  return [...new Set(tags)];
}

namespace Private {
  /** The Title / Description / Tags / Visibility form; Enter in any field accepts the dialog. */
  export class DetailsBody extends Widget implements Dialog.IBodyWidget<INotebookDetails> {
    constructor(
      trans: TranslationBundle,
      initial: INotebookDetails,
      problem: string | null,
      groups: readonly string[]
    ) {
      super();
      this.addClass('jp-NotebookGallery-form');
      const title = labelledInput(trans.__('Title'), { value: initial.title });
      const description = labelledInput(trans.__('Description'), {
        value: initial.description,
        hint: trans.__('Optional. One sentence on what the notebook does.')
      });
      const tags = labelledInput(trans.__('Tags'), {
        value: initial.tags.join(', '),
        hint: trans.__('Optional. Separate tags with commas, for example: sales, forecast.')
      });
      this._title = title.input;
      this._description = description.input;
      this._tags = tags.input;
      this.node.append(title.node);
      if (problem) {
        const alert = element('p', 'jp-NotebookGallery-error', problem);
        alert.setAttribute('role', 'alert');
        this._title.setAttribute('aria-invalid', 'true');
        this.node.append(alert);
      }
      this._visibility = new VisibilityField(trans, initial, groups);
      this.node.append(description.node, tags.node, this._visibility.node);
      this.node.append(
        element(
          'p',
          'jp-NotebookGallery-hint',
          trans.__('Outputs are removed before upload; only code and text are shared.')
        )
      );
    }

    getValue(): INotebookDetails {
      return {
        title: this._title.value.trim(),
        description: this._description.value.trim(),
        tags: parseTags(this._tags.value),
        ...this._visibility.value
      };
    }

    private _title: HTMLInputElement;
    private _description: HTMLInputElement;
    private _tags: HTMLInputElement;
    private _visibility: VisibilityField;
  }

  /** The one-field "what changed?" form for a new revision. */
  export class MessageBody extends Widget implements Dialog.IBodyWidget<string> {
    constructor(trans: TranslationBundle) {
      super();
      this.addClass('jp-NotebookGallery-form');
      const message = labelledInput(trans.__('Message'), {
        placeholder: trans.__('What changed?'),
        hint: trans.__('Optional. A short note for the notebook’s history.')
      });
      this._message = message.input;
      this.node.append(message.node);
    }

    getValue(): string {
      return this._message.value.trim();
    }

    private _message: HTMLInputElement;
  }
}

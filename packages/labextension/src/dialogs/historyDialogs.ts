import type { INotebookSummary, IRevision } from '@notebook-gallery/core';
import { Dialog, showDialog } from '@jupyterlab/apputils';
import type { TranslationBundle } from '@jupyterlab/translation';
import type { Message } from '@lumino/messaging';
import { Widget } from '@lumino/widgets';
import type { SecretReview } from '../services/secretReview';
import { element, labelledInput } from '../widgets/dom';
import { SecretFindingsView } from '../widgets/secretFindings';
import { allowAccept } from './allowAccept';
import { EnterAwareBody } from './enterAwareBody';

/**
 * Confirm restoring `revision` of `summary`, saying what happens (a new version, nothing deleted, the open copy
 * untouched). Resolves with the message for the new version, or null when the user cancels.
 */
export async function confirmRestore(
  trans: TranslationBundle,
  summary: INotebookSummary,
  revision: IRevision
): Promise<string | null> {
  const result = await showDialog({
    title: trans.__('Restore version %1 of “%2”?', revision.number, summary.title),
    body: new Private.RestoreBody(trans, summary, revision),
    buttons: [
      Dialog.cancelButton({ label: trans.__('Cancel') }),
      Dialog.okButton({ label: trans.__('Restore version %1', revision.number) })
    ],
    focusNodeSelector: 'input'
  });
  return result.button.accept ? (result.value ?? '') : null;
}

/**
 * Ask what a change request changes, starting from `initial`, re-asking while it is empty: the owner decides on that
 * message. `secrets` lists possible secrets under the field; sending waits until each is marked "Not a secret".
 * Resolves with null when the user cancels, and with what they typed when they chose to fix a secret
 * (`secrets.fixing`).
 */
export async function askProposalMessage(
  trans: TranslationBundle,
  summary: INotebookSummary,
  secrets?: SecretReview,
  initial = ''
): Promise<string | null> {
  let problem: string | null = null;
  let message = initial;
  for (;;) {
    const body = new Private.ProposalBody(trans, summary, problem, message, secrets ?? null);
    const result = await showDialog({
      title: trans.__('Propose changes to “%1”', summary.title),
      body,
      buttons: [
        Dialog.cancelButton({ label: trans.__('Cancel') }),
        Dialog.okButton({ label: trans.__('Send change request') })
      ],
      focusNodeSelector: '.jp-NotebookGallery-input'
    });
    if (secrets?.fixing) {
      return body.getValue();
    }
    if (!result.button.accept || result.value === null) {
      return null;
    }
    message = result.value;
    if (message && (secrets?.unresolved ?? 0) === 0) {
      return message;
    }
    problem = message
      ? null
      : trans.__('Say in a few words what you changed and why, so %1 can decide.', summary.owner);
  }
}

namespace Private {
  /** What restoring does, naming the versions that stay after the restored one. */
  export function restoreText(trans: TranslationBundle, summary: INotebookSummary, revision: IRevision): string {
    const next = summary.revisionNumber + 1;
    const later = summary.revisionNumber - revision.number;
    if (later === 1) {
      return trans.__(
        'The gallery adds version %1 with the content of version %2. Version %3 stays in the history, so you can come back to it.',
        next,
        revision.number,
        summary.revisionNumber
      );
    }
    return trans.__(
      'The gallery adds version %1 with the content of version %2. Versions %3 to %4 stay in the history, so you can come back to them.',
      next,
      revision.number,
      revision.number + 1,
      summary.revisionNumber
    );
  }

  export class RestoreBody extends Widget implements Dialog.IBodyWidget<string> {
    constructor(trans: TranslationBundle, summary: INotebookSummary, revision: IRevision) {
      super();
      this.addClass('jp-NotebookGallery-form');
      this.node.append(
        element('p', '', Private.restoreText(trans, summary, revision)),
        element(
          'p',
          'jp-NotebookGallery-hint',
          trans.__(
            'Your open copy does not change. Open the notebook again from the gallery to work on the restored version.'
          )
        )
      );
      const message = labelledInput(trans.__('Message'), {
        value: trans.__('Restored version %1', revision.number),
        hint: trans.__('Shown in the history next to the new version.')
      });
      this._message = message.input;
      this.node.append(message.node);
    }

    getValue(): string {
      return this._message.value.trim();
    }

    private _message: HTMLInputElement;
  }

  /** The change request's message, with the possible secrets under it; Send waits until each is decided. */
  export class ProposalBody extends EnterAwareBody implements Dialog.IBodyWidget<string> {
    constructor(
      trans: TranslationBundle,
      summary: INotebookSummary,
      problem: string | null,
      initial: string,
      secrets: SecretReview | null
    ) {
      super();
      this.addClass('jp-NotebookGallery-form');
      this.node.append(
        element(
          'p',
          '',
          trans.__(
            'You can read “%1” but not edit it. Your copy is sent to %2, who can accept it as a new version or decline it with a comment. You see the answer in the Gallery sidebar.',
            summary.title,
            summary.owner
          )
        )
      );
      const message = labelledInput(trans.__('What did you change?'), {
        value: initial,
        placeholder: trans.__('For example: fixed the units in the revenue chart'),
        hint: trans.__('Required. Outputs are removed before sending; only code and text are shared.')
      });
      this._message = message.input;
      this.node.append(message.node);
      if (problem) {
        const alert = element('p', 'jp-NotebookGallery-error', problem);
        alert.setAttribute('role', 'alert');
        this._message.setAttribute('aria-invalid', 'true');
        this.node.append(alert);
      }
      this._secrets = new SecretFindingsView(trans, secrets);
      this._secrets.onChange = () => this._check();
      this.node.prepend(this._secrets.node);
    }

    getValue(): string {
      return this._message.value.trim();
    }

    dispose(): void {
      this._secrets.dispose();
      super.dispose();
    }

    protected onAfterAttach(msg: Message): void {
      super.onAfterAttach(msg);
      this._check();
    }

    protected onEnter(event: KeyboardEvent, target: HTMLElement): void {
      const next = this._secrets.firstUnresolved;
      if (this._secrets.handleEnter(target) || next) {
        event.preventDefault();
        event.stopPropagation();
        if (!this._secrets.node.contains(target)) {
          next?.focus();
        }
      }
    }

    private _check(): void {
      allowAccept(this.node, true, this._secrets);
    }

    private _message: HTMLInputElement;
    private _secrets: SecretFindingsView;
  }
}

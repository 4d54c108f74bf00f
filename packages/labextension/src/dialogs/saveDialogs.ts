import type { INotebookSummary } from '@notebook-gallery/core';
import { Dialog, showDialog } from '@jupyterlab/apputils';
import type { TranslationBundle } from '@jupyterlab/translation';
import type { Message } from '@lumino/messaging';
import {
  hasProblems,
  listingProblems,
  messageProblem,
  type ListingField,
  type ListingProblems
} from '../services/listingLimits';
import type { INotebookDetails, ISavePrompts } from '../services/saveFlow';
import type { SecretReview } from '../services/secretReview';
import { allowAccept } from './allowAccept';
import { askConflictChoices } from './conflictDialog';
import { EnterAwareBody } from './enterAwareBody';
import { askProposalMessage } from './historyDialogs';
import { element, labelledInput, type ILabelledInput } from '../widgets/dom';
import { SecretFindingsView } from '../widgets/secretFindings';
import { VisibilityField } from '../widgets/visibilityField';

/** The save flow's questions, asked with JupyterLab dialogs. */
export function savePrompts(trans: TranslationBundle): ISavePrompts {
  return {
    notebookDetails: (heading, initial, groups, problems, secrets) =>
      askNotebookDetails(trans, heading, initial, groups, problems, secrets),
    revisionMessage: (title, secrets, initial) => askRevisionMessage(trans, title, secrets, initial),
    confirmSaveAsNew: (heading, explanation) => confirmSaveAsNew(trans, heading, explanation),
    proposeOrFork: summary => askProposeOrFork(trans, summary),
    proposalMessage: (summary, secrets, initial) => askProposalMessage(trans, summary, secrets, initial),
    resolveConflicts: (conflicts, context) => askConflictChoices(trans, conflicts, context)
  };
}

/**
 * Ask for the title, description, tags and visibility of a new gallery notebook. The fields are checked against
 * the gallery's limits as the user types; `problems` (the gallery's refusal of an earlier try) show beside their
 * fields until those are edited. Re-asks, with what was typed, while anything is wrong.
 * `groups` are the caller's groups. `secrets` lists possible secrets under the form; Save waits until each is marked
 * "Not a secret". Resolves with null when the user cancels; when they chose to fix a secret (`secrets.fixing`), with
 * what they typed, to keep for the next try.
 */
export async function askNotebookDetails(
  trans: TranslationBundle,
  heading: string,
  initial: INotebookDetails,
  groups: readonly string[],
  problems: ListingProblems = {},
  secrets?: SecretReview
): Promise<INotebookDetails | null> {
  let details = initial;
  let shown = problems;
  for (;;) {
    const body = new Private.DetailsBody(trans, details, shown, groups, secrets ?? null);
    const result = await showDialog({
      title: heading,
      body,
      buttons: [
        Dialog.cancelButton({ label: trans.__('Cancel') }),
        Dialog.okButton({ label: trans.__('Save to Gallery') })
      ],
      focusNodeSelector: '.jp-NotebookGallery-input'
    });
    if (secrets?.fixing) {
      return body.getValue();
    }
    if (!result.button.accept || result.value === null) {
      return null;
    }
    details = result.value;
    shown = listingProblems(trans, details);
    if (!hasProblems(shown) && (secrets?.unresolved ?? 0) === 0) {
      return details;
    }
  }
}

/**
 * Ask what changed in a new revision, within the message limit, starting from `initial`; `secrets` as in
 * `askNotebookDetails`. Resolves with null when the user cancels, and with what they typed when they chose to fix a
 * secret.
 */
export async function askRevisionMessage(
  trans: TranslationBundle,
  title: string,
  secrets?: SecretReview,
  initial = ''
): Promise<string | null> {
  let message = initial;
  for (;;) {
    const body = new Private.MessageBody(trans, message, secrets ?? null);
    const result = await showDialog({
      title: trans.__('Save a new version of “%1”', title),
      body,
      buttons: [
        Dialog.cancelButton({ label: trans.__('Cancel') }),
        Dialog.okButton({ label: trans.__('Save to Gallery') })
      ],
      focusNodeSelector: '.jp-NotebookGallery-input'
    });
    if (secrets?.fixing) {
      return body.getValue();
    }
    if (!result.button.accept) {
      return null;
    }
    message = result.value ?? '';
    if (messageProblem(trans, message) === null && (secrets?.unresolved ?? 0) === 0) {
      return message;
    }
  }
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

/**
 * A reader saved their copy of someone else's notebook: offer both ways forward in one dialog, proposing the
 * changes to the owner (who decides) or saving a new notebook of their own that records it is based on the original.
 */
export async function askProposeOrFork(
  trans: TranslationBundle,
  summary: INotebookSummary
): Promise<'propose' | 'fork' | null> {
  const result = await showDialog({
    title: trans.__('You cannot save changes to “%1”', summary.title),
    body: trans.__(
      '“%1” belongs to %2, and you may read it but not edit it. Propose these changes to %2, who decides whether they become the next version; or save your version as a new notebook of your own, which records that it is based on theirs.',
      summary.title,
      summary.owner
    ),
    buttons: [
      Dialog.cancelButton({ label: trans.__('Cancel') }),
      Dialog.okButton({ label: trans.__('Propose these changes to the owner'), displayType: 'default' }),
      Dialog.okButton({ label: trans.__('Save as new notebook') })
    ]
  });
  if (!result.button.accept) {
    return null;
  }
  return result.button.label === trans.__('Save as new notebook') ? 'fork' : 'propose';
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
  /**
   * The Title / Description / Tags / Visibility form. Each field says, beside it, what is wrong as soon as it is
   * (`aria-invalid`, and the message joins its description), Save is disabled meanwhile, and Enter in a field accepts
   * only a valid form; otherwise it moves to the first field to correct, or to the first possible secret to decide.
   */
  export class DetailsBody extends EnterAwareBody implements Dialog.IBodyWidget<INotebookDetails> {
    /** `problems` from the gallery show until their field is edited; the form's own checks run from the start. */
    constructor(
      trans: TranslationBundle,
      initial: INotebookDetails,
      problems: ListingProblems,
      groups: readonly string[],
      secrets: SecretReview | null
    ) {
      super();
      this._trans = trans;
      this._secrets = new SecretFindingsView(trans, secrets);
      this._secrets.onChange = () => this._check();
      this._refused = { ...problems };
      this.addClass('jp-NotebookGallery-form');
      this._form = element('p', 'jp-NotebookGallery-error');
      this._form.setAttribute('role', 'alert');
      this._fields = {
        title: new CheckedField(labelledInput(trans.__('Title'), { value: initial.title })),
        description: new CheckedField(
          labelledInput(trans.__('Description'), {
            value: initial.description,
            hint: trans.__('Optional. One sentence on what the notebook does.')
          })
        ),
        tags: new CheckedField(
          labelledInput(trans.__('Tags'), {
            value: initial.tags.join(', '),
            hint: trans.__('Optional. Separate tags with commas, for example: sales, forecast.')
          })
        )
      };
      for (const [name, field] of entries(this._fields)) {
        field.input.addEventListener('input', () => {
          delete this._refused[name];
          this._check();
        });
      }
      this._visibility = new VisibilityField(trans, initial, groups);
      this.node.append(
        this._form,
        this._secrets.node,
        this._fields.title.node,
        this._fields.description.node,
        this._fields.tags.node,
        this._visibility.node,
        element(
          'p',
          'jp-NotebookGallery-hint',
          trans.__('Outputs are removed before upload; only code and text are shared.')
        )
      );
      this._check();
    }

    getValue(): INotebookDetails {
      return {
        title: this._fields.title.input.value.trim(),
        description: this._fields.description.input.value.trim(),
        tags: parseTags(this._fields.tags.input.value),
        ...this._visibility.value
      };
    }

    /** What is wrong now, the gallery's refusals first. */
    get problems(): ListingProblems {
      return { ...listingProblems(this._trans, this.getValue()), ...this._refused };
    }

    protected onAfterAttach(msg: Message): void {
      super.onAfterAttach(msg);
      this._check();
    }

    dispose(): void {
      this._secrets.dispose();
      super.dispose();
    }

    protected onEnter(event: KeyboardEvent, target: HTMLElement): void {
      const first = entries(this._fields).find(([name]) => this.problems[name]);
      const next = first ? first[1].input : this._secrets.firstUnresolved;
      if (this._secrets.handleEnter(target) || next) {
        event.preventDefault();
        event.stopPropagation();
        if (!this._secrets.node.contains(target)) {
          next?.focus();
        }
      }
    }

    /**
     * Show each field's problem beside it, and allow Save only when no field has one; a refusal that names no field
     * stays above the form but does not block trying again.
     */
    private _check(): void {
      const problems = this.problems;
      for (const [name, field] of entries(this._fields)) {
        field.show(problems[name] ?? null);
      }
      this._form.textContent = problems.form ?? '';
      allowAccept(
        this.node,
        entries(this._fields).every(([name]) => !problems[name]),
        this._secrets
      );
    }

    private _trans: TranslationBundle;
    private _refused: ListingProblems;
    private _form: HTMLElement;
    private _fields: Record<ListingField, CheckedField>;
    private _visibility: VisibilityField;
    private _secrets: SecretFindingsView;
  }

  /**
   * The one-field "what changed?" form for a new revision, checked against the message limit as the user types, with
   * the possible secrets under it.
   */
  export class MessageBody extends EnterAwareBody implements Dialog.IBodyWidget<string> {
    constructor(trans: TranslationBundle, initial: string, secrets: SecretReview | null) {
      super();
      this.addClass('jp-NotebookGallery-form');
      this._trans = trans;
      this._message = new CheckedField(
        labelledInput(trans.__('Message'), {
          value: initial,
          placeholder: trans.__('What changed?'),
          hint: trans.__('Optional. A short note for the notebook’s history.')
        })
      );
      this._message.input.addEventListener('input', () => this._check());
      this._secrets = new SecretFindingsView(trans, secrets);
      this._secrets.onChange = () => this._check();
      this.node.append(this._secrets.node, this._message.node);
      this._check();
    }

    dispose(): void {
      this._secrets.dispose();
      super.dispose();
    }

    getValue(): string {
      return this._message.input.value.trim();
    }

    protected onAfterAttach(msg: Message): void {
      super.onAfterAttach(msg);
      this._check();
    }

    protected onEnter(event: KeyboardEvent, target: HTMLElement): void {
      const next = messageProblem(this._trans, this.getValue()) ? this._message.input : this._secrets.firstUnresolved;
      if (this._secrets.handleEnter(target) || next) {
        event.preventDefault();
        event.stopPropagation();
        if (!this._secrets.node.contains(target)) {
          next?.focus();
        }
      }
    }

    private _check(): void {
      const problem = messageProblem(this._trans, this.getValue());
      this._message.show(problem);
      allowAccept(this.node, problem === null, this._secrets);
    }

    private _trans: TranslationBundle;
    private _message: CheckedField;
    private _secrets: SecretFindingsView;
  }

  /** A labelled input with a line under it that says what is wrong with it, tied to it for screen readers. */
  export class CheckedField {
    readonly node: HTMLElement;
    readonly input: HTMLInputElement;

    constructor(field: ILabelledInput) {
      this.node = field.node;
      this.input = field.input;
      this._hint = this.input.getAttribute('aria-describedby');
      this._error = element('p', 'jp-NotebookGallery-error');
      this._error.id = `${this.input.id}-error`;
      // Announced when it changes, without interrupting the typing the way an alert would.
      this._error.setAttribute('aria-live', 'polite');
      this.node.append(this._error);
    }

    /** Show `problem` (or none) and mark the input invalid while there is one. */
    show(problem: string | null): void {
      this._error.textContent = problem ?? '';
      if (problem === null) {
        this.input.removeAttribute('aria-invalid');
      } else {
        this.input.setAttribute('aria-invalid', 'true');
      }
      const described = [this._hint, problem === null ? null : this._error.id].filter(Boolean).join(' ');
      if (described) {
        this.input.setAttribute('aria-describedby', described);
      } else {
        this.input.removeAttribute('aria-describedby');
      }
    }

    private _hint: string | null;
    private _error: HTMLElement;
  }

  /** `Object.entries` with the record's own key type. */
  export function entries<K extends string, V>(record: Record<K, V>): Array<[K, V]> {
    return Object.entries(record) as Array<[K, V]>;
  }
}

import type { ISecretFinding } from '@notebook-gallery/core';
import { Dialog } from '@jupyterlab/apputils';
import type { TranslationBundle } from '@jupyterlab/translation';
import { UUID } from '@lumino/coreutils';
import { blockedReason, findingPlace, findingsCount, type SecretReview } from '../services/secretReview';
import { element } from './dom';

/**
 * The save dialogs' list of possible secrets: for each, where it is, what kind it is and its masked value, a Fix
 * button (closes the dialog and shows the line in the notebook) and a "Not a secret" checkbox. Under the list, why
 * Save is off. The list is labelled by its heading and the count is a polite live region, so a screen reader hears
 * how many are left as boxes are ticked. Every text is set with `textContent`.
 */
export class SecretFindingsView {
  /** The section; empty and hidden when nothing was found. */
  readonly node: HTMLElement;
  /** The line saying why Save is off, for the accept button's `aria-describedby`. */
  readonly reasonId: string;

  constructor(trans: TranslationBundle, review: SecretReview | null) {
    this._trans = trans;
    this._review = review;
    this.node = element('section', 'jp-NotebookGallery-secrets');
    const id = `jp-NotebookGallery-secrets-${UUID.uuid4()}`;
    this.reasonId = `${id}-reason`;
    this._count = element('p', 'jp-NotebookGallery-secretsCount');
    this._count.setAttribute('role', 'status');
    this._count.setAttribute('aria-live', 'polite');
    this._reason = element('p', 'jp-NotebookGallery-secretsReason');
    this._reason.id = this.reasonId;
    if (review === null || review.findings.length === 0) {
      this.node.hidden = true;
      return;
    }
    const heading = element('h3', 'jp-NotebookGallery-secretsHeading', trans.__('Possible secrets in this notebook'));
    heading.id = `${id}-heading`;
    this.node.setAttribute('aria-labelledby', heading.id);
    const list = element('ul', 'jp-NotebookGallery-secretsList');
    list.setAttribute('aria-labelledby', heading.id);
    review.findings.forEach((finding, index) => list.append(this._item(finding, `${id}-${index}`)));
    this.node.append(
      heading,
      element(
        'p',
        'jp-NotebookGallery-hint',
        trans.__(
          'Passwords, keys and tokens in a shared notebook can be used by anyone who reads it. Fix each one in the notebook (for example, read it from an environment variable or a file that is not shared), or tick “Not a secret” if it is only an example or already public.'
        )
      ),
      this._count,
      list,
      this._reason
    );
    review.changed.connect(this._update, this);
    this._update();
  }

  /** Whether Save may go ahead as far as secrets are concerned. */
  get allowsSave(): boolean {
    return this._review === null || this._review.unresolved === 0;
  }

  /** The first checkbox of a finding still to decide, to move to when Enter would save too early. */
  get firstUnresolved(): HTMLInputElement | null {
    return this._boxes.find(box => !box.checked) ?? null;
  }

  /**
   * Enter pressed on `target` in the dialog: toggle a checkbox or press a Fix button, which the dialog's own Enter
   * (press the default button) would otherwise preempt. Returns whether it was one of them.
   */
  handleEnter(target: HTMLElement): boolean {
    if (!this.node.contains(target)) {
      return false;
    }
    if (target instanceof HTMLInputElement && target.type === 'checkbox') {
      target.click();
      return true;
    }
    if (target instanceof HTMLButtonElement) {
      target.click();
      return true;
    }
    return false;
  }

  /** Show the count and the reason again, and tell `onChange` (the body re-checks its Save button). */
  onChange: () => void = () => undefined;

  dispose(): void {
    this._review?.changed.disconnect(this._update, this);
  }

  private _item(finding: ISecretFinding, id: string): HTMLElement {
    const trans = this._trans;
    const review = this._review!;
    const item = element('li', 'jp-NotebookGallery-secret');
    const place = element('span', 'jp-NotebookGallery-secretPlace', findingPlace(trans, review, finding));
    place.id = `${id}-place`;
    const what = element('span', 'jp-NotebookGallery-secretWhat');
    what.id = `${id}-what`;
    what.append(`${finding.description}: `, element('code', 'jp-NotebookGallery-secretMasked', finding.masked));
    const fix = element('button', 'jp-mod-styled jp-NotebookGallery-secretFix', trans.__('Fix in notebook'));
    fix.type = 'button';
    fix.setAttribute('aria-describedby', `${place.id} ${what.id}`);
    fix.title = trans.__('Close this dialog and go to the line, so you can remove the secret');
    fix.addEventListener('click', () => {
      review.requestFix(finding);
      Dialog.tracker.find(dialog => dialog.node.contains(this.node))?.reject();
    });
    const box = element('input', 'jp-NotebookGallery-secretMark');
    box.type = 'checkbox';
    box.id = `${id}-mark`;
    box.checked = review.isMarked(finding);
    box.setAttribute('aria-describedby', `${place.id} ${what.id}`);
    box.addEventListener('change', () => review.setMarked(finding, box.checked));
    this._boxes.push(box);
    const label = element('label', 'jp-NotebookGallery-secretMarkLabel', trans.__('Not a secret'));
    label.htmlFor = box.id;
    const mark = element('span', 'jp-NotebookGallery-secretMarkField');
    mark.append(box, label);
    const actions = element('span', 'jp-NotebookGallery-secretActions');
    actions.append(fix, mark);
    item.append(place, what, actions);
    return item;
  }

  private _update(): void {
    const review = this._review!;
    // One value found twice is one decision: its boxes follow each other.
    review.findings.forEach((finding, index) => {
      this._boxes[index].checked = review.isMarked(finding);
    });
    this._count.textContent = findingsCount(this._trans, review);
    this._reason.textContent = blockedReason(this._trans, review) ?? '';
    this.onChange();
  }

  private _trans: TranslationBundle;
  private _review: SecretReview | null;
  private _count: HTMLElement;
  private _reason: HTMLElement;
  private _boxes: HTMLInputElement[] = [];
}

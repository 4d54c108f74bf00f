import type { ISecretFinding } from '@notebook-gallery/core';
import { Dialog } from '@jupyterlab/apputils';
import { askProposalMessage } from '../src/dialogs/historyDialogs';
import { askNotebookDetails, askRevisionMessage } from '../src/dialogs/saveDialogs';
import type { INotebookDetails } from '../src/services/saveFlow';
import { findingPlace, SecretReview } from '../src/services/secretReview';
import { storedNotebook, summary, trans } from './helpers';

const INITIAL: INotebookDetails = {
  title: 'Quarterly analysis',
  description: '',
  tags: [],
  visibility: 'private',
  group: null
};

/** A value shaped like an AWS key, built from parts so no scanner flags this file. */
const KEY = ['AKIA', 'Z3Q7XK2M', '6PLR4TWB'].join('');

/** Cell 2 holds the key on its second line; cell 3 a password on its first. */
const NOTEBOOK = storedNotebook(
  '# Load the data',
  `import boto3  # read the bucket\nclient = boto3.client("s3", aws_access_key_id="${KEY}")`,
  'password = "hunter2hunter2"\nconnect(password)'
);

function finding(overrides: Partial<ISecretFinding>): ISecretFinding {
  return {
    rule: 'aws-access-key-id',
    description: 'AWS access key ID',
    cellIndex: 1,
    cellId: 'b',
    where: 'source',
    line: 2,
    column: 47,
    masked: 'AKIA…4TWB',
    fingerprint: 'f'.repeat(64),
    ...overrides
  };
}

const AWS = finding({});
const PASSWORD = finding({
  rule: 'password-assignment',
  description: 'Password in an assignment',
  cellIndex: 2,
  cellId: 'c',
  line: 1,
  column: 1,
  masked: '••••••',
  fingerprint: 'e'.repeat(64)
});

async function openDialog(): Promise<HTMLElement> {
  for (let tries = 0; tries < 50; tries++) {
    const dialog = document.querySelector<HTMLElement>('.jp-Dialog');
    if (dialog) {
      return dialog;
    }
    await new Promise(resolve => setTimeout(resolve, 0));
  }
  throw new Error('no dialog opened');
}

function button(dialog: HTMLElement, name: string): HTMLButtonElement[] {
  return Array.from(dialog.querySelectorAll('button')).filter(node => node.textContent === name);
}

/** The "Not a secret" checkboxes, found through their labels as a screen reader does. */
function marks(dialog: HTMLElement): HTMLInputElement[] {
  return Array.from(dialog.querySelectorAll('label'))
    .filter(label => label.textContent === 'Not a secret')
    .map(label => dialog.querySelector<HTMLInputElement>(`#${label.htmlFor}`)!);
}

/** The text of the elements an attribute (`aria-labelledby`, `aria-describedby`) points at. */
function referenced(dialog: HTMLElement, node: Element, attribute: string): string {
  return (node.getAttribute(attribute) ?? '')
    .split(' ')
    .filter(Boolean)
    .map(id => dialog.querySelector(`#${id}`)?.textContent ?? '')
    .join(' | ');
}

function enter(target: HTMLElement): void {
  target.focus();
  target.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true, cancelable: true }));
}

beforeAll(() => {
  window.requestIdleCallback ??= (callback: IdleRequestCallback) =>
    window.setTimeout(() => callback({ didTimeout: false, timeRemaining: () => 0 })) as unknown as number;
});

afterEach(() => {
  Dialog.flush();
  document.body.replaceChildren();
});

describe('where a finding is', () => {
  it('counts cells from 1 and names them by their first words, cut before the secret', () => {
    const review = new SecretReview([AWS, PASSWORD], NOTEBOOK);
    expect(findingPlace(trans, review, AWS)).toBe('Cell 2 (“import boto3 # read the bucket”), line 2');
    // The password starts its cell's first line: the cell is named by its number only, never by the value.
    expect(findingPlace(trans, review, PASSWORD)).toBe('Cell 3, line 1');
    const onFirstLine = finding({ line: 1, column: 10 });
    const keyFirst = new SecretReview([onFirstLine], storedNotebook('', `secret = "${KEY}" and more words`));
    expect(findingPlace(trans, keyFirst, onFirstLine)).toBe('Cell 2 (“secret =”), line 1');
    const inMetadata = finding({ cellIndex: -1, cellId: undefined, where: 'metadata', line: 1 });
    expect(findingPlace(trans, review, inMetadata)).toBe('Notebook metadata, line 1');
  });

  it('treats findings of one value as one decision, and sends each fingerprint once', () => {
    const again = finding({ cellIndex: 2, line: 2 });
    const review = new SecretReview([AWS, again, PASSWORD], NOTEBOOK, ['e'.repeat(64), 'not-found']);
    expect(review.unresolved).toBe(2);
    expect(review.confirmed).toEqual(['e'.repeat(64)]);
    review.setMarked(AWS, true);
    expect(review.isMarked(again)).toBe(true);
    expect(review.unresolved).toBe(0);
    expect(review.confirmed.sort()).toEqual(['e'.repeat(64), 'f'.repeat(64)]);
  });
});

describe('possible secrets in the save dialog', () => {
  it('lists each finding and keeps Save off, saying why, until every one is marked', async () => {
    const review = new SecretReview([AWS, PASSWORD], NOTEBOOK);
    const answer = askNotebookDetails(trans, 'Save to Gallery', INITIAL, [], {}, review);
    const dialog = await openDialog();
    const list = dialog.querySelector('ul.jp-NotebookGallery-secretsList')!;
    expect(referenced(dialog, list, 'aria-labelledby')).toBe('Possible secrets in this notebook');
    const items = Array.from(list.querySelectorAll('li')).map(item => item.textContent);
    expect(items[0]).toContain('Cell 2 (“import boto3 # read the bucket”), line 2');
    expect(items[0]).toContain('AWS access key ID: AKIA…4TWB');
    expect(items[1]).toContain('Cell 3, line 1');
    expect(dialog.textContent).not.toContain(KEY);
    expect(dialog.textContent).not.toContain('hunter2');

    const status = dialog.querySelector('[role="status"]')!;
    expect(status.getAttribute('aria-live')).toBe('polite');
    expect(status.textContent).toBe('The gallery found 2 possible secrets. 2 still need your decision.');
    const [save] = button(dialog, 'Save to Gallery');
    expect(save.disabled).toBe(true);
    expect(referenced(dialog, save, 'aria-describedby')).toBe(
      'Saving is off until you deal with the 2 possible secrets above: fix each in the notebook, or tick “Not a secret”.'
    );

    // Each checkbox is described by its finding, so "Not a secret" says which.
    const [awsBox, passwordBox] = marks(dialog);
    expect(referenced(dialog, awsBox, 'aria-describedby')).toBe(
      'Cell 2 (“import boto3 # read the bucket”), line 2 | AWS access key ID: AKIA…4TWB'
    );
    // Tab from Cancel, with Save off, wraps to the list above the form instead of leaving the dialog.
    const cancel = button(dialog, 'Cancel')[0];
    cancel.focus();
    cancel.dispatchEvent(new KeyboardEvent('keydown', { key: 'Tab', bubbles: true, cancelable: true }));
    expect(document.activeElement).toBe(button(dialog, 'Fix in notebook')[0]);
    // Enter in the title does not save yet: it goes to the first finding to decide.
    enter(dialog.querySelector<HTMLInputElement>('input[type="text"]')!);
    expect(document.querySelector('.jp-Dialog')).not.toBeNull();
    expect(document.activeElement).toBe(awsBox);
    // Enter on a checkbox ticks it instead of pressing Save.
    enter(awsBox);
    expect(awsBox.checked).toBe(true);
    expect(document.querySelector('.jp-Dialog')).not.toBeNull();
    expect(status.textContent).toBe('The gallery found 2 possible secrets. 1 still needs your decision.');
    expect(save.disabled).toBe(true);
    passwordBox.click();
    expect(status.textContent).toBe('The gallery found 2 possible secrets. All are marked “Not a secret”.');
    expect(save.disabled).toBe(false);
    expect(save.hasAttribute('aria-describedby')).toBe(false);
    save.click();
    await expect(answer).resolves.toMatchObject({ title: 'Quarterly analysis' });
    expect(review.confirmed.sort()).toEqual(['e'.repeat(64), 'f'.repeat(64)]);
    expect(review.fixing).toBeNull();
  });

  it('closes on Fix in notebook, with what was typed and the finding to show', async () => {
    const review = new SecretReview([AWS, PASSWORD], NOTEBOOK);
    const answer = askNotebookDetails(trans, 'Save to Gallery', INITIAL, [], {}, review);
    const dialog = await openDialog();
    const title = dialog.querySelector<HTMLInputElement>('input[type="text"]')!;
    title.value = 'Typed before fixing';
    title.dispatchEvent(new Event('input', { bubbles: true }));
    marks(dialog)[1].click();
    const fix = button(dialog, 'Fix in notebook');
    expect(fix).toHaveLength(2);
    // Enter on the button presses it (the dialog would otherwise take Enter for its own default button).
    enter(fix[0]);
    await expect(answer).resolves.toMatchObject({ title: 'Typed before fixing' });
    expect(document.querySelector('.jp-Dialog')).toBeNull();
    expect(review.fixing).toBe(AWS);
    expect(review.confirmed).toEqual(['e'.repeat(64)]);
  });

  it('shows nothing of the kind when nothing was found', async () => {
    const answer = askNotebookDetails(trans, 'Save to Gallery', INITIAL, [], {}, new SecretReview([], NOTEBOOK));
    const dialog = await openDialog();
    expect(dialog.querySelector<HTMLElement>('.jp-NotebookGallery-secrets')?.hidden).toBe(true);
    expect(button(dialog, 'Save to Gallery')[0].disabled).toBe(false);
    button(dialog, 'Save to Gallery')[0].click();
    await expect(answer).resolves.toMatchObject({ title: 'Quarterly analysis' });
  });

  it('lists them in the new-version and change-request dialogs too, which start from the message kept', async () => {
    const revision = new SecretReview([AWS], NOTEBOOK);
    const message = askRevisionMessage(trans, 'Sales', revision, 'Kept message');
    let dialog = await openDialog();
    expect(dialog.querySelector<HTMLInputElement>('input[type="text"]')!.value).toBe('Kept message');
    expect(dialog.textContent).toContain('AWS access key ID: AKIA…4TWB');
    expect(button(dialog, 'Save to Gallery')[0].disabled).toBe(true);
    marks(dialog)[0].click();
    button(dialog, 'Save to Gallery')[0].click();
    await expect(message).resolves.toBe('Kept message');
    expect(revision.confirmed).toEqual(['f'.repeat(64)]);

    const proposal = new SecretReview([PASSWORD], NOTEBOOK);
    const proposed = askProposalMessage(trans, summary({ owner: 'bob', canEdit: false }), proposal, 'Fixed units');
    dialog = await openDialog();
    expect(dialog.textContent).toContain('Password in an assignment: ••••••');
    expect(button(dialog, 'Send change request')[0].disabled).toBe(true);
    button(dialog, 'Fix in notebook')[0].click();
    await expect(proposed).resolves.toBe('Fixed units');
    expect(proposal.fixing).toBe(PASSWORD);
  });
});

import { Dialog } from '@jupyterlab/apputils';
import { askNotebookDetails, askProposeOrFork, askRevisionMessage } from '../src/dialogs/saveDialogs';
import type { INotebookDetails } from '../src/services/saveFlow';
import { summary, trans } from './helpers';

const INITIAL: INotebookDetails = {
  title: 'Quarterly analysis',
  description: '',
  tags: [],
  visibility: 'private',
  group: null
};

/** The open dialog; JupyterLab's dialog attaches to the document body. */
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

/** The input labelled `label`, through its label, as a screen reader finds it. */
function field(dialog: HTMLElement, label: string): HTMLInputElement {
  const labelNode = Array.from(dialog.querySelectorAll('label')).find(node => node.textContent === label);
  return dialog.querySelector<HTMLInputElement>(`#${labelNode!.htmlFor}`)!;
}

function type(input: HTMLInputElement, value: string): void {
  input.value = value;
  input.dispatchEvent(new Event('input', { bubbles: true }));
}

/** The text the input's `aria-describedby` points at. */
function description(dialog: HTMLElement, input: HTMLInputElement): string {
  return (input.getAttribute('aria-describedby') ?? '')
    .split(' ')
    .filter(Boolean)
    .map(id => dialog.querySelector(`#${id}`)?.textContent ?? '')
    .join(' | ');
}

function button(dialog: HTMLElement, name: string): HTMLButtonElement {
  const found = Array.from(dialog.querySelectorAll('button')).find(node => node.textContent === name);
  if (!found) {
    throw new Error(`no button ${name}`);
  }
  return found;
}

beforeAll(() => {
  // JupyterLab's dialog tracker saves its state when the browser is idle; jsdom has no idle callbacks.
  window.requestIdleCallback ??= (callback: IdleRequestCallback) =>
    window.setTimeout(() => callback({ didTimeout: false, timeRemaining: () => 0 })) as unknown as number;
});

afterEach(() => {
  // A dialog left open would hold back the next test's: JupyterLab shows one at a time.
  Dialog.flush();
  document.body.replaceChildren();
});

describe('the save dialog', () => {
  it('says beside each field what is over the limit as the user types, and allows Save only once it fits', async () => {
    const answer = askNotebookDetails(trans, 'Save to Gallery', INITIAL, []);
    const dialog = await openDialog();
    const save = button(dialog, 'Save to Gallery');
    const title = field(dialog, 'Title');
    const tags = field(dialog, 'Tags');
    expect(save.disabled).toBe(false);
    expect(title.hasAttribute('aria-invalid')).toBe(false);

    type(title, 'T'.repeat(231));
    expect(title.getAttribute('aria-invalid')).toBe('true');
    expect(description(dialog, title)).toBe('The title is too long: at most 200 characters (you have 231).');
    expect(save.disabled).toBe(true);

    type(tags, Array.from({ length: 23 }, (_, index) => `t${index}`).join(', '));
    expect(tags.getAttribute('aria-invalid')).toBe('true');
    expect(description(dialog, tags)).toBe(
      'Optional. Separate tags with commas, for example: sales, forecast. | Too many tags: at most 20 (you have 23). Keep the ones colleagues would search for.'
    );
    type(tags, `sales, ${'x'.repeat(61)}`);
    expect(description(dialog, tags)).toMatch(
      /\| The tag “x{20}…” is too long: at most 50 characters \(it has 61\)\.$/
    );

    // Enter in a field does not save while something is wrong; it goes to the first field to correct.
    tags.focus();
    tags.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true, cancelable: true }));
    expect(document.querySelector('.jp-Dialog')).not.toBeNull();
    expect(document.activeElement).toBe(title);

    type(title, 'Quarterly sales');
    type(tags, 'sales, forecast');
    expect(save.disabled).toBe(false);
    expect(title.hasAttribute('aria-invalid')).toBe(false);
    expect(description(dialog, tags)).toBe('Optional. Separate tags with commas, for example: sales, forecast.');
    save.click();
    await expect(answer).resolves.toMatchObject({ title: 'Quarterly sales', tags: ['sales', 'forecast'] });
  });

  it('opens again with what was typed and the gallery’s refusal beside its field, until that field is edited', async () => {
    const typed = { ...INITIAL, title: 'Sales', description: 'Q3 numbers', tags: ['q3'] };
    const answer = askNotebookDetails(trans, 'Save to Gallery', typed, [], {
      tags: 'Tag 1 must not be only spaces.',
      form: 'The gallery refused the group.'
    });
    const dialog = await openDialog();
    const tags = field(dialog, 'Tags');
    expect(field(dialog, 'Title').value).toBe('Sales');
    expect(field(dialog, 'Description').value).toBe('Q3 numbers');
    expect(tags.value).toBe('q3');
    expect(tags.getAttribute('aria-invalid')).toBe('true');
    expect(description(dialog, tags)).toMatch(/\| Tag 1 must not be only spaces\.$/);
    expect(dialog.querySelector('[role="alert"]')?.textContent).toBe('The gallery refused the group.');

    expect(button(dialog, 'Save to Gallery').disabled).toBe(true);
    type(tags, 'quarterly');
    expect(tags.hasAttribute('aria-invalid')).toBe(false);
    // The refusal that names no field stays in view, and does not keep the user from trying again.
    expect(dialog.querySelector('[role="alert"]')?.textContent).toBe('The gallery refused the group.');
    expect(button(dialog, 'Save to Gallery').disabled).toBe(false);
    button(dialog, 'Cancel').click();
    await expect(answer).resolves.toBeNull();
  });

  it('checks the revision message against its limit too', async () => {
    const answer = askRevisionMessage(trans, 'Sales');
    const dialog = await openDialog();
    const message = field(dialog, 'Message');
    type(message, 'm'.repeat(2001));
    expect(description(dialog, message)).toMatch(
      /The message is too long: at most 2000 characters \(you have 2001\)\.$/
    );
    expect(button(dialog, 'Save to Gallery').disabled).toBe(true);
    type(message, 'Fixed the axis');
    button(dialog, 'Save to Gallery').click();
    await expect(answer).resolves.toBe('Fixed the axis');
  });
});

describe('saving a notebook the user may only read', () => {
  it('offers Propose these changes to the owner beside Save as new notebook', async () => {
    for (const [name, expected] of [
      ['Propose these changes to the owner', 'propose'],
      ['Save as new notebook', 'fork'],
      ['Cancel', null]
    ] as const) {
      const answer = askProposeOrFork(trans, summary({ title: 'Tax model', owner: 'bob', canEdit: false }));
      const dialog = await openDialog();
      expect(dialog.textContent).toContain('“Tax model” belongs to bob, and you may read it but not edit it.');
      button(dialog, name).click();
      await expect(answer).resolves.toBe(expected);
      document.body.replaceChildren();
    }
  });
});

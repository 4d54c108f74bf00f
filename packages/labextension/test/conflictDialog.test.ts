import type { IMergeConflict } from '@notebook-gallery/core';
import { Widget } from '@lumino/widgets';
import { ConflictBody } from '../src/dialogs/conflictDialog';
import { trans } from './helpers';

const CONFLICTS: IMergeConflict[] = [
  {
    id: 'source:b',
    kind: 'source',
    cellId: 'b',
    cellType: 'code',
    key: null,
    base: 'rate = 0.1',
    local: 'rate = 0.2',
    remote: 'rate = 0.15'
  },
  {
    id: 'deleted:c',
    kind: 'deleted',
    cellId: 'c',
    cellType: 'markdown',
    key: null,
    base: 'Old notes',
    local: 'My notes',
    remote: null
  }
];

afterEach(() => document.body.replaceChildren());

describe('the conflict dialog', () => {
  it('shows each conflict as a labelled group with before, mine and theirs, and the choices that apply', () => {
    const body = new ConflictBody(trans, CONFLICTS, { title: 'Budget', theirs: 'bob' }, {}, null);
    Widget.attach(body, document.body);

    const groups = Array.from(body.node.querySelectorAll('fieldset'));
    expect(groups.map(group => group.querySelector('legend')?.textContent)).toEqual([
      'Conflict 1 of 2: a code cell changed on both sides',
      'Conflict 2 of 2: they deleted a text (Markdown) cell that you changed'
    ]);
    expect(Array.from(groups[0].querySelectorAll('figure')).map(figure => figure.textContent)).toEqual([
      'Beforerate = 0.1',
      'Minerate = 0.2',
      'Theirsrate = 0.15'
    ]);
    expect(groups[1].querySelector('.jp-mod-remote pre')?.textContent).toBe('(cell deleted)');
    const labels = (group: Element) =>
      Array.from(group.querySelectorAll('label')).map(label => label.textContent?.trim());
    expect(labels(groups[0])).toEqual(['Mine', 'Theirs', 'Both (mine, then theirs)']);
    expect(labels(groups[1])).toEqual(['Mine', 'Theirs']);
    // One radio group per conflict, so arrow keys move within it and Tab moves to the next.
    const names = new Set(
      Array.from(body.node.querySelectorAll<HTMLInputElement>('input[type="radio"]')).map(r => r.name)
    );
    expect(names.size).toBe(2);
  });

  it('returns the choice picked for each conflict, keeps earlier picks, and says what is missing', () => {
    const body = new ConflictBody(
      trans,
      CONFLICTS,
      { title: 'Budget', theirs: 'bob' },
      { 'deleted:c': 'local' },
      'Choose Mine, Theirs or Both for the conflict that has no choice yet.'
    );
    Widget.attach(body, document.body);
    expect(body.node.querySelector('[role="alert"]')?.textContent).toMatch(/no choice yet/);
    expect(body.getValue()).toEqual({ 'deleted:c': 'local' });

    const both = body.node.querySelector<HTMLInputElement>('fieldset input[value="both"]')!;
    both.click();
    expect(body.getValue()).toEqual({ 'source:b': 'both', 'deleted:c': 'local' });
  });
});

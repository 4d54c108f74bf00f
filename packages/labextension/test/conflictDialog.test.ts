import type { IMergeConflict, INotebook } from '@notebook-gallery/core';
import { Widget } from '@lumino/widgets';
import { ConflictBody } from '../src/dialogs/conflictDialog';
import { conflictCells, mergeWithChoices, type IConflictContext } from '../src/services/conflictResolution';
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
      'Mine−Removed: rate = 0.1+Added: rate = 0.2',
      'Theirs−Removed: rate = 0.1+Added: rate = 0.15'
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

  it('names the cell of each conflict by its number and first line, and marks the characters each side changed', () => {
    const context: IConflictContext = {
      title: 'Budget',
      theirs: 'bob',
      cells: new Map([
        ['source:b', { number: 3, mine: true, firstLine: 'rate = 0.2' }],
        ['deleted:c', { number: 5, mine: false, firstLine: 'Old notes' }]
      ])
    };
    const body = new ConflictBody(trans, CONFLICTS, context, {}, null);
    Widget.attach(body, document.body);
    const groups = Array.from(body.node.querySelectorAll('fieldset'));
    // Before, this said only "a code cell", whichever cell it was.
    expect(groups.map(group => group.querySelector('legend')?.textContent)).toEqual([
      'Conflict 1 of 2: code cell 3 “rate = 0.2” changed on both sides',
      'Conflict 2 of 2: they deleted their text (Markdown) cell 5 “Old notes” that you changed'
    ]);
    // Mine and theirs show their lines against the version before, changed characters marked, as the diff view
    // marks them (its classes, so both look alike in either theme).
    const marks = (side: string) =>
      Array.from(groups[0].querySelectorAll(`.jp-mod-${side} .jp-NotebookGallery-diffLine`)).map(row => [
        row.classList.contains('jp-mod-added') ? 'added' : row.classList.contains('jp-mod-removed') ? 'removed' : '',
        Array.from(row.querySelectorAll('mark.jp-NotebookGallery-diffWords')).map(mark => mark.textContent)
      ]);
    expect(marks('local')).toEqual([
      ['removed', ['1']],
      ['added', ['2']]
    ]);
    expect(marks('remote')).toEqual([
      ['removed', []],
      ['added', ['5']]
    ]);
    expect(groups[0].querySelector('.jp-mod-base mark')).toBeNull();
    // A deleted cell's kept side is marked too; the deleted side says so.
    expect(groups[1].querySelector('.jp-mod-local .jp-mod-added mark')?.textContent).toBe('My');
    expect(groups[1].querySelector('.jp-mod-remote pre')?.textContent).toBe('(cell deleted)');
  });

  it('asks about an attachment changed on one side and deleted on the other, with Mine and Theirs', () => {
    const attachment: IMergeConflict = {
      id: 'attachment/cell:fig/plot.png',
      kind: 'attachment',
      cellId: 'fig',
      cellType: 'markdown',
      key: 'plot.png',
      base: 'image/png, 8 bytes',
      local: null,
      remote: 'image/png, 16 bytes'
    };
    const context = {
      title: 'Figures',
      theirs: 'bob',
      cells: new Map([[attachment.id, { number: 2, mine: true, firstLine: '![plot](attachment:plot.png)' }]])
    };
    const body = new ConflictBody(trans, [attachment], context, {}, null);
    Widget.attach(body, document.body);
    expect(body.node.querySelector('legend')?.textContent).toBe(
      'Conflict 1 of 1: you deleted the attachment “plot.png” of text (Markdown) cell 2 “![plot](attachment:plot.png)” that they changed'
    );
    expect(Array.from(body.node.querySelectorAll('figure pre')).map(pre => pre.textContent)).toEqual([
      'image/png, 8 bytes',
      '(attachment deleted)',
      'image/png, 16 bytes'
    ]);
    expect(Array.from(body.node.querySelectorAll('label')).map(label => label.textContent?.trim())).toEqual([
      'Mine',
      'Theirs'
    ]);
  });
});

/** An nbformat notebook of code cells from `[id, source]` pairs; ids null for a 4.4 notebook without ids. */
function notebook(cells: Array<[string | null, string]>): INotebook {
  return {
    nbformat: 4,
    nbformat_minor: cells.some(([id]) => id !== null) ? 5 : 4,
    metadata: {},
    cells: cells.map(([id, source]) => ({
      cell_type: 'code',
      ...(id === null ? {} : { id }),
      metadata: {},
      source,
      outputs: [],
      execution_count: null
    }))
  } as INotebook;
}

describe('finding the cell of each conflict', () => {
  it('gives the dialog each conflict’s cell: its number in my notebook, or in theirs when I deleted it', async () => {
    const base = notebook([
      ['a', 'import pandas as pd'],
      ['b', 'rate = 0.1'],
      ['c', '\n  total = 1\nprint(total)']
    ]);
    const local = notebook([
      ['new', '# mine first'],
      ['a', 'import pandas as pd'],
      ['b', 'rate = 0.2']
    ]);
    const remote = notebook([
      ['a', 'import pandas as pd'],
      ['b', 'rate = 0.15'],
      ['c', '\n  total = 2\nprint(total)']
    ]);
    let seen: IConflictContext | null = null;
    const merged = await mergeWithChoices(
      base,
      local,
      remote,
      async (conflicts, context) => {
        seen = context;
        return Object.fromEntries(conflicts.map(conflict => [conflict.id, 'remote' as const]));
      },
      { title: 'Budget', theirs: 'bob' }
    );
    expect(merged).not.toBeNull();
    expect(Object.fromEntries(seen!.cells!)).toEqual({
      'source/cell:b': { number: 3, mine: true, firstLine: 'rate = 0.2' },
      'deleted/cell:c': { number: 3, mine: false, firstLine: 'total = 2' }
    });
  });

  it('finds cells of notebooks without ids by pairing them with the version before', () => {
    const base = notebook([
      [null, 'x = 1'],
      [null, 'y = 2']
    ]);
    const local = notebook([
      [null, 'z = 0'],
      [null, 'x = 1'],
      [null, 'y = 3']
    ]);
    const remote = notebook([
      [null, 'x = 1'],
      [null, 'y = 4']
    ]);
    const conflict: IMergeConflict = {
      id: 'source/cell#1',
      kind: 'source',
      cellId: null,
      cellType: 'code',
      key: null,
      base: 'y = 2',
      local: 'y = 3',
      remote: 'y = 4'
    };
    expect(conflictCells(base, local, remote, [conflict]).get(conflict.id)).toEqual({
      number: 3,
      mine: true,
      firstLine: 'y = 3'
    });
  });
});

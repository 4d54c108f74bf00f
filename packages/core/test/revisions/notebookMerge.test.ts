import { checkNotebook, mergeNotebooks, NotebookFormatError } from '../../src';
import type { IMergeOptions, IMergeResult, INotebook, MergeChoice } from '../../src';
import { ids, notebook, sources } from './build';

/** Merges and checks that the result is valid nbformat with unique ids, as every merge must be. */
function merge(base: INotebook, local: INotebook, remote: INotebook, options?: IMergeOptions): IMergeResult {
  const result = mergeNotebooks(base, local, remote, options);
  checkNotebook(result.notebook);
  return result;
}

function choose(result: IMergeResult, choice: MergeChoice): IMergeOptions {
  return { choices: Object.fromEntries(result.conflicts.map(conflict => [conflict.id, choice])) };
}

const base = notebook([
  ['intro', '# Analysis'],
  ['load', 'df = load("data.csv")'],
  ['plot', 'plot(df)\nshow()'],
  ['end', 'print("done")']
]);

function edit(nb: INotebook, id: string, source: string): INotebook {
  const copy = structuredClone(nb);
  const cell = copy.cells.find(c => c.id === id);
  if (cell === undefined) {
    throw new Error(`no cell ${id}`);
  }
  cell.source = source;
  return copy;
}

/** Local and remote each insert two cells after `load`: one of their own, and the same `# Notes` cell under different ids. */
function insertedOnBothSides(): [INotebook, INotebook] {
  const local = structuredClone(base);
  local.cells.splice(
    2,
    0,
    ...notebook([
      ['mine', 'summary(df)'],
      ['same-l', '# Notes']
    ]).cells
  );
  const remote = structuredClone(base);
  remote.cells.splice(
    2,
    0,
    ...notebook([
      ['theirs', 'df.info()'],
      ['same-r', '# Notes']
    ]).cells
  );
  return [local, remote];
}

function without(nb: INotebook, id: string): INotebook {
  return { ...nb, cells: nb.cells.filter(cell => cell.id !== id) };
}

describe('mergeNotebooks: clean merges', () => {
  it('keeps both sides’ edits to different cells', () => {
    const local = edit(base, 'load', 'df = load("data2.csv")');
    const remote = edit(base, 'end', 'print("all done")');
    const result = merge(base, local, remote);
    expect(result.conflicts).toEqual([]);
    expect(sources(result.notebook)).toEqual([
      '# Analysis',
      'df = load("data2.csv")',
      'plot(df)\nshow()',
      'print("all done")'
    ]);
    expect(ids(result.notebook)).toEqual(['intro', 'load', 'plot', 'end']);
  });

  it('merges edits to different lines of one cell', () => {
    const cell = 'import numpy as np\n\nx = np.arange(10)\ny = x ** 2\n\nprint(y)';
    const start = notebook([['c', cell]]);
    const local = notebook([['c', cell.replace('arange(10)', 'arange(100)')]]);
    const remote = notebook([['c', cell.replace('print(y)', 'print(y.sum())')]]);
    const result = merge(start, local, remote);
    expect(result.conflicts).toEqual([]);
    expect(sources(result.notebook)).toEqual([
      'import numpy as np\n\nx = np.arange(100)\ny = x ** 2\n\nprint(y.sum())'
    ]);
  });

  it('merges lines inserted at different places of one cell', () => {
    const start = notebook([['c', 'a\nb\nc']]);
    const result = merge(start, notebook([['c', 'first\na\nb\nc']]), notebook([['c', 'a\nb\nc\nlast']]));
    expect(sources(result.notebook)).toEqual(['first\na\nb\nc\nlast']);
  });

  it('merges cells inserted at different places', () => {
    const local = structuredClone(base);
    local.cells.splice(1, 0, notebook([['setup', 'import pandas']]).cells[0]);
    const remote = structuredClone(base);
    remote.cells.push(notebook([['extra', 'df.describe()']]).cells[0]);
    const result = merge(base, local, remote);
    expect(result.conflicts).toEqual([]);
    expect(ids(result.notebook)).toEqual(['intro', 'setup', 'load', 'plot', 'end', 'extra']);
  });

  it('keeps both cells inserted at the same place, local’s first, and an identical one once with remote’s id', () => {
    const result = merge(base, ...insertedOnBothSides());
    expect(result.conflicts).toEqual([]);
    expect(sources(result.notebook)).toEqual([
      '# Analysis',
      'df = load("data.csv")',
      'summary(df)',
      '# Notes',
      'df.info()',
      'plot(df)\nshow()',
      'print("done")'
    ]);
    expect(ids(result.notebook)).toEqual(['intro', 'load', 'mine', 'same-r', 'theirs', 'plot', 'end']);
  });

  it('takes a later remote edit of a cell both sides inserted identically, without an edit-against-delete conflict', () => {
    // As when a copy is updated (or a save merged) and the gallery's version then moves on: the merge result is
    // the new local copy, remote's revision its base.
    const [local, remote] = insertedOnBothSides();
    const merged = merge(base, local, remote).notebook;
    const later = edit(remote, 'same-r', '# Notes\n\nThe data is from 2024.');
    const result = merge(remote, merged, later);
    expect(result.conflicts).toEqual([]);
    expect(sources(result.notebook)).toContain('# Notes\n\nThe data is from 2024.');
    expect(sources(result.notebook)).not.toContain('# Notes');
    expect(ids(result.notebook)).toEqual(['intro', 'load', 'mine', 'same-r', 'theirs', 'plot', 'end']);
  });

  it('deletes a cell one side deleted and the other left alone (either side)', () => {
    expect(ids(merge(base, without(base, 'plot'), base).notebook)).toEqual(['intro', 'load', 'end']);
    expect(ids(merge(base, edit(base, 'intro', '# Study'), without(base, 'plot')).notebook)).toEqual([
      'intro',
      'load',
      'end'
    ]);
  });

  it('takes the same change made on both sides once, without a conflict', () => {
    const local = edit(base, 'load', 'df = load("v2.csv")');
    const result = merge(base, local, structuredClone(local));
    expect(result.conflicts).toEqual([]);
    expect(sources(result.notebook)).toEqual(sources(local));
  });

  it('puts a moved cell where it was moved, with the other side’s edit to it', () => {
    const local = { ...base, cells: [base.cells[0], base.cells[2], base.cells[1], base.cells[3]] };
    const remote = edit(base, 'load', 'df = load("v2.csv")');
    const result = merge(base, local, remote);
    expect(result.conflicts).toEqual([]);
    expect(ids(result.notebook)).toEqual(['intro', 'plot', 'load', 'end']);
    expect(sources(result.notebook)[2]).toBe('df = load("v2.csv")');
  });

  it('merges metadata key by key, in cells and in the notebook', () => {
    const start = notebook([{ id: 'a', source: 'x', metadata: { tags: ['a'] } }], { title: 'T' });
    const local = notebook([{ id: 'a', source: 'x', metadata: { tags: ['a', 'b'] } }], { title: 'T', authors: [] });
    const remote = notebook([{ id: 'a', source: 'x', metadata: { tags: ['a'], editable: false } }], { title: 'T2' });
    const result = merge(start, local, remote);
    expect(result.conflicts).toEqual([]);
    expect(result.notebook.cells[0].metadata).toEqual({ tags: ['a', 'b'], editable: false });
    expect(result.notebook.metadata).toMatchObject({ title: 'T2', authors: [] });
  });

  it('ignores outputs: different outputs on both sides never conflict, and the result has none', () => {
    const local = structuredClone(base);
    const remote = structuredClone(base);
    Object.assign(local.cells[2], {
      outputs: [{ output_type: 'stream', name: 'stdout', text: 'a' }],
      execution_count: 1
    });
    Object.assign(remote.cells[2], {
      outputs: [{ output_type: 'stream', name: 'stdout', text: 'b' }],
      execution_count: 9
    });
    const result = merge(base, local, remote);
    expect(result.conflicts).toEqual([]);
    expect(result.notebook.cells[2]).toMatchObject({ outputs: [], execution_count: null });
  });

  it('keeps both of two different new cells that got the same id, giving local’s a new valid id', () => {
    const local = { ...base, cells: [...base.cells, ...notebook([['new', 'local work']]).cells] };
    const remote = { ...base, cells: [...base.cells, ...notebook([['new', 'remote work']]).cells] };
    const result = merge(base, local, remote);
    expect(sources(result.notebook).slice(-2)).toEqual(['local work', 'remote work']);
    expect(ids(result.notebook).slice(-2)).toEqual(['new-2', 'new']);

    // Remote's cell keeps the id the gallery stored, so its next edit there reaches the merged copy cleanly.
    const later = edit(remote, 'new', 'remote work, revised');
    const next = merge(remote, result.notebook, later);
    expect(next.conflicts).toEqual([]);
    expect(sources(next.notebook).slice(-2)).toEqual(['local work', 'remote work, revised']);
  });

  it('merges notebooks whose cells have no ids (nbformat 4.4)', () => {
    const start = notebook([
      [null, 'a = 1'],
      [null, 'b = 2'],
      [null, 'c = 3']
    ]);
    const local = notebook([
      [null, 'a = 10'],
      [null, 'b = 2'],
      [null, 'c = 3']
    ]);
    const remote = notebook([
      [null, 'a = 1'],
      [null, 'b = 2'],
      [null, 'c = 30'],
      [null, 'd = 4']
    ]);
    const result = merge(start, local, remote);
    expect(result.conflicts).toEqual([]);
    expect(sources(result.notebook)).toEqual(['a = 10', 'b = 2', 'c = 30', 'd = 4']);
    expect(result.notebook.nbformat_minor).toBe(4);
  });

  it('gives every cell an id when one side is nbformat 4.5 and the other has no ids', () => {
    const start = notebook([
      [null, 'a = 1'],
      [null, 'b = 2']
    ]);
    const local = notebook([
      ['id-a', 'a = 1'],
      ['id-b', 'b = 2']
    ]);
    const remote = notebook([
      [null, 'a = 1'],
      [null, 'b = 2'],
      [null, 'c = 3']
    ]);
    const result = merge(start, local, remote);
    expect(result.notebook.nbformat_minor).toBe(5);
    expect(ids(result.notebook)).toEqual(['id-a', 'id-b', 'cell-1']);
  });

  it('keeps remote’s ids when both sides gave ids to a notebook that had none', () => {
    const start = notebook([
      [null, 'a = 1'],
      [null, 'b = 2']
    ]);
    const local = notebook([
      ['l-a', 'a = 10'],
      ['l-b', 'b = 2']
    ]);
    const remote = notebook([
      ['r-a', 'a = 1'],
      ['r-b', 'b = 20']
    ]);
    const result = merge(start, local, remote);
    expect(result.conflicts).toEqual([]);
    expect(sources(result.notebook)).toEqual(['a = 10', 'b = 20']);
    expect(ids(result.notebook)).toEqual(['r-a', 'r-b']);
  });
});

describe('mergeNotebooks: conflicts and choices', () => {
  const local = edit(base, 'load', 'df = load("mine.csv")');
  const remote = edit(base, 'load', 'df = load("theirs.csv")');

  it('reports the same lines changed differently with all three versions, and keeps local’s', () => {
    const result = merge(base, local, remote);
    expect(result.conflicts).toEqual([
      {
        id: 'source/cell:load',
        kind: 'source',
        cellId: 'load',
        cellType: 'code',
        key: null,
        base: 'df = load("data.csv")',
        local: 'df = load("mine.csv")',
        remote: 'df = load("theirs.csv")'
      }
    ]);
    expect(sources(result.notebook)[1]).toBe('df = load("mine.csv")');
  });

  it('settles a source conflict as chosen: local, remote or both', () => {
    expect(sources(merge(base, local, remote, { choices: { 'source/cell:load': 'remote' } }).notebook)[1]).toBe(
      'df = load("theirs.csv")'
    );
    const both = merge(base, local, remote, { choices: { 'source/cell:load': 'both' } });
    expect(both.conflicts).toEqual([]);
    expect(sources(both.notebook)[1]).toBe('df = load("mine.csv")\ndf = load("theirs.csv")');
    expect(sources(merge(base, local, remote, { choices: { 'source/cell:load': 'local' } }).notebook)[1]).toBe(
      'df = load("mine.csv")'
    );
  });

  it('still merges the clean parts of a cell whose other lines conflict', () => {
    const start = notebook([['c', 'a = 1\nb = 2\nc = 3\nd = 4']]);
    const mine = notebook([['c', 'a = 10\nb = 2\nc = 3\nd = 4']]);
    const theirs = notebook([['c', 'a = 11\nb = 2\nc = 3\nd = 40']]);
    const result = merge(start, mine, theirs);
    expect(result.conflicts).toHaveLength(1);
    expect(sources(result.notebook)).toEqual(['a = 10\nb = 2\nc = 3\nd = 40']);
    expect(sources(merge(start, mine, theirs, choose(result, 'remote')).notebook)).toEqual([
      'a = 11\nb = 2\nc = 3\nd = 40'
    ]);
  });

  it('reports different lines written at the same place in a cell as a conflict; both keeps mine then theirs', () => {
    const start = notebook([['c', 'import os\nprint(os.getcwd())']]);
    const mine = notebook([['c', 'import os\nimport sys\nprint(os.getcwd())']]);
    const theirs = notebook([['c', 'import os\nimport json\nprint(os.getcwd())']]);
    const result = merge(start, mine, theirs);
    expect(result.conflicts.map(conflict => conflict.id)).toEqual(['source/cell:c']);
    expect(sources(merge(start, mine, theirs, choose(result, 'both')).notebook)).toEqual([
      'import os\nimport sys\nimport json\nprint(os.getcwd())'
    ]);
  });

  it('reports an edit against a delete; unresolved, the local version stands', () => {
    const editedLocally = merge(base, local, without(base, 'load'));
    expect(editedLocally.conflicts).toEqual([
      expect.objectContaining({
        id: 'deleted/cell:load',
        kind: 'deleted',
        local: 'df = load("mine.csv")',
        remote: null
      })
    ]);
    expect(ids(editedLocally.notebook)).toContain('load');
    const deletedLocally = merge(base, without(base, 'load'), remote);
    expect(deletedLocally.conflicts).toEqual([
      expect.objectContaining({ id: 'deleted/cell:load', local: null, remote: 'df = load("theirs.csv")' })
    ]);
    expect(ids(deletedLocally.notebook)).not.toContain('load');
  });

  it('settles an edit against a delete: remote, local, or both (keep the edited cell)', () => {
    const deletedLocally = (choice: MergeChoice): INotebook =>
      merge(base, without(base, 'load'), remote, { choices: { 'deleted/cell:load': choice } }).notebook;
    expect(ids(deletedLocally('remote'))).toEqual(['intro', 'load', 'plot', 'end']);
    expect(sources(deletedLocally('remote'))[1]).toBe('df = load("theirs.csv")');
    expect(ids(deletedLocally('both'))).toContain('load');
    expect(ids(deletedLocally('local'))).not.toContain('load');
    const deletedRemotely = merge(base, local, without(base, 'load'), { choices: { 'deleted/cell:load': 'remote' } });
    expect(ids(deletedRemotely.notebook)).not.toContain('load');
  });

  it('reports a cell type changed differently, and settles it', () => {
    const start = notebook([{ id: 'c', type: 'raw', source: 'text' }]);
    const mine = notebook([{ id: 'c', type: 'markdown', source: 'text' }]);
    const theirs = notebook([{ id: 'c', type: 'code', source: 'text' }]);
    const result = merge(start, mine, theirs);
    expect(result.conflicts).toEqual([
      expect.objectContaining({ id: 'cell-type/cell:c', base: 'raw', local: 'markdown', remote: 'code' })
    ]);
    expect(result.notebook.cells[0].cell_type).toBe('markdown');
    const remoteChosen = merge(start, mine, theirs, choose(result, 'remote')).notebook.cells[0];
    expect(remoteChosen).toMatchObject({ cell_type: 'code', outputs: [], execution_count: null });
    expect(merge(start, mine, theirs, choose(result, 'both')).notebook.cells[0].cell_type).toBe('markdown');
  });

  it('reports a metadata key changed differently as JSON, and settles it', () => {
    const start = notebook([{ id: 'c', source: 'x', metadata: { tags: ['a'] } }], { title: 'Report' });
    const mine = notebook([{ id: 'c', source: 'x', metadata: { tags: ['mine'] } }], { title: 'My report' });
    const theirs = notebook([{ id: 'c', source: 'x', metadata: {} }], { title: 'Their report' });
    const result = merge(start, mine, theirs);
    expect(result.conflicts).toEqual([
      {
        id: 'metadata/cell:c/tags',
        kind: 'metadata',
        cellId: 'c',
        cellType: 'code',
        key: 'tags',
        base: '["a"]',
        local: '["mine"]',
        remote: null
      },
      {
        id: 'metadata/notebook/title',
        kind: 'metadata',
        cellId: null,
        cellType: null,
        key: 'title',
        base: '"Report"',
        local: '"My report"',
        remote: '"Their report"'
      }
    ]);
    expect(result.notebook.metadata.title).toBe('My report');
    const remote = merge(start, mine, theirs, choose(result, 'remote')).notebook;
    expect(remote.cells[0].metadata).toEqual({});
    expect(remote.metadata.title).toBe('Their report');
  });

  it('returns only the conflicts no choice settled, with the same ids every time', () => {
    const mine = edit(edit(base, 'load', 'mine'), 'end', 'mine too');
    const theirs = edit(edit(base, 'load', 'theirs'), 'end', 'theirs too');
    const first = merge(base, mine, theirs);
    expect(first.conflicts.map(conflict => conflict.id)).toEqual(['source/cell:load', 'source/cell:end']);
    expect(merge(base, mine, theirs).conflicts).toEqual(first.conflicts);
    const partly = merge(base, mine, theirs, { choices: { 'source/cell:end': 'remote', 'source/cell:gone': 'local' } });
    expect(partly.conflicts.map(conflict => conflict.id)).toEqual(['source/cell:load']);
    expect(sources(partly.notebook)).toEqual(['# Analysis', 'mine', 'plot(df)\nshow()', 'theirs too']);
  });

  it('refuses a choice that is not local, remote or both, and an argument that is not a notebook', () => {
    expect(() =>
      mergeNotebooks(base, local, remote, { choices: { 'source/cell:load': 'theirs' as MergeChoice } })
    ).toThrow(/must be "local", "remote" or "both"/);
    expect(() => mergeNotebooks(base, {} as INotebook, remote)).toThrow(NotebookFormatError);
    expect(() => mergeNotebooks(base, {} as INotebook, remote)).toThrow(/local notebook/);
  });
});

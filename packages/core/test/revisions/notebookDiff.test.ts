import { diffNotebooks, NotebookFormatError, parseNotebook } from '../../src';
import type { ICellDiff, INotebook } from '../../src';
import { readFixture } from '../fixtures';
import { notebook } from './build';

/** What a reader of the diff sees first: each cell's status, in order, with its id. */
function statuses(cells: ICellDiff[]): Array<[string | null, string]> {
  return cells.map(cell => [cell.id, cell.moved ? `${cell.status}, moved` : cell.status]);
}

describe('diffNotebooks', () => {
  it('reports no change between a notebook and itself', () => {
    const nb = notebook([
      ['a', 'x = 1'],
      ['b', 'print(x)']
    ]);
    const diff = diffNotebooks(nb, structuredClone(nb));
    expect(statuses(diff.cells)).toEqual([
      ['a', 'unchanged'],
      ['b', 'unchanged']
    ]);
    expect(diff.cells[0].source).toBeUndefined();
    expect(diff.metadata).toEqual([]);
    expect(diff.summary).toEqual({ added: 0, removed: 0, modified: 0, moved: 0, unchanged: 2 });
  });

  it('lists added and removed cells, each removed cell where it stood, with its lines', () => {
    const from = notebook([
      ['a', 'import numpy'],
      ['gone', 'old = 1\nprint(old)'],
      ['c', 'print(2)']
    ]);
    const to = notebook([
      ['a', 'import numpy'],
      ['c', 'print(2)'],
      ['new', 'print(3)']
    ]);
    const diff = diffNotebooks(from, to);
    expect(statuses(diff.cells)).toEqual([
      ['a', 'unchanged'],
      ['gone', 'removed'],
      ['c', 'unchanged'],
      ['new', 'added']
    ]);
    expect(diff.cells[1]).toMatchObject({ fromIndex: 1, toIndex: null });
    expect(diff.cells[1].source).toEqual([
      { op: 'removed', text: 'old = 1', from: 0 },
      { op: 'removed', text: 'print(old)', from: 1 }
    ]);
    expect(diff.cells[3]).toMatchObject({
      fromIndex: null,
      toIndex: 2,
      source: [{ op: 'added', text: 'print(3)', to: 0 }]
    });
    expect(diff.summary).toMatchObject({ added: 1, removed: 1, unchanged: 2 });
  });

  it('lists every cell as added when compared with an empty notebook (the first revision)', () => {
    const empty: INotebook = { nbformat: 4, nbformat_minor: 5, metadata: {}, cells: [] };
    const first = notebook([
      ['a', '# Title'],
      ['b', 'x = 1\ny = 2']
    ]);
    const diff = diffNotebooks(empty, first);
    expect(statuses(diff.cells)).toEqual([
      ['a', 'added'],
      ['b', 'added']
    ]);
    expect(diff.cells[1].source).toEqual([
      { op: 'added', text: 'x = 1', to: 0 },
      { op: 'added', text: 'y = 2', to: 1 }
    ]);
    expect(diff.metadata).toEqual([
      { key: 'kernelspec', op: 'added', to: { name: 'python3', display_name: 'Python 3' } }
    ]);
  });

  it('shows which lines of a modified cell changed, with every line for context', () => {
    const from = notebook([['a', 'x = 1\ny = 2\nz = 3\nprint(x, y, z)']]);
    const to = notebook([['a', 'x = 1\ny = 20\nz = 3\nw = 4\nprint(x, y, z)']]);
    const [cell] = diffNotebooks(from, to).cells;
    expect(cell.status).toBe('modified');
    expect(cell.source).toEqual([
      { op: 'equal', text: 'x = 1', from: 0, to: 0 },
      { op: 'removed', text: 'y = 2', from: 1 },
      { op: 'added', text: 'y = 20', to: 1 },
      { op: 'equal', text: 'z = 3', from: 2, to: 2 },
      { op: 'added', text: 'w = 4', to: 3 },
      { op: 'equal', text: 'print(x, y, z)', from: 3, to: 4 }
    ]);
  });

  it('marks a cell moved to another place, and only that one', () => {
    const from = notebook([
      ['a', 'a'],
      ['b', 'b'],
      ['c', 'c'],
      ['d', 'd']
    ]);
    const to = notebook([
      ['a', 'a'],
      ['c', 'c'],
      ['d', 'd'],
      ['b', 'b, edited']
    ]);
    const diff = diffNotebooks(from, to);
    expect(statuses(diff.cells)).toEqual([
      ['a', 'unchanged'],
      ['c', 'unchanged'],
      ['d', 'unchanged'],
      ['b', 'modified, moved']
    ]);
    expect(diff.cells[3]).toMatchObject({ fromIndex: 1, toIndex: 3 });
    expect(diff.summary).toEqual({ added: 0, removed: 0, modified: 1, moved: 1, unchanged: 3 });
  });

  it('reports a changed cell type', () => {
    const diff = diffNotebooks(
      notebook([['a', '# Title']]),
      notebook([{ id: 'a', type: 'markdown', source: '# Title' }])
    );
    expect(diff.cells[0]).toMatchObject({ status: 'modified', cellType: 'markdown', previousCellType: 'code' });
    expect(diff.cells[0].source).toBeUndefined();
  });

  it('reports cell and notebook metadata changes as dotted keys', () => {
    const from = notebook(
      [{ id: 'a', source: 'x', metadata: { tags: ['draft'], jupyter: { source_hidden: false } } }],
      {
        title: 'Old'
      }
    );
    const to = notebook(
      [{ id: 'a', source: 'x', metadata: { tags: ['final'], jupyter: { source_hidden: true }, editable: false } }],
      { title: 'New', kernelspec: { name: 'ir', display_name: 'R' } }
    );
    const diff = diffNotebooks(from, to);
    expect(diff.cells[0].status).toBe('modified');
    expect(diff.cells[0].metadata).toEqual([
      { key: 'tags', op: 'changed', from: ['draft'], to: ['final'] },
      { key: 'jupyter.source_hidden', op: 'changed', from: false, to: true },
      { key: 'editable', op: 'added', to: false }
    ]);
    expect(diff.metadata).toEqual([
      { key: 'kernelspec.name', op: 'changed', from: 'python3', to: 'ir' },
      { key: 'kernelspec.display_name', op: 'changed', from: 'Python 3', to: 'R' },
      { key: 'title', op: 'changed', from: 'Old', to: 'New' }
    ]);
  });

  it('never shows outputs, execution counts, run-time metadata or gallery provenance', () => {
    const from = notebook([['a', 'print(1)']]);
    const to = structuredClone(from) as INotebook;
    to.cells[0] = {
      ...to.cells[0],
      cell_type: 'code',
      outputs: [{ output_type: 'stream', name: 'stdout', text: '1\n' }],
      execution_count: 7,
      metadata: { collapsed: true, ExecuteTime: { end_time: 'now' } }
    };
    to.metadata.gallery = { id: 'nb1', revision: 'abc', server: 'https://gallery.example' };
    const diff = diffNotebooks(from, to);
    expect(statuses(diff.cells)).toEqual([['a', 'unchanged']]);
    expect(diff.metadata).toEqual([]);
  });

  it('pairs cells of notebooks without ids by content: the right one of two identical cells is modified', () => {
    // nbdime's multilevel-test: "x = 3" appears twice and local changes the first one.
    const from = parseNotebook(readFixture('nbdime/multilevel-test-base.ipynb'));
    const to = parseNotebook(readFixture('nbdime/multilevel-test-local.ipynb'));
    const diff = diffNotebooks(from, to);
    expect(diff.cells.map(cell => [cell.status, cell.fromIndex, cell.toIndex])).toEqual([
      ['unchanged', 0, 0],
      ['modified', 1, 1],
      ['unchanged', 2, 2],
      ['unchanged', 3, 3],
      ['unchanged', 4, 4],
      ['unchanged', 5, 5]
    ]);
    expect(diff.cells[1].id).toBeNull();
    expect(diff.cells[1].source).toEqual([
      { op: 'removed', text: 'x = 3', from: 0 },
      { op: 'added', text: 'x = 5', to: 0 }
    ]);
  });

  it('without ids, tells a similar edited cell from a new one', () => {
    const from = notebook([
      [null, 'import pandas as pd'],
      [null, 'df = pd.read_csv("data.csv")\ndf.head()'],
      [null, 'df.describe()']
    ]);
    const to = notebook([
      [null, 'import pandas as pd'],
      [null, 'df = pd.read_csv("data2.csv")\ndf.head()'],
      [null, 'plt.plot(df.x)'],
      [null, 'df.describe()']
    ]);
    const diff = diffNotebooks(from, to);
    expect(diff.cells.map(cell => [cell.status, cell.fromIndex, cell.toIndex])).toEqual([
      ['unchanged', 0, 0],
      ['modified', 1, 1],
      ['added', null, 2],
      ['unchanged', 2, 3]
    ]);
  });

  it('pairs a notebook without ids with a later version that has them (an upgrade to nbformat 4.5)', () => {
    const from = notebook([
      [null, 'a = 1'],
      [null, 'b = 2']
    ]);
    const to = notebook([
      ['id-a', 'a = 1'],
      ['id-b', 'b = 3']
    ]);
    expect(statuses(diffNotebooks(from, to).cells)).toEqual([
      ['id-a', 'unchanged'],
      ['id-b', 'modified']
    ]);
  });

  it('diffs a 5,000-line cell quickly and shows only the lines that changed', () => {
    const lines = Array.from({ length: 5000 }, (_, i) => `value_${i} = compute(${i})`);
    const changed = [...lines];
    changed[10] = 'value_10 = compute(10) * 2';
    changed.splice(2500, 3);
    changed.splice(4000, 0, 'print("checkpoint")');
    const started = Date.now();
    const [cell] = diffNotebooks(notebook([['big', lines.join('\n')]]), notebook([['big', changed.join('\n')]])).cells;
    expect(Date.now() - started).toBeLessThan(1000);
    const edits = (cell.source ?? []).filter(line => line.op !== 'equal');
    expect(edits.map(line => [line.op, line.text])).toEqual([
      ['removed', 'value_10 = compute(10)'],
      ['added', 'value_10 = compute(10) * 2'],
      ['removed', 'value_2500 = compute(2500)'],
      ['removed', 'value_2501 = compute(2501)'],
      ['removed', 'value_2502 = compute(2502)'],
      ['added', 'print("checkpoint")']
    ]);
  });

  it('diffs a 5,000-line cell rewritten line by line quickly', () => {
    const lines = Array.from({ length: 5000 }, (_, i) => `value_${i} = compute(${i})`);
    const rewritten = lines.map((line, i) => (i % 2 === 0 ? `${line}  # reviewed` : line));
    const started = Date.now();
    const [cell] = diffNotebooks(
      notebook([['big', lines.join('\n')]]),
      notebook([['big', rewritten.join('\n')]])
    ).cells;
    expect(Date.now() - started).toBeLessThan(1000);
    expect(cell.source?.filter(line => line.op === 'equal')).toHaveLength(2500);
    expect(cell.source?.filter(line => line.op === 'added')).toHaveLength(2500);
  });

  it('finds the fewest changed lines (checked against a plain longest-common-subsequence count)', () => {
    let seed = 7;
    const random = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    for (let round = 0; round < 200; round++) {
      const a = Array.from({ length: random(15) }, () => 'abcd'[random(4)]);
      const b = Array.from({ length: random(15) }, () => 'abcd'[random(4)]);
      const [cell] = diffNotebooks(notebook([['x', a.join('\n')]]), notebook([['x', b.join('\n')]])).cells;
      const equal = cell.source === undefined ? a.length : cell.source.filter(line => line.op === 'equal').length;
      expect(equal).toBe(lcsLength(a.join('\n').split('\n'), b.join('\n').split('\n')));
      const rebuilt = (cell.source ?? []).filter(line => line.op !== 'removed').map(line => line.text);
      if (cell.source !== undefined) {
        expect(rebuilt).toEqual(b.join('\n').split('\n'));
      }
    }
  });

  it('refuses something that is not a notebook, saying which argument', () => {
    const nb = notebook([['a', 'x']]);
    expect(() => diffNotebooks(nb, { cells: 'nope' } as unknown as INotebook)).toThrow(NotebookFormatError);
    expect(() => diffNotebooks(nb, { cells: 'nope' } as unknown as INotebook)).toThrow(/newer notebook/);
  });
});

function lcsLength(a: string[], b: string[]): number {
  const table = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) {
      table[i][j] = a[i] === b[j] ? table[i + 1][j + 1] + 1 : Math.max(table[i + 1][j], table[i][j + 1]);
    }
  }
  return table[0][0];
}

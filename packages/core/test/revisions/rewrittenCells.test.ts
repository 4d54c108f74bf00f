import { checkNotebook, mergeNotebooks } from '../../src';
import type { IMergeOptions, IMergeResult, INotebook, MergeChoice } from '../../src';
import { ids, notebook, sources } from './build';

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
  ['load', 'df = load("data.csv")\ndf = df.dropna()\ndf.head()'],
  ['end', 'print("done")']
]);

/** Base with cell `load` replaced, in place, by a cell of a new id and this source (a cut and paste, say). */
function rewritten(id: string, source: string): INotebook {
  const copy = structuredClone(base);
  copy.cells[1] = notebook([[id, source]]).cells[0];
  return copy;
}

describe('mergeNotebooks: a cell both sides rewrote under new ids', () => {
  it('is one cell changed on both sides: a source conflict, not two cells one after the other', () => {
    // Before, the result held both new cells side by side and no conflict.
    const local = rewritten('mine', 'df = load("data-2024.csv")\ndf = df.dropna()');
    const remote = rewritten('theirs', 'df = load("data-2025.csv")\ndf = df.dropna()');
    const result = merge(base, local, remote);
    expect(result.conflicts).toEqual([
      {
        id: 'source/cell:mine',
        kind: 'source',
        cellId: 'mine',
        cellType: 'code',
        key: null,
        base: 'df = load("data.csv")\ndf = df.dropna()\ndf.head()',
        local: 'df = load("data-2024.csv")\ndf = df.dropna()',
        remote: 'df = load("data-2025.csv")\ndf = df.dropna()'
      }
    ]);
    // Unsettled, local's version stands, with remote's id (the gallery's stored revision keeps its ids).
    expect(sources(result.notebook)).toEqual(['# Analysis', local.cells[1].source, 'print("done")']);
    expect(ids(result.notebook)).toEqual(['intro', 'theirs', 'end']);
    expect(sources(merge(base, local, remote, choose(result, 'remote')).notebook)[1]).toBe(remote.cells[1].source);
    expect(sources(merge(base, local, remote, choose(result, 'both')).notebook)).toEqual([
      '# Analysis',
      'df = load("data-2024.csv")\ndf = load("data-2025.csv")\ndf = df.dropna()',
      'print("done")'
    ]);
  });

  it('merges rewrites that changed different lines, as edits in place would', () => {
    const local = rewritten('mine', 'df = load("data-2024.csv")\ndf = df.dropna()\ndf.head()');
    const remote = rewritten('theirs', 'df = load("data.csv")\ndf = df.dropna()\ndf.tail()');
    const result = merge(base, local, remote);
    expect(result.conflicts).toEqual([]);
    expect(sources(result.notebook)).toEqual([
      '# Analysis',
      'df = load("data-2024.csv")\ndf = df.dropna()\ndf.tail()',
      'print("done")'
    ]);
  });

  it('merges notebooks whose ids a tool renewed on both sides cell by cell, without doubling every cell', () => {
    const renew = (nb: INotebook, prefix: string): INotebook => ({
      ...nb,
      cells: nb.cells.map((cell, i) => ({ ...cell, id: `${prefix}-${i}` }))
    });
    const local = renew(rewritten('x', 'df = load("data-2024.csv")\ndf = df.dropna()'), 'l');
    const remote = renew(
      { ...base, cells: base.cells.map((c, i) => (i === 2 ? { ...c, source: 'print("ok")' } : c)) },
      'r'
    );
    const result = merge(base, local, remote);
    expect(result.conflicts).toEqual([]);
    expect(sources(result.notebook)).toEqual([
      '# Analysis',
      'df = load("data-2024.csv")\ndf = df.dropna()',
      'print("ok")'
    ]);
    expect(ids(result.notebook)).toEqual(['r-0', 'r-1', 'r-2']);
  });

  it('keeps a cell only one side rewrote as that side left it, and two unrelated new cells both', () => {
    const local = rewritten('mine', 'df = load("data-2024.csv")\ndf = df.dropna()');
    const one = merge(base, local, base);
    expect(one.conflicts).toEqual([]);
    expect(ids(one.notebook)).toEqual(['intro', 'mine', 'end']);

    // Both dropped `load`; local put a new cell at the top, remote one at the end: nothing to pair.
    const dropped = (nb: INotebook): INotebook => ({ ...nb, cells: nb.cells.filter(cell => cell.id !== 'load') });
    const top = dropped(base);
    top.cells.unshift(notebook([['top', 'df = load("data.csv")\ndf = df.fillna(0)']]).cells[0]);
    const bottom = dropped(base);
    bottom.cells.push(notebook([['bottom', 'df = load("data.csv")\ndf = df.dropna()\n']]).cells[0]);
    const both = merge(base, top, bottom);
    expect(both.conflicts).toEqual([]);
    expect(ids(both.notebook)).toEqual(['top', 'intro', 'end', 'bottom']);
  });
});

/**
 * nbdime's three-way merge cases (fixtures copied from jupyter/nbdime, see ../fixtures/README.md), in nbdime's
 * convention: `--1` is the base, `--2` local, `--3` remote. The gallery merges stripped notebooks, so every change to
 * outputs and execution counts in these files vanishes before the merge; each test says what is left of the case.
 */
import { checkNotebook, mergeNotebooks, parseNotebook, serializeNotebook, stripNotebook } from '../../src';
import type { IMergeOptions, IMergeResult, INotebook } from '../../src';
import { readFixture } from '../fixtures';
import { ids, sources } from './build';

function fixture(name: string): INotebook {
  return parseNotebook(readFixture(`nbdime/${name}.ipynb`));
}

/** Merges a numbered set and checks that the result is valid nbformat, as every merge must be. */
function mergeSet(name: string, options?: IMergeOptions): IMergeResult {
  const result = mergeNotebooks(fixture(`${name}--1`), fixture(`${name}--2`), fixture(`${name}--3`), options);
  checkNotebook(result.notebook);
  return result;
}

function choose(result: IMergeResult, choice: 'local' | 'remote' | 'both'): IMergeOptions {
  return { choices: Object.fromEntries(result.conflicts.map(conflict => [conflict.id, choice])) };
}

describe('nbdime merge cases', () => {
  it('cellids: cells are matched by id; a cell both sides replaced under new ids is one cell changed on both', () => {
    // nbdime checks id-based matching with this set. Local edits cell c2c4a8f2 (x = 5), remote edits ac5427e8
    // (x = 7): both kept. Both sides also drop the base's last three cells and write three of their own there,
    // under new ids. Dropped and replaced in place on both sides is a rewrite (see docs/architecture.md, "Merge"):
    // the empty cell is the same on all three, and "BASE #2" was rewritten as "LOCAL …" and "REMOTE #2 …", a
    // conflict, as nbdime reports one. The cells left over on each side are new cells, both kept.
    const base = fixture('cellids--base');
    const result = mergeNotebooks(base, fixture('cellids--local'), fixture('cellids--remote'));
    checkNotebook(result.notebook);
    expect(result.conflicts.map(conflict => [conflict.id, conflict.base, conflict.local, conflict.remote])).toEqual([
      ['source/cell:bfe12f52', 'BASE #2 - with unique ID', 'LOCAL - with unique ID', 'REMOTE #2 - with unique ID']
    ]);
    expect(sources(result.notebook)).toEqual([
      'def f(x):\n    return x**2',
      'x = 5',
      'f(x)',
      'x = 7',
      'f(x)',
      'REMOTE - with a completely different unique ID, and different source!',
      'LOCAL - with unique ID',
      'LOCAL #2 - with unique ID',
      ''
    ]);
    expect(ids(result.notebook)).toEqual([
      '885cad67',
      'c2c4a8f2',
      '0c3a036c',
      'ac5427e8',
      '4ee12f52',
      'afe12f52',
      'remote-A',
      'local-A',
      '226e4ff8'
    ]);
    expect(result.notebook.cells.every(cell => cell.cell_type !== 'code' || cell.outputs.length === 0)).toBe(true);
  });

  it('apap: a cell both rewrote is one conflict; the cell only remote changed takes remote’s change', () => {
    // nbformat 4.0 without ids: cells are paired by content. The markdown cell is rewritten differently on both
    // sides (nbdime's "add/patch, add/patch"): a source conflict. The output changes vanish with stripping.
    const result = mergeSet('apap');
    expect(result.conflicts).toEqual([
      {
        id: 'source/cell#0',
        kind: 'source',
        cellId: null,
        cellType: 'markdown',
        key: null,
        base: 'Ipsum lorem:',
        local: 'Foo bar, foo bar, the quick brown fox:',
        remote: "Foo bar, foo bar, What is love, baby don't hurt me:"
      }
    ]);
    expect(sources(result.notebook)).toEqual([
      'Foo bar, foo bar, the quick brown fox:',
      'Some lines\nTo help with\nAlignment\nWar! What is it good for?\n'
    ]);
    const remote = mergeSet('apap', choose(result, 'remote'));
    expect(remote.conflicts).toEqual([]);
    expect(sources(remote.notebook)[0]).toBe("Foo bar, foo bar, What is love, baby don't hurt me:");
  });

  it('inline-conflict: lines both changed differently conflict; "both" keeps local’s lines then remote’s', () => {
    // nbdime writes conflict markers into the source with its inline strategy; we report the conflict instead and
    // keep local's version until a choice settles it.
    const result = mergeSet('inline-conflict');
    expect(result.conflicts.map(conflict => [conflict.id, conflict.kind])).toEqual([['source/cell#0', 'source']]);
    expect(result.conflicts[0].base).toBe('x = 1\ny = 3\nprint(x * y)');
    expect(sources(result.notebook)[0]).toBe('x = 1\ny = 3\nz = 4\nprint(x * y / z)');
    const both = mergeSet('inline-conflict', choose(result, 'both'));
    expect(both.conflicts).toEqual([]);
    expect(sources(both.notebook)[0]).toBe('x = 1\ny = 3\nz = 4\nprint(x * y / z)\nq = 3.1\nprint(x + q)');
  });

  it('mixed-conflicts: source, tag and notebook metadata conflicts are all reported; untouched cells stay', () => {
    // nbdime's set mixes source, output and metadata conflicts; outputs vanish, the rest is reported. Both sides
    // also ran it under a different Python (language_info.version), which is a real notebook-metadata conflict.
    const result = mergeSet('mixed-conflicts');
    expect(result.conflicts.map(conflict => conflict.id)).toEqual([
      'source/cell#0',
      'source/cell#1',
      'source/cell#3',
      'metadata/cell#3/tags',
      'metadata/notebook/language_info.version'
    ]);
    const tags = result.conflicts[3];
    expect([tags.base, tags.local, tags.remote]).toEqual([null, '["foo"]', '["bar"]']);
    expect(sources(result.notebook)).toEqual(sources(fixture('mixed-conflicts--2')));
    expect(result.notebook.cells[3].metadata.tags).toEqual(['foo']);

    const remote = mergeSet('mixed-conflicts', choose(result, 'remote'));
    expect(remote.conflicts).toEqual([]);
    expect(sources(remote.notebook)).toEqual(sources(fixture('mixed-conflicts--3')));
    expect(remote.notebook.cells[3].metadata.tags).toEqual(['bar']);
    expect(remote.notebook.metadata.language_info?.version).toBe('2.7.10');
  });

  it('output-conflict: the output conflict vanishes; the same edit on both sides merges; the end value conflicts', () => {
    // nbdime's case is about conflicting outputs of the plot cell: stripped, they are gone, and both sides changed
    // its source the same way (10 -> 100 points). Both sides also set `end` differently, a source conflict.
    const result = mergeSet('output-conflict');
    expect(result.conflicts.map(conflict => [conflict.id, conflict.local, conflict.remote])).toEqual([
      ['source/cell#1', 'end = 3*pi', 'end = 10*pi']
    ]);
    expect(sources(result.notebook)[2]).toBe('x = linspace(0, end, 100)\ny = sin(x)\nplot(x, y)');
    expect(result.notebook.cells.every(cell => cell.cell_type !== 'code' || cell.outputs.length === 0)).toBe(true);
  });

  it('source-conflict: each choice gives the version the user picked', () => {
    const result = mergeSet('source-conflict');
    expect(result.conflicts).toHaveLength(1);
    expect(sources(result.notebook)).toEqual(['test 2\nhello 2\nmore\ntext 2\nworld 2']);
    expect(sources(mergeSet('source-conflict', choose(result, 'local')).notebook)).toEqual(sources(result.notebook));
    expect(sources(mergeSet('source-conflict', choose(result, 'remote')).notebook)).toEqual([
      'test 3\nhello 3\nmore\ntext 3\nworld 3'
    ]);
    // Two conflicting regions around the unchanged "more": each gets local's lines then remote's.
    expect(sources(mergeSet('source-conflict', choose(result, 'both')).notebook)).toEqual([
      'test 2\nhello 2\ntest 3\nhello 3\nmore\ntext 2\nworld 2\ntext 3\nworld 3'
    ]);
  });

  it('multilevel-test: gives nbdime’s merged notebook (stripped) without ids to go by', () => {
    // nbformat 4.0 without ids, and "x = 3" twice: local edits the first, remote the second. nbdime's expected
    // file keeps outputs; stripped, ours is byte for byte the same notebook.
    const result = mergeNotebooks(
      fixture('multilevel-test-base'),
      fixture('multilevel-test-local'),
      fixture('multilevel-test-remote')
    );
    expect(result.conflicts).toEqual([]);
    expect(serializeNotebook(result.notebook)).toBe(
      serializeNotebook(stripNotebook(fixture('multilevel-test-merged')))
    );
  });

  it('gives the same conflict ids every time for the same notebooks', () => {
    expect(mergeSet('mixed-conflicts').conflicts.map(conflict => conflict.id)).toEqual(
      mergeSet('mixed-conflicts').conflicts.map(conflict => conflict.id)
    );
  });
});

import type { IMergeConflict, INotebook, MergeChoice } from '@notebook-gallery/core';
import type { ResolveConflicts } from '../src/services/conflictResolution';
import { isEditedCopy } from '../src/services/copyComparison';
import { keepLocalOutputs } from '../src/services/localOutputs';
import { mergedCopyContent } from '../src/services/mergedCopy';

const PROVENANCE = { id: 'nb-1', revision: 'b'.repeat(40), server: 'http://127.0.0.1:8765' };

/** The gallery's revision: stripped, the language named only, sources as lists of lines. */
function revision(): INotebook {
  return {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: { kernelspec: { name: 'python3', display_name: 'Python 3' }, language_info: { name: 'python' } },
    cells: [
      { id: 'intro', cell_type: 'markdown', metadata: {}, source: ['# Week 1\n', 'Read this first.'] },
      { id: 'load', cell_type: 'code', metadata: {}, execution_count: null, outputs: [], source: ['x = 1\n', 'x'] }
    ]
  } as INotebook;
}

/** The student's copy of it after running it: outputs, the kernel's details, provenance, trust, one-string sources. */
function runCopy(): INotebook {
  const copy = revision();
  copy.metadata = {
    kernelspec: { name: 'python3', display_name: 'Python 3 (ipykernel)', language: 'python' },
    language_info: { name: 'python', version: '3.11.7', mimetype: 'text/x-python' },
    gallery: { ...PROVENANCE, revision: 'a'.repeat(40) }
  };
  copy.cells[0] = { ...copy.cells[0], source: '# Week 1\nRead this first.' };
  copy.cells[1] = {
    ...copy.cells[1],
    source: 'x = 1\nx',
    metadata: { trusted: true, collapsed: false },
    execution_count: 1,
    outputs: [{ output_type: 'execute_result', data: { 'text/plain': '1' }, metadata: {}, execution_count: 1 }]
  } as never;
  return copy;
}

describe('whether a copy was edited', () => {
  it('is not edited by running it, by its kernel, by saving it or by how JupyterLab splits sources', () => {
    expect(isEditedCopy(runCopy(), revision())).toBe(false);
  });

  it('is edited when a source, a cell, a cell type or a cell tag changed', () => {
    const changes: Array<(copy: INotebook) => void> = [
      copy => (copy.cells[1].source = 'x = 2\nx'),
      copy => copy.cells.push({ id: 'mine', cell_type: 'markdown', metadata: {}, source: 'my notes' }),
      copy => copy.cells.splice(0, 1),
      copy => (copy.cells[0] = { ...copy.cells[0], cell_type: 'raw' } as never),
      copy => (copy.cells[0].metadata = { tags: ['answer'] }),
      copy => (copy.metadata.authors = [{ name: 'Sam' }])
    ];
    for (const change of changes) {
      const copy = runCopy();
      change(copy);
      expect(isEditedCopy(copy, revision())).toBe(true);
    }
  });
});

describe('keeping local outputs when the gallery’s version replaces a copy', () => {
  it('keeps the outputs of unchanged cells, drops those of changed ones, and records the new revision', () => {
    const current = runCopy();
    current.cells.push({
      id: 'plot',
      cell_type: 'code',
      metadata: {},
      execution_count: 2,
      outputs: [{ output_type: 'stream', name: 'stdout', text: 'old plot' }],
      source: 'plot(x)'
    } as never);
    const next = revision();
    next.cells.push({
      id: 'plot',
      cell_type: 'code',
      metadata: {},
      execution_count: null,
      outputs: [],
      source: 'plot(x, color="red")'
    } as never);

    const shown = keepLocalOutputs(next, current, PROVENANCE);

    expect(shown.cells[1]).toMatchObject({ execution_count: 1, outputs: current.cells[1].outputs });
    expect(shown.cells[1].metadata).toEqual({ trusted: true, collapsed: false });
    expect(shown.cells[2]).toMatchObject({ source: 'plot(x, color="red")', execution_count: null, outputs: [] });
    expect(shown.metadata.gallery).toEqual(PROVENANCE);
    // The running kernel's own details stay, so showing the update does not change them back.
    expect(shown.metadata.language_info).toEqual(current.metadata.language_info);
  });

  it('matches cells without ids by their content', () => {
    const current = runCopy();
    const next = revision();
    for (const notebook of [current, next]) {
      notebook.cells.forEach(cell => delete cell.id);
    }
    const shown = keepLocalOutputs(next, current, PROVENANCE);
    expect(shown.cells[1]).toMatchObject({ execution_count: 1, outputs: current.cells[1].outputs });
  });
});

describe('showing a merged save in the open copy', () => {
  /** A stripped notebook with one code cell per source, ids a, b, c. */
  const stored = (...sources: string[]): INotebook =>
    ({
      nbformat: 4,
      nbformat_minor: 5,
      metadata: {},
      cells: sources.map((source, index) => ({
        id: 'abc'[index],
        cell_type: 'code',
        metadata: {},
        execution_count: null,
        outputs: [],
        source
      }))
    }) as INotebook;
  const text = (notebook: INotebook) => notebook.cells.map(cell => cell.source);

  /** The conflict dialog's answers: `choice` for every conflict, or a cancel; what it was asked is recorded. */
  function dialog(choice: MergeChoice | null) {
    const asked: IMergeConflict[][] = [];
    const resolve: ResolveConflicts = async conflicts => {
      asked.push([...conflicts]);
      return choice === null ? null : Object.fromEntries(conflicts.map(conflict => [conflict.id, choice]));
    };
    return { asked, conflicts: { resolve, context: { title: 'Week 1', theirs: 'the gallery’s version 3' } } };
  }

  it('shows the merge when the user typed nothing meanwhile', async () => {
    const sent = stored('a = 1', 'b = 2', 'c = 3');
    const merged = stored('a = 1', 'b = 20', 'c = 3');
    const { asked, conflicts } = dialog('local');
    const shown = await mergedCopyContent(sent, sent, merged, PROVENANCE, conflicts);
    expect(text(shown!)).toEqual(['a = 1', 'b = 20', 'c = 3']);
    expect(shown!.metadata.gallery).toEqual(PROVENANCE);
    expect(asked).toEqual([]);
  });

  it('keeps what the user typed while the save was on its way', async () => {
    const sent = stored('a = 1', 'b = 2', 'c = 3');
    const typed = stored('a = 1', 'b = 2', 'c = 3  # still typing');
    const merged = stored('a = 1', 'b = 20', 'c = 3');
    const { asked, conflicts } = dialog('local');
    expect(text((await mergedCopyContent(sent, typed, merged, PROVENANCE, conflicts))!)).toEqual([
      'a = 1',
      'b = 20',
      'c = 3  # still typing'
    ]);
    expect(asked).toEqual([]);
  });

  it('asks, never settles silently, when the user typed in the line the colleague changed', async () => {
    const sent = stored('a = 1', 'b = 2', 'c = 3');
    const typed = stored('a = 1', 'b = 2  # mine', 'c = 3');
    const merged = stored('a = 1', 'b = 20', 'c = 3');

    const theirs = dialog('remote');
    expect(text((await mergedCopyContent(sent, typed, merged, PROVENANCE, theirs.conflicts))!)).toEqual([
      'a = 1',
      'b = 20',
      'c = 3'
    ]);
    expect(theirs.asked).toHaveLength(1);
    expect(theirs.asked[0]).toHaveLength(1);

    const mine = dialog('local');
    expect(text((await mergedCopyContent(sent, typed, merged, PROVENANCE, mine.conflicts))!)).toEqual([
      'a = 1',
      'b = 2  # mine',
      'c = 3'
    ]);
  });

  it('shows nothing new when the user cancels that question, so the copy keeps its text and old provenance', async () => {
    const sent = stored('a = 1', 'b = 2', 'c = 3');
    const typed = stored('a = 1', 'b = 2  # mine', 'c = 3');
    const merged = stored('a = 1', 'b = 20', 'c = 3');
    const { asked, conflicts } = dialog(null);
    expect(await mergedCopyContent(sent, typed, merged, PROVENANCE, conflicts)).toBeNull();
    expect(asked).toHaveLength(1);
  });
});

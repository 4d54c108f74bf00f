import type { IDiffLine, INotebookDiff } from '@notebook-gallery/core';
import { Widget } from '@lumino/widgets';
import { foldUnchanged, metadataSentence, splitRows } from '../src/widgets/diffLayout';
import { NotebookDiffView } from '../src/widgets/diffView';
import { trans } from './helpers';

/** Revision 1 → 2 of a payroll notebook: one line changed, a note added, a print removed, a cell moved. */
function payrollDiff(): INotebookDiff {
  return {
    cells: [
      { status: 'unchanged', moved: false, id: 'title', cellType: 'markdown', fromIndex: 0, toIndex: 0 },
      {
        status: 'modified',
        moved: false,
        id: 'calc',
        cellType: 'code',
        fromIndex: 1,
        toIndex: 1,
        source: [
          { op: 'equal', text: 'import pandas as pd', from: 0, to: 0 },
          { op: 'removed', text: 'total = 1200 * 12', from: 1 },
          { op: 'added', text: 'total = 1500 * 12', to: 1 }
        ]
      },
      {
        status: 'added',
        moved: false,
        id: 'notes',
        cellType: 'markdown',
        fromIndex: null,
        toIndex: 2,
        source: [{ op: 'added', text: '# Notes', to: 0 }]
      },
      {
        status: 'removed',
        moved: false,
        id: 'print',
        cellType: 'code',
        fromIndex: 2,
        toIndex: null,
        source: [{ op: 'removed', text: 'print(total)', from: 0 }]
      },
      { status: 'unchanged', moved: true, id: 'chart', cellType: 'code', fromIndex: 4, toIndex: 3 }
    ],
    metadata: [{ key: 'kernelspec.display_name', op: 'changed', from: 'Python 3', to: 'R' }],
    summary: { added: 1, removed: 1, modified: 1, moved: 1, unchanged: 2 }
  };
}

function attachedView(): NotebookDiffView {
  const view = new NotebookDiffView({ trans });
  Widget.attach(view, document.body);
  return view;
}

const texts = (root: Element, selector: string): string[] =>
  Array.from(root.querySelectorAll(selector)).map(node => node.textContent ?? '');

afterEach(() => {
  document.body.replaceChildren();
});

describe('NotebookDiffView', () => {
  it('says what to do before a diff is chosen', () => {
    const view = attachedView();
    expect(view.node.textContent).toBe('Choose a version to see what changed.');
  });

  it('names every change in words a non-programmer reads, with the notebook settings in sentences', () => {
    const view = attachedView();
    view.setDiff(payrollDiff(), 'version 1', 'version 2');

    expect(view.node.querySelector('h3')?.textContent).toBe('Changes from version 1 to version 2');
    expect(view.node.getAttribute('aria-label')).toBe('Changes from version 1 to version 2');
    expect(view.node.querySelector('.jp-NotebookGallery-diffSummary')?.textContent).toBe(
      '1 cell changed, 1 new cell, 1 removed cell, 1 cell moved, 1 notebook setting changed'
    );
    expect(texts(view.node, '.jp-NotebookGallery-diffBadge')).toEqual([
      'Cell 1 unchanged',
      'Cell 2 changed',
      'New cell',
      'Removed cell',
      'Cell 4 unchanged',
      'Moved'
    ]);
    expect(texts(view.node, '.jp-NotebookGallery-diffMetadata li')).toEqual(['Kernel changed from “Python 3” to “R”']);
    const labels = Array.from(view.node.querySelectorAll('.jp-NotebookGallery-diffCell')).map(cell =>
      cell.getAttribute('aria-label')
    );
    expect(labels).toEqual([
      'Cell 1 unchanged, Text',
      'Cell 2 changed, Code, 1 line added, 1 line removed',
      'New cell, now cell 3, Text',
      'Removed cell, was cell 3, Code',
      'Cell 4 unchanged, moved from position 5 to 4, Code'
    ]);
  });

  it('folds the unchanged cell away until asked, but keeps a cell that only moved', () => {
    const view = attachedView();
    view.setDiff(payrollDiff(), 'version 1', 'version 2');
    const cells = view.node.querySelectorAll('.jp-NotebookGallery-diffCell');
    expect(cells[0].classList).toContain('jp-mod-unchanged');
    expect(cells[4].classList).toContain('jp-mod-moved');
    const showAll = view.node.querySelector('.jp-NotebookGallery-diffShowAll') as HTMLLabelElement;
    expect(showAll.textContent).toBe('Show 1 unchanged cell');
    const checkbox = showAll.querySelector('input') as HTMLInputElement;
    checkbox.click();
    expect(view.node.classList).toContain('jp-mod-showUnchanged');
  });

  it('puts a changed line beside its new version, with the changed characters marked', () => {
    const view = attachedView();
    view.setDiff(payrollDiff(), 'version 1', 'version 2');
    const changed = view.node.querySelectorAll('.jp-NotebookGallery-diffCell')[1];
    const lines = changed.querySelector('.jp-NotebookGallery-diffLines') as HTMLElement;
    expect(lines.classList).toContain('jp-mod-split');
    // Rows of two: the equal line twice, then removed (left) beside added (right).
    const rows = Array.from(lines.children).map(line => [line.className.split(' ')[1], line.textContent]);
    expect(rows).toEqual([
      ['jp-mod-equal', '1import pandas as pd'],
      ['jp-mod-equal', '1import pandas as pd'],
      ['jp-mod-removed', '2−Removed: total = 1200 * 12'],
      ['jp-mod-added', '2+Added: total = 1500 * 12']
    ]);
    expect(texts(lines, 'mark')).toEqual(['2', '5']);
    expect(texts(view.node, '.jp-NotebookGallery-diffColumns span')).toEqual(['version 1', 'version 2']);
  });

  it('switches to one column with its toggle, which reports its state and keeps the focus', () => {
    const view = attachedView();
    view.setDiff(payrollDiff(), 'version 1', 'version 2');
    const [split, unified] = Array.from(
      view.node.querySelectorAll<HTMLButtonElement>('.jp-NotebookGallery-diffToggleButton')
    );
    expect(split.getAttribute('aria-pressed')).toBe('true');
    expect(unified.textContent).toBe('One column');
    unified.click();

    expect(view.layoutMode).toBe('unified');
    const pressed = view.node.querySelector('.jp-NotebookGallery-diffToggleButton[aria-pressed="true"]');
    expect(pressed?.textContent).toBe('One column');
    expect(document.activeElement).toBe(pressed);
    const lines = view.node
      .querySelectorAll('.jp-NotebookGallery-diffCell')[1]
      .querySelectorAll('.jp-NotebookGallery-diffLine');
    expect(Array.from(lines).map(line => line.querySelector('.jp-NotebookGallery-diffLineText')?.textContent)).toEqual([
      'import pandas as pd',
      '−Removed: total = 1200 * 12',
      '+Added: total = 1500 * 12'
    ]);
  });

  it('moves the keyboard from change to change and skips the unchanged cell', () => {
    const view = attachedView();
    view.setDiff(payrollDiff(), 'version 1', 'version 2');
    const next = Array.from(view.node.querySelectorAll('button')).find(b => b.textContent === 'Next change')!;
    next.click();
    expect((document.activeElement as HTMLElement).getAttribute('aria-label')).toMatch(/^Cell 2 changed/);
    next.click();
    expect((document.activeElement as HTMLElement).getAttribute('aria-label')).toMatch(/^New cell/);
    const previous = Array.from(view.node.querySelectorAll('button')).find(b => b.textContent === 'Previous change')!;
    previous.click();
    expect((document.activeElement as HTMLElement).getAttribute('aria-label')).toMatch(/^Cell 2 changed/);
  });

  it('folds long unchanged stretches inside a cell behind a button that unfolds them', () => {
    const source: IDiffLine[] = [];
    for (let i = 0; i < 20; i++) {
      source.push({ op: 'equal', text: `x${i} = ${i}`, from: i, to: i });
    }
    source.push({ op: 'added', text: 'y = 1', to: 20 });
    const view = attachedView();
    view.setDiff(
      {
        cells: [{ status: 'modified', moved: false, id: 'a', cellType: 'code', fromIndex: 0, toIndex: 0, source }],
        metadata: [],
        summary: { added: 0, removed: 0, modified: 1, moved: 0, unchanged: 0 }
      },
      'version 1',
      'version 2'
    );
    view.layoutMode = 'unified';
    const fold = view.node.querySelector('.jp-NotebookGallery-diffFold') as HTMLButtonElement;
    expect(fold.textContent).toBe('Show 17 unchanged lines');
    expect(view.node.querySelectorAll('.jp-NotebookGallery-diffLine')).toHaveLength(4);
    fold.click();
    expect(view.node.querySelectorAll('.jp-NotebookGallery-diffLine')).toHaveLength(21);
    expect(view.node.querySelector('.jp-NotebookGallery-diffFold')).toBeNull();
  });

  it('says so when two versions are the same', () => {
    const view = attachedView();
    view.setDiff(
      { cells: [], metadata: [], summary: { added: 0, removed: 0, modified: 0, moved: 0, unchanged: 0 } },
      'version 3',
      'your copy'
    );
    expect(view.node.querySelector('.jp-NotebookGallery-diffSummary')?.textContent).toBe(
      'No differences: both versions have the same cells and settings.'
    );
  });
});

describe('diff layout', () => {
  it('names a kernel and a language by what people call them, not their JSON', () => {
    expect(
      metadataSentence(trans, {
        key: 'kernelspec',
        op: 'added',
        to: { display_name: 'Python 3 (ipykernel)', language: 'python', name: 'python3' }
      })
    ).toBe('Kernel added: “Python 3 (ipykernel)”');
    expect(
      metadataSentence(trans, { key: 'language_info', op: 'removed', from: { name: 'python', version: '3.12.1' } })
    ).toBe('Language removed (was “python 3.12.1”)');
    expect(metadataSentence(trans, { key: 'tags', op: 'changed', from: ['a'], to: ['a', 'b'] })).toBe(
      'Tags changed from ["a"] to ["a","b"]'
    );
  });

  it('pairs a run of removed lines with the added run that replaced it', () => {
    const rows = splitRows([
      { op: 'removed', text: 'a', from: 0 },
      { op: 'removed', text: 'b', from: 1 },
      { op: 'added', text: 'A', to: 0 },
      { op: 'equal', text: 'c', from: 2, to: 1 },
      { op: 'added', text: 'd', to: 2 }
    ]);
    expect(rows.map(row => [row.left?.text ?? null, row.right?.text ?? null])).toEqual([
      ['a', 'A'],
      ['b', null],
      ['c', 'c'],
      [null, 'd']
    ]);
  });

  it('keeps three lines of context around a change and folds the rest', () => {
    const rows = [...Array(10).fill('='), '+', ...Array(10).fill('=')];
    const blocks = foldUnchanged(rows, row => row === '=');
    expect(blocks.map(block => [block.kind, block.rows.length])).toEqual([
      ['folded', 7],
      ['lines', 7],
      ['folded', 7]
    ]);
  });
});

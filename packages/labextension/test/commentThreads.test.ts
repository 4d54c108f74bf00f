import type { Cell } from '@jupyterlab/cells';
import { PanelLayout, Widget } from '@lumino/widgets';
import { CommandRegistry } from '@lumino/commands';
import { commentCounts, groupThreads } from '../src/services/commentThreads';
import { CommentMarker, updateMarkers } from '../src/widgets/cellCommentMarkers';
import { REVISION, thread } from './commentFixtures';
import { trans } from './helpers';

describe('groupThreads', () => {
  it('puts notebook threads first, then cells in the copy’s order, then the outdated ones', () => {
    const list = {
      revision: REVISION,
      threads: [
        thread('t1', 'cell-c', 'current'),
        thread('t2', null, 'notebook'),
        thread('t3', 'cell-a', 'changed', 1),
        thread('t4', 'cell-gone-locally', 'current'),
        thread('t5', 'cell-c', 'changed')
      ],
      outdated: [thread('t6', 'cell-deleted', 'outdated')]
    };

    const grouped = groupThreads(list, ['cell-a', 'cell-b', 'cell-c']);

    expect(grouped.notebook.map(t => t.comment.id)).toEqual(['t2']);
    expect(grouped.cells.map(cell => [cell.cellId, cell.cellNumber, cell.threads.map(t => t.comment.id)])).toEqual([
      ['cell-a', 1, ['t3']],
      ['cell-c', 3, ['t1', 't5']],
      // The gallery has the cell but the local copy does not: listed last, without a number.
      ['cell-gone-locally', null, ['t4']]
    ]);
    expect(grouped.cells[0].threads[0].state).toBe('changed');
    expect(grouped.outdated.map(t => [t.comment.id, t.state, t.earlier?.source])).toEqual([
      ['t6', 'outdated', 'old t6']
    ]);
  });

  it('has nothing to group when there are no comments', () => {
    expect(groupThreads({ revision: REVISION, threads: [], outdated: [] }, ['a'])).toEqual({
      notebook: [],
      cells: [],
      outdated: []
    });
  });
});

describe('comment markers', () => {
  it('counts each cell’s comments with their replies; notebook and outdated threads mark no cell', () => {
    const counts = commentCounts({
      revision: REVISION,
      threads: [
        thread('t1', 'cell-a', 'current', 1),
        thread('t2', 'cell-a', 'changed'),
        thread('t3', null, 'notebook', 2),
        thread('t4', 'cell-b', 'current')
      ],
      outdated: [thread('t5', 'cell-c', 'outdated')]
    });
    expect([...counts.entries()]).toEqual([
      ['cell-a', 3],
      ['cell-b', 1]
    ]);
  });

  /** A cell widget as far as the markers use it: its model's id, its layout and its input (then a footer). */
  function fakeCell(id: string): Cell {
    const widget = new Widget();
    const layout = new PanelLayout();
    widget.layout = layout;
    const inputWrapper = new Widget();
    const inputArea = new Widget();
    inputArea.parent = inputWrapper;
    layout.addWidget(inputWrapper);
    layout.addWidget(new Widget());
    return Object.assign(widget, { model: { id }, inputArea }) as unknown as Cell;
  }

  it('puts a labelled marker on commented cells, follows the counts and takes it off at zero', async () => {
    const commands = new CommandRegistry();
    const opened: unknown[] = [];
    commands.addCommand('gallery:comments', { execute: args => void opened.push(args) });
    const cells = [fakeCell('cell-a'), fakeCell('cell-b')];
    const markers = new WeakMap<Cell, CommentMarker>();
    const create = (cellId: string) => new CommentMarker(cellId, commands, trans);
    const markerOf = (cell: Cell) =>
      (cell.layout as PanelLayout).widgets.find(widget => widget instanceof CommentMarker) as CommentMarker | undefined;

    updateMarkers(cells, new Map([['cell-b', 2]]), markers, create);
    expect(markerOf(cells[0])).toBeUndefined();
    const marker = markerOf(cells[1])!;
    // Right under the input, before the footer.
    expect((cells[1].layout as PanelLayout).widgets.indexOf(marker)).toBe(1);
    const button = marker.node.querySelector('button')!;
    expect(button.textContent).toBe('2 comments');
    expect(button.title).toBe('2 comments on this cell: show them');

    button.click();
    await Promise.resolve();
    expect(opened).toEqual([{ cellId: 'cell-b' }]);

    updateMarkers(cells, new Map([['cell-b', 1]]), markers, create);
    expect(markerOf(cells[1])).toBe(marker);
    expect(button.textContent).toBe('1 comment');

    updateMarkers(cells, new Map(), markers, create);
    expect(markerOf(cells[1])).toBeUndefined();
    expect(marker.isDisposed).toBe(true);
  });
});

import type { ICell, INotebook } from '../nbformat';
import type { ICellDiff, INotebookDiff } from '../schemas/revisions';
import { stripNotebook } from '../strip';
import { matchCells } from './cellMatching';
import { diffSources } from './lineDiff';
import { diffMetadata } from './metadataDiff';
import { checkNotebookArgument } from './notebookArgument';
import { sourceLines, sourceText } from './sourceLines';

/**
 * Compare two versions of a notebook cell by cell. Both are stripped first, so outputs, execution counts and the
 * volatile metadata stripping removes (widget state, `collapsed`, timings, gallery provenance) never appear: the
 * gallery stores none of them. Cells are paired as {@link matchCells} says (by id, else by content). The cells come
 * in the order of `to`, each removed cell where it stood; `summary.moved` counts moved cells whatever their status.
 * @throws {NotebookFormatError} when either argument is not a notebook, naming which one and where.
 */
export function diffNotebooks(from: INotebook, to: INotebook): INotebookDiff {
  checkNotebookArgument(from, 'older');
  checkNotebookArgument(to, 'newer');
  const strippedFrom = stripNotebook(from);
  const strippedTo = stripNotebook(to);
  const older = strippedFrom.cells;
  const newer = strippedTo.cells;
  const matching = matchCells(older, newer);
  const cells: ICellDiff[] = [];
  let nextRemoved = 0;
  const removedUntil = (end: number): void => {
    for (; nextRemoved < end; nextRemoved++) {
      if (matching.toIndex[nextRemoved] === -1) {
        cells.push(Private.removed(older[nextRemoved], nextRemoved));
      }
    }
  };
  newer.forEach((cell, j) => {
    const i = matching.fromIndex[j];
    if (i === -1) {
      cells.push(Private.added(cell, j));
      return;
    }
    if (!matching.moved[i]) {
      removedUntil(i);
    }
    cells.push(Private.compare(older[i], i, cell, j, matching.moved[i]));
  });
  removedUntil(older.length);
  const summary = { added: 0, removed: 0, modified: 0, moved: 0, unchanged: 0 };
  for (const cell of cells) {
    summary[cell.status]++;
    summary.moved += cell.moved ? 1 : 0;
  }
  return { cells, metadata: diffMetadata(strippedFrom.metadata, strippedTo.metadata), summary };
}

namespace Private {
  function id(cell: ICell): string | null {
    return typeof cell.id === 'string' ? cell.id : null;
  }

  export function added(cell: ICell, index: number): ICellDiff {
    return {
      status: 'added',
      moved: false,
      id: id(cell),
      cellType: cell.cell_type,
      fromIndex: null,
      toIndex: index,
      source: sourceLines(cell.source).map((text, line) => ({ op: 'added', text, to: line }))
    };
  }

  export function removed(cell: ICell, index: number): ICellDiff {
    return {
      status: 'removed',
      moved: false,
      id: id(cell),
      cellType: cell.cell_type,
      fromIndex: index,
      toIndex: null,
      source: sourceLines(cell.source).map((text, line) => ({ op: 'removed', text, from: line }))
    };
  }

  export function compare(older: ICell, fromIndex: number, newer: ICell, toIndex: number, moved: boolean): ICellDiff {
    const diff: ICellDiff = {
      status: 'unchanged',
      moved,
      id: id(newer) ?? id(older),
      cellType: newer.cell_type,
      fromIndex,
      toIndex
    };
    if (older.cell_type !== newer.cell_type) {
      diff.status = 'modified';
      diff.previousCellType = older.cell_type;
    }
    if (sourceText(older.source) !== sourceText(newer.source)) {
      diff.status = 'modified';
      diff.source = diffSources(older.source, newer.source);
    }
    const metadata = diffMetadata(older.metadata, newer.metadata);
    if (metadata.length > 0) {
      diff.status = 'modified';
      diff.metadata = metadata;
    }
    return diff;
  }
}

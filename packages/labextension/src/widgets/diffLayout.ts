import type { ICellDiff, IDiffLine, IMetadataChange, INotebookDiff } from '@notebook-gallery/core';
import type { TranslationBundle } from '@jupyterlab/translation';

/**
 * The words and row layout of a notebook diff, kept apart from the DOM so the diff view, the history panel and
 * the change-request review say the same things, and tests can read them without rendering.
 */

/** One row of a side-by-side view: the older line on the left, the newer on the right; null leaves a gap. */
export interface ISplitRow {
  left: IDiffLine | null;
  right: IDiffLine | null;
}

/** A run of lines in a view: shown, or equal lines folded away behind a "show" button. */
export type LineBlock<T> = { kind: 'lines'; rows: T[] } | { kind: 'folded'; rows: T[] };

/**
 * Pair the lines for a side-by-side view: equal lines face each other, and a run of removed lines faces the run
 * of added lines that replaces it, row by row, so a changed line sits beside its new version.
 */
export function splitRows(lines: readonly IDiffLine[]): ISplitRow[] {
  const rows: ISplitRow[] = [];
  let removed: IDiffLine[] = [];
  let added: IDiffLine[] = [];
  const flush = (): void => {
    for (let i = 0; i < Math.max(removed.length, added.length); i++) {
      rows.push({ left: removed[i] ?? null, right: added[i] ?? null });
    }
    removed = [];
    added = [];
  };
  for (const line of lines) {
    if (line.op === 'removed') {
      if (added.length > 0) {
        flush();
      }
      removed.push(line);
    } else if (line.op === 'added') {
      added.push(line);
    } else {
      flush();
      rows.push({ left: line, right: line });
    }
  }
  flush();
  return rows;
}

/**
 * Fold runs of unchanged rows longer than twice `context`, keeping `context` rows next to each change, so a long
 * cell with one changed line shows that line and not pages of sameness.
 */
export function foldUnchanged<T>(rows: readonly T[], isEqual: (row: T) => boolean, context = 3): LineBlock<T>[] {
  const blocks: LineBlock<T>[] = [];
  let shown: T[] = [];
  let i = 0;
  while (i < rows.length) {
    if (!isEqual(rows[i])) {
      shown.push(rows[i++]);
      continue;
    }
    let end = i;
    while (end < rows.length && isEqual(rows[end])) {
      end++;
    }
    const keepBefore = i === 0 ? 0 : context;
    const keepAfter = end === rows.length ? 0 : context;
    if (end - i > keepBefore + keepAfter + 1) {
      shown.push(...rows.slice(i, i + keepBefore));
      if (shown.length > 0) {
        blocks.push({ kind: 'lines', rows: shown });
      }
      blocks.push({ kind: 'folded', rows: rows.slice(i + keepBefore, end - keepAfter) });
      shown = rows.slice(end - keepAfter, end);
    } else {
      shown.push(...rows.slice(i, end));
    }
    i = end;
  }
  if (shown.length > 0) {
    blocks.push({ kind: 'lines', rows: shown });
  }
  return blocks;
}

/**
 * The part of `text` that differs from `other`: everything between their common start and common end, as
 * `[start, end)` offsets into `text`, so a view can mark the changed words inside a changed line.
 */
export function changedSpan(text: string, other: string): [number, number] {
  let start = 0;
  while (start < text.length && start < other.length && text[start] === other[start]) {
    start++;
  }
  let end = 0;
  while (
    end < text.length - start &&
    end < other.length - start &&
    text[text.length - 1 - end] === other[other.length - 1 - end]
  ) {
    end++;
  }
  return [start, text.length - end];
}

/** "3 cells changed, 1 new cell, 1 removed cell, 1 moved", or a sentence saying nothing changed. */
export function summaryText(trans: TranslationBundle, diff: INotebookDiff): string {
  const { added, removed, modified, moved } = diff.summary;
  const parts: string[] = [];
  if (modified > 0) {
    parts.push(trans._n('%1 cell changed', '%1 cells changed', modified));
  }
  if (added > 0) {
    parts.push(trans._n('%1 new cell', '%1 new cells', added));
  }
  if (removed > 0) {
    parts.push(trans._n('%1 removed cell', '%1 removed cells', removed));
  }
  if (moved > 0) {
    parts.push(trans._n('%1 cell moved', '%1 cells moved', moved));
  }
  if (diff.metadata.length > 0) {
    parts.push(trans._n('%1 notebook setting changed', '%1 notebook settings changed', diff.metadata.length));
  }
  if (parts.length === 0) {
    return trans.__('No differences: both versions have the same cells and settings.');
  }
  return parts.join(', ');
}

/** The cell's number a reader would count to: in the newer version, or where it stood in the older one. */
export function cellNumber(cell: ICellDiff): number {
  return (cell.toIndex ?? cell.fromIndex ?? 0) + 1;
}

/** The badge of a cell, in words: "Cell 3 changed", "New cell", "Removed cell", "Cell 2 unchanged". */
export function cellBadge(trans: TranslationBundle, cell: ICellDiff): string {
  const number = cellNumber(cell);
  switch (cell.status) {
    case 'added':
      return trans.__('New cell');
    case 'removed':
      return trans.__('Removed cell');
    case 'modified':
      return trans.__('Cell %1 changed', number);
    default:
      return trans.__('Cell %1 unchanged', number);
  }
}

/** Where a cell is or was, for the badges that do not say it: "now cell 4", "was cell 2", "moved from 2 to 5". */
export function cellPlace(trans: TranslationBundle, cell: ICellDiff): string {
  const from = cell.fromIndex === null ? null : cell.fromIndex + 1;
  const to = cell.toIndex === null ? null : cell.toIndex + 1;
  if (cell.status === 'added') {
    return trans.__('now cell %1', to ?? '?');
  }
  if (cell.status === 'removed') {
    return trans.__('was cell %1', from ?? '?');
  }
  if (cell.moved && from !== null && to !== null) {
    return trans.__('moved from position %1 to %2', from, to);
  }
  return '';
}

/** The kind of cell, named for readers who do not write code. */
export function cellTypeName(trans: TranslationBundle, type: ICellDiff['cellType']): string {
  switch (type) {
    case 'code':
      return trans.__('Code');
    case 'markdown':
      return trans.__('Text');
    default:
      return trans.__('Raw');
  }
}

/** How many lines a cell's source gained and lost. */
export function lineCounts(cell: ICellDiff): { added: number; removed: number } {
  let added = 0;
  let removed = 0;
  for (const line of cell.source ?? []) {
    if (line.op === 'added') {
      added++;
    } else if (line.op === 'removed') {
      removed++;
    }
  }
  return { added, removed };
}

/** The full spoken description of a cell: badge, place, type change, and how many lines changed. */
export function cellDescription(trans: TranslationBundle, cell: ICellDiff): string {
  const parts = [cellBadge(trans, cell)];
  const place = cellPlace(trans, cell);
  if (place) {
    parts.push(place);
  }
  parts.push(cellTypeName(trans, cell.cellType));
  if (cell.previousCellType && cell.previousCellType !== cell.cellType) {
    parts.push(trans.__('was %1', cellTypeName(trans, cell.previousCellType).toLowerCase()));
  }
  const { added, removed } = lineCounts(cell);
  if (cell.status === 'modified' && (added > 0 || removed > 0)) {
    parts.push(
      [
        added > 0 ? trans._n('%1 line added', '%1 lines added', added) : '',
        removed > 0 ? trans._n('%1 line removed', '%1 lines removed', removed) : ''
      ]
        .filter(Boolean)
        .join(', ')
    );
  }
  if (cell.metadata && cell.metadata.length > 0) {
    parts.push(trans._n('%1 cell setting changed', '%1 cell settings changed', cell.metadata.length));
  }
  return parts.join(', ');
}

/** A metadata change in a sentence: "Kernel changed from “Python 3” to “R”", "Tags added: [“intro”]". */
export function metadataSentence(trans: TranslationBundle, change: IMetadataChange): string {
  const name = Private.keyName(trans, change.key);
  switch (change.op) {
    case 'added':
      return trans.__('%1 added: %2', name, Private.value(change.to));
    case 'removed':
      return trans.__('%1 removed (was %2)', name, Private.value(change.from));
    default:
      return trans.__('%1 changed from %2 to %3', name, Private.value(change.from), Private.value(change.to));
  }
}

namespace Private {
  /** Readable names of the metadata keys people meet; others are shown as their dotted path. */
  export function keyName(trans: TranslationBundle, key: string): string {
    switch (key) {
      case 'kernelspec':
      case 'kernelspec.display_name':
        return trans.__('Kernel');
      case 'kernelspec.name':
        return trans.__('Kernel name');
      case 'kernelspec.language':
      case 'language_info':
      case 'language_info.name':
        return trans.__('Language');
      case 'language_info.version':
        return trans.__('Language version');
      case 'tags':
        return trans.__('Tags');
      case 'title':
        return trans.__('Title');
      case 'authors':
        return trans.__('Authors');
      default:
        return `“${key}”`;
    }
  }

  /**
   * A metadata value in quotes when text; an object by the name people know it by (a kernel's display name, a
   * language's name and version); compact JSON otherwise; never longer than a line.
   */
  export function value(value: unknown): string {
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
      const record = value as Record<string, unknown>;
      if (typeof record.display_name === 'string') {
        return `“${record.display_name}”`;
      }
      if (typeof record.name === 'string') {
        return typeof record.version === 'string' ? `“${record.name} ${record.version}”` : `“${record.name}”`;
      }
    }
    const text = typeof value === 'string' ? `“${value}”` : (JSON.stringify(value) ?? 'nothing');
    return text.length > 80 ? `${text.slice(0, 79)}…` : text;
  }
}

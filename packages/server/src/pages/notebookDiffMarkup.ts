import type { ICellDiff, IDiffLine, IMetadataChange, INotebookDiff } from '@notebook-gallery/core';
import type { Element, ElementContent, IRenderLibraries } from './render/renderLibraries';

/** Runs of unchanged lines longer than this are folded into a `<details>` that the reader can open. */
const CONTEXT_LINES = 3;

/**
 * Core's notebook diff as hast, in the words of the JupyterLab diff view: each changed cell under a heading that says
 * in words what happened to it ("Cell 3 changed", "New cell", "Removed cell"), its lines with a visible + or − and a
 * spoken "Added:" or "Removed:" (colour is never the only sign), runs of unchanged lines and unchanged cells folded
 * into `<details>`, which open without JavaScript.
 */
export function notebookDiffMarkup(h: IRenderLibraries['h'], diff: INotebookDiff): ElementContent[] {
  const parts: ElementContent[] = [h('p.diff-summary', summaryText(diff))];
  if (diff.metadata.length > 0) {
    parts.push(
      h('section.diff-metadata', { ariaLabelledby: 'diff-settings' }, [
        h('h3#diff-settings', 'Notebook settings'),
        metadataList(h, diff.metadata)
      ])
    );
  }
  if (diff.cells.some(cell => cell.source?.some(line => line.op !== 'equal'))) {
    parts.push(
      h('p.diff-legend', [
        'Lines marked ',
        h('span.diff-sign.is-added', '+'),
        ' were added, lines marked ',
        h('span.diff-sign.is-removed', '−'),
        ' were removed.'
      ])
    );
  }
  let quiet: ICellDiff[] = [];
  const flush = (): void => {
    if (quiet.length > 0) {
      parts.push(quietCells(h, quiet));
      quiet = [];
    }
  };
  for (const cell of diff.cells) {
    if (isQuiet(cell)) {
      quiet.push(cell);
    } else {
      flush();
      parts.push(changedCell(h, cell));
    }
  }
  flush();
  return parts;
}

/** "3 cells changed, 1 new cell, 1 removed cell, 1 cell moved", or a sentence saying nothing changed. */
export function summaryText(diff: INotebookDiff): string {
  const { added, removed, modified, moved } = diff.summary;
  const parts: string[] = [];
  const count = (n: number, one: string, many: string) => (n === 1 ? one : `${n} ${many}`);
  if (modified > 0) {
    parts.push(count(modified, '1 cell changed', 'cells changed'));
  }
  if (added > 0) {
    parts.push(count(added, '1 new cell', 'new cells'));
  }
  if (removed > 0) {
    parts.push(count(removed, '1 removed cell', 'removed cells'));
  }
  if (moved > 0) {
    parts.push(count(moved, '1 cell moved', 'cells moved'));
  }
  if (diff.metadata.length > 0) {
    parts.push(count(diff.metadata.length, '1 notebook setting changed', 'notebook settings changed'));
  }
  return parts.length === 0 ? 'No differences: both versions have the same cells and settings.' : parts.join(', ');
}

/** A cell with nothing to read: same text, place, type and settings. */
function isQuiet(cell: ICellDiff): boolean {
  return cell.status === 'unchanged' && !cell.moved && !(cell.metadata && cell.metadata.length > 0);
}

/** A run of unchanged cells in one line: "Cell 4 unchanged", "Cells 4 to 9 unchanged". */
function quietCells(h: IRenderLibraries['h'], cells: ICellDiff[]): Element {
  const first = cellNumber(cells[0]);
  const last = cellNumber(cells[cells.length - 1]);
  return h('p.diff-quiet', first === last ? `Cell ${first} unchanged` : `Cells ${first} to ${last} unchanged`);
}

function changedCell(h: IRenderLibraries['h'], cell: ICellDiff): Element {
  const kind = cell.status === 'unchanged' ? 'moved' : cell.status;
  const place = cellPlace(cell);
  const type =
    cell.previousCellType && cell.previousCellType !== cell.cellType
      ? `${cellTypeName(cell.cellType)} (was ${cellTypeName(cell.previousCellType).toLowerCase()})`
      : cellTypeName(cell.cellType);
  const heading: Array<ElementContent | string> = [h(`span.diff-badge.is-${cell.status}`, cellBadge(cell))];
  if (cell.moved) {
    heading.push(' ', h('span.diff-badge.is-moved', 'Moved'));
  }
  heading.push(' ', h('span.diff-cellMeta', place ? `${type} · ${place}` : type));
  const body: ElementContent[] = [h('h3.diff-cellHeader', heading)];
  if (cell.metadata && cell.metadata.length > 0) {
    body.push(metadataList(h, cell.metadata));
  }
  if (cell.source && cell.source.length > 0) {
    body.push(lines(h, cell.source));
  } else if (cell.status === 'unchanged' || cell.status === 'modified') {
    body.push(h('p.diff-note', 'The text of this cell did not change.'));
  } else {
    body.push(h('p.diff-note', 'This cell is empty.'));
  }
  return h(`section.diff-cell.is-${kind}`, body);
}

/** The cell's lines, runs of more than twice CONTEXT_LINES unchanged lines folded away. */
function lines(h: IRenderLibraries['h'], source: IDiffLine[]): Element {
  const rows: ElementContent[] = [];
  let i = 0;
  while (i < source.length) {
    if (source[i].op !== 'equal') {
      rows.push(line(h, source[i++]));
      continue;
    }
    let end = i;
    while (end < source.length && source[end].op === 'equal') {
      end++;
    }
    const keepBefore = i === 0 ? 0 : CONTEXT_LINES;
    const keepAfter = end === source.length ? 0 : CONTEXT_LINES;
    if (end - i > keepBefore + keepAfter + 1) {
      rows.push(...source.slice(i, i + keepBefore).map(row => line(h, row)));
      const folded = source.slice(i + keepBefore, end - keepAfter);
      rows.push(
        h('details.diff-fold', [
          h('summary', folded.length === 1 ? '1 unchanged line' : `${folded.length} unchanged lines`),
          ...folded.map(row => line(h, row))
        ])
      );
      rows.push(...source.slice(end - keepAfter, end).map(row => line(h, row)));
    } else {
      rows.push(...source.slice(i, end).map(row => line(h, row)));
    }
    i = end;
  }
  return h('div.diff-lines', rows);
}

/** One line: its numbers before and after (hidden from screen readers), a sign and a spoken word, its text. */
function line(h: IRenderLibraries['h'], row: IDiffLine): Element {
  const number = (n: number | undefined) =>
    h('span.diff-lineNumber', { ariaHidden: 'true' }, n === undefined ? '' : String(n + 1));
  const marker: ElementContent[] =
    row.op === 'equal'
      ? [h('span.diff-sign', { ariaHidden: 'true' }, ' ')]
      : [
          h(`span.diff-sign.is-${row.op}`, { ariaHidden: 'true' }, row.op === 'added' ? '+' : '−'),
          h('span.visually-hidden', row.op === 'added' ? 'Added: ' : 'Removed: ')
        ];
  return h(`div.diff-line.is-${row.op}`, [
    number(row.from),
    number(row.to),
    h('code.diff-lineText', [...marker, row.text])
  ]);
}

function metadataList(h: IRenderLibraries['h'], changes: IMetadataChange[]): Element {
  return h(
    'ul.diff-metadataList',
    changes.map(change => h(`li.is-${change.op}`, metadataSentence(change)))
  );
}

/** The cell's number a reader would count to: in the newer version, or where it stood in the older one. */
function cellNumber(cell: ICellDiff): number {
  return (cell.toIndex ?? cell.fromIndex ?? 0) + 1;
}

/** The badge of a cell, in words. */
function cellBadge(cell: ICellDiff): string {
  switch (cell.status) {
    case 'added':
      return 'New cell';
    case 'removed':
      return 'Removed cell';
    case 'modified':
      return `Cell ${cellNumber(cell)} changed`;
    default:
      return `Cell ${cellNumber(cell)} unchanged`;
  }
}

/** Where a cell is or was, for the badges that do not say it. */
function cellPlace(cell: ICellDiff): string {
  const from = cell.fromIndex === null ? '?' : cell.fromIndex + 1;
  const to = cell.toIndex === null ? '?' : cell.toIndex + 1;
  if (cell.status === 'added') {
    return `now cell ${to}`;
  }
  if (cell.status === 'removed') {
    return `was cell ${from}`;
  }
  return cell.moved ? `moved from position ${from} to ${to}` : '';
}

/** The kind of cell, named for readers who do not write code. */
function cellTypeName(type: ICellDiff['cellType']): string {
  return type === 'code' ? 'Code' : type === 'markdown' ? 'Text' : 'Raw';
}

/** A metadata change in a sentence: "Kernel changed from “Python 3” to “R”". */
function metadataSentence(change: IMetadataChange): string {
  const name = KEY_NAMES[change.key] ?? `“${change.key}”`;
  switch (change.op) {
    case 'added':
      return `${name} added: ${metadataValue(change.to)}`;
    case 'removed':
      return `${name} removed (was ${metadataValue(change.from)})`;
    default:
      return `${name} changed from ${metadataValue(change.from)} to ${metadataValue(change.to)}`;
  }
}

/** Readable names of the metadata keys people meet; others are shown as their dotted path. */
const KEY_NAMES: Record<string, string> = {
  kernelspec: 'Kernel',
  'kernelspec.display_name': 'Kernel',
  'kernelspec.name': 'Kernel name',
  'kernelspec.language': 'Language',
  language_info: 'Language',
  'language_info.name': 'Language',
  'language_info.version': 'Language version',
  tags: 'Tags',
  title: 'Title',
  authors: 'Authors'
};

/** A metadata value in quotes when text, an object by its display name, compact JSON otherwise; one line at most. */
function metadataValue(value: unknown): string {
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

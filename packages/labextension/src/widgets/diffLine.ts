/**
 * One line of a diff in the DOM, its number and its changed words marked: shared by the diff view and the
 * conflict dialog, so both mark changes the same way.
 */

import type { IDiffLine } from '@notebook-gallery/core';
import type { TranslationBundle } from '@jupyterlab/translation';
import { changedSpan, splitRows } from './diffLayout';
import { element } from './dom';

/** A line number, hidden from screen readers (the line's text says what changed). */
export function lineNumber(index: number | undefined): HTMLElement {
  const node = element('span', 'jp-NotebookGallery-diffLineNumber', index === undefined ? '' : String(index + 1));
  node.setAttribute('aria-hidden', 'true');
  return node;
}

/**
 * The line's text with its changed words marked when `other` (the line it replaced or that replaced it) is
 * known, after a prefix a screen reader speaks, since colour alone says nothing to it.
 */
export function lineText(trans: TranslationBundle, line: IDiffLine, other: string | undefined): HTMLElement {
  const code = element('span', 'jp-NotebookGallery-diffLineText');
  if (line.op !== 'equal') {
    const sign = element('span', 'jp-NotebookGallery-diffSign', line.op === 'added' ? '+' : '−');
    sign.setAttribute('aria-hidden', 'true');
    const spoken = element(
      'span',
      'jp-NotebookGallery-visuallyHidden',
      line.op === 'added' ? trans.__('Added: ') : trans.__('Removed: ')
    );
    code.append(sign, spoken);
  }
  if (other === undefined || line.op === 'equal') {
    code.append(line.text);
    return code;
  }
  const [start, end] = changedSpan(line.text, other);
  code.append(line.text.slice(0, start));
  if (end > start) {
    code.append(element('mark', 'jp-NotebookGallery-diffWords', line.text.slice(start, end)));
  }
  code.append(line.text.slice(end));
  return code;
}

/** In one column, each removed line and the added line that took its place, for marking the changed words. */
export function pairedText(lines: IDiffLine[]): Map<IDiffLine, string> {
  const pairs = new Map<IDiffLine, string>();
  for (const row of splitRows(lines)) {
    if (row.left?.op === 'removed' && row.right?.op === 'added') {
      pairs.set(row.left, row.right.text);
      pairs.set(row.right, row.left.text);
    }
  }
  return pairs;
}

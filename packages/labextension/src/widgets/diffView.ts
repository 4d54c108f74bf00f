import type { ICellDiff, IDiffLine, INotebookDiff } from '@notebook-gallery/core';
import type { TranslationBundle } from '@jupyterlab/translation';
import { Widget } from '@lumino/widgets';
import {
  cellBadge,
  cellDescription,
  cellPlace,
  cellTypeName,
  foldUnchanged,
  metadataSentence,
  splitRows,
  summaryText,
  type LineBlock
} from './diffLayout';
import { lineNumber, lineText, pairedText } from './diffLine';
import { element } from './dom';

/** Side by side (older left, newer right) or one column with removed lines above the added ones. */
export type DiffLayoutMode = 'split' | 'unified';

/**
 * A notebook diff rendered in JupyterLab, for people who do not read patches: each cell with a badge in words
 * ("Cell 3 changed", "New cell", "Moved"), changed lines and the changed words in them highlighted, notebook
 * settings in sentences, unchanged cells folded away. Used by the history panel and the change-request review.
 */
export class NotebookDiffView extends Widget {
  /** Create an empty view; `setDiff` fills it. */
  constructor(options: NotebookDiffView.IOptions) {
    super();
    this._trans = options.trans;
    this._layoutMode = options.layout ?? 'split';
    this.addClass('jp-NotebookGallery-diff');
    this.node.setAttribute('role', 'region');
    this.node.setAttribute('aria-label', this._trans.__('Changes'));
    this._emptyText = options.emptyText ?? this._trans.__('Choose a version to see what changed.');
    this._render();
  }

  /** The diff shown, or null. */
  get diff(): INotebookDiff | null {
    return this._diff;
  }

  /** Side by side or one column; the user switches with the view's own buttons. */
  get layoutMode(): DiffLayoutMode {
    return this._layoutMode;
  }

  set layoutMode(value: DiffLayoutMode) {
    if (value !== this._layoutMode) {
      this._layoutMode = value;
      this._render();
    }
  }

  /**
   * Show `diff` between the versions named `fromLabel` and `toLabel` ("Version 2", "Your copy"); null shows the
   * empty text, or `message` when given (a failure, or what to do next). With a diff, `message` is a note under the
   * heading: what the older side is when the labels alone do not say (a fork's parent).
   */
  setDiff(diff: INotebookDiff | null, fromLabel = '', toLabel = '', message?: string): void {
    this._diff = diff;
    this._fromLabel = fromLabel;
    this._toLabel = toLabel;
    this._message = message ?? null;
    this._render();
  }

  /** Move the keyboard focus to the next (or previous) changed cell; false when there is none. */
  focusChange(direction: 1 | -1): boolean {
    const cells = Array.from(
      this.node.querySelectorAll<HTMLElement>('.jp-NotebookGallery-diffCell:not(.jp-mod-unchanged)')
    );
    if (cells.length === 0) {
      return false;
    }
    const current = cells.findIndex(cell => cell.contains(document.activeElement));
    const next =
      current === -1
        ? direction === 1
          ? 0
          : cells.length - 1
        : Math.min(Math.max(current + direction, 0), cells.length - 1);
    cells[next].focus();
    cells[next].scrollIntoView?.({ block: 'nearest' });
    return true;
  }

  private _render(): void {
    const trans = this._trans;
    const diff = this._diff;
    this.node.replaceChildren();
    if (!diff) {
      const empty = element('p', 'jp-NotebookGallery-diffEmpty', this._message ?? this._emptyText);
      empty.setAttribute('role', 'status');
      this.node.append(empty);
      return;
    }
    const title = trans.__('Changes from %1 to %2', this._fromLabel, this._toLabel);
    this.node.setAttribute('aria-label', title);

    const header = element('div', 'jp-NotebookGallery-diffHeader');
    const heading = element('h3', 'jp-NotebookGallery-diffTitle', title);
    const summary = element('p', 'jp-NotebookGallery-diffSummary', summaryText(trans, diff));
    summary.setAttribute('role', 'status');
    header.append(heading, summary);
    if (this._message) {
      header.append(element('p', 'jp-NotebookGallery-diffNote jp-NotebookGallery-diffBase', this._message));
    }
    header.append(this._controls(diff));
    this.node.append(header);

    if (diff.metadata.length > 0) {
      const section = element('section', 'jp-NotebookGallery-diffMetadata');
      const sectionTitle = element('h4', 'jp-NotebookGallery-diffSubtitle', trans.__('Notebook settings'));
      const list = element('ul', 'jp-NotebookGallery-diffMetadataList');
      for (const change of diff.metadata) {
        list.append(element('li', `jp-mod-${change.op}`, metadataSentence(trans, change)));
      }
      section.append(sectionTitle, list);
      this.node.append(section);
    }

    const cells = element('div', 'jp-NotebookGallery-diffCells');
    if (this._layoutMode === 'split') {
      const columns = element('div', 'jp-NotebookGallery-diffColumns');
      columns.setAttribute('aria-hidden', 'true');
      columns.append(
        element('span', 'jp-NotebookGallery-diffColumn', this._fromLabel),
        element('span', 'jp-NotebookGallery-diffColumn', this._toLabel)
      );
      cells.append(columns);
    }
    for (const cell of diff.cells) {
      cells.append(this._cell(cell));
    }
    this.node.append(cells);
  }

  /** The layout switch, "show unchanged cells" and the previous/next change buttons. */
  private _controls(diff: INotebookDiff): HTMLElement {
    const trans = this._trans;
    const controls = element('div', 'jp-NotebookGallery-diffControls');
    const layout = element('div', 'jp-NotebookGallery-diffToggle');
    layout.setAttribute('role', 'group');
    layout.setAttribute('aria-label', trans.__('Layout'));
    for (const [mode, label] of [
      ['split', trans.__('Side by side')],
      ['unified', trans.__('One column')]
    ] as const) {
      const button = element('button', 'jp-mod-styled jp-NotebookGallery-diffToggleButton', label);
      button.type = 'button';
      button.setAttribute('aria-pressed', String(this._layoutMode === mode));
      button.addEventListener('click', () => {
        this.layoutMode = mode;
        // The rebuilt view drops the old button: keep the keyboard on the switch.
        this.node
          .querySelector<HTMLButtonElement>('.jp-NotebookGallery-diffToggleButton[aria-pressed="true"]')
          ?.focus();
      });
      layout.append(button);
    }
    controls.append(layout);

    const unchanged = diff.cells.filter(cell => Private.isQuiet(cell)).length;
    if (unchanged > 0) {
      const label = element('label', 'jp-NotebookGallery-diffShowAll');
      const checkbox = element('input', '');
      checkbox.type = 'checkbox';
      checkbox.checked = this._showUnchanged;
      checkbox.addEventListener('change', () => {
        this._showUnchanged = checkbox.checked;
        this.toggleClass('jp-mod-showUnchanged', this._showUnchanged);
      });
      this.toggleClass('jp-mod-showUnchanged', this._showUnchanged);
      label.append(checkbox, trans._n('Show %1 unchanged cell', 'Show %1 unchanged cells', unchanged));
      controls.append(label);
    }

    const changes = diff.cells.length - unchanged;
    if (changes > 1) {
      for (const [direction, text] of [
        [-1, trans.__('Previous change')],
        [1, trans.__('Next change')]
      ] as const) {
        const button = element('button', 'jp-mod-styled jp-NotebookGallery-diffNavButton', text);
        button.type = 'button';
        button.addEventListener('click', () => this.focusChange(direction));
        controls.append(button);
      }
    }
    return controls;
  }

  private _cell(cell: ICellDiff): HTMLElement {
    const trans = this._trans;
    const quiet = Private.isQuiet(cell);
    // A cell that only moved is a change to read, not an unchanged one to fold away.
    const kind = quiet ? 'unchanged' : cell.status === 'unchanged' ? 'moved' : cell.status;
    const node = element('section', `jp-NotebookGallery-diffCell jp-mod-${kind}`);
    node.tabIndex = 0;
    node.setAttribute('aria-label', cellDescription(trans, cell));

    const header = element('div', 'jp-NotebookGallery-diffCellHeader');
    header.append(element('span', `jp-NotebookGallery-diffBadge jp-mod-${cell.status}`, cellBadge(trans, cell)));
    if (cell.moved) {
      header.append(element('span', 'jp-NotebookGallery-diffBadge jp-mod-moved', trans.__('Moved')));
    }
    const place = cellPlace(trans, cell);
    const typeText =
      cell.previousCellType && cell.previousCellType !== cell.cellType
        ? trans.__(
            '%1 (was %2)',
            cellTypeName(trans, cell.cellType),
            cellTypeName(trans, cell.previousCellType).toLowerCase()
          )
        : cellTypeName(trans, cell.cellType);
    header.append(element('span', 'jp-NotebookGallery-diffCellMeta', place ? `${typeText} · ${place}` : typeText));
    node.append(header);

    if (cell.metadata && cell.metadata.length > 0) {
      const list = element('ul', 'jp-NotebookGallery-diffMetadataList');
      for (const change of cell.metadata) {
        list.append(element('li', `jp-mod-${change.op}`, metadataSentence(trans, change)));
      }
      node.append(list);
    }

    if (cell.source && cell.source.length > 0) {
      node.append(this._layoutMode === 'split' ? this._splitLines(cell.source) : this._unifiedLines(cell.source));
    } else if (cell.status === 'unchanged' || cell.status === 'modified') {
      node.append(element('p', 'jp-NotebookGallery-diffNote', trans.__('The text of this cell did not change.')));
    } else {
      node.append(element('p', 'jp-NotebookGallery-diffNote', trans.__('This cell is empty.')));
    }
    return node;
  }

  private _unifiedLines(lines: IDiffLine[]): HTMLElement {
    const container = element('div', 'jp-NotebookGallery-diffLines jp-mod-unified');
    const pairs = pairedText(lines);
    for (const block of foldUnchanged(lines, line => line.op === 'equal')) {
      container.append(
        this._block(block, line => {
          const row = element('div', `jp-NotebookGallery-diffLine jp-mod-${line.op}`);
          row.append(lineNumber(line.from), lineNumber(line.to), lineText(this._trans, line, pairs.get(line)));
          return [row];
        })
      );
    }
    return container;
  }

  private _splitLines(lines: IDiffLine[]): HTMLElement {
    const container = element('div', 'jp-NotebookGallery-diffLines jp-mod-split');
    const rows = splitRows(lines);
    for (const block of foldUnchanged(rows, row => row.left?.op === 'equal')) {
      container.append(
        this._block(block, row => {
          const left = row.left;
          const right = row.right;
          return [
            this._side(left, left?.from, right && left?.op === 'removed' ? right.text : undefined),
            this._side(right, right?.to, left && right?.op === 'added' ? left.text : undefined)
          ];
        })
      );
    }
    return container;
  }

  private _side(line: IDiffLine | null, number: number | undefined, other: string | undefined): HTMLElement {
    if (!line) {
      const gap = element('div', 'jp-NotebookGallery-diffLine jp-mod-gap');
      gap.setAttribute('aria-hidden', 'true');
      return gap;
    }
    const row = element('div', `jp-NotebookGallery-diffLine jp-mod-${line.op}`);
    row.append(lineNumber(number), lineText(this._trans, line, other));
    return row;
  }

  /** A block of rows, or a button that unfolds the unchanged rows it stands for. */
  private _block<T>(block: LineBlock<T>, render: (row: T) => HTMLElement[]): HTMLElement | DocumentFragment {
    const fragment = document.createDocumentFragment();
    if (block.kind === 'lines') {
      for (const row of block.rows) {
        fragment.append(...render(row));
      }
      return fragment;
    }
    const button = element(
      'button',
      'jp-NotebookGallery-diffFold',
      this._trans._n('Show %1 unchanged line', 'Show %1 unchanged lines', block.rows.length)
    );
    button.type = 'button';
    button.addEventListener('click', () => {
      const rows = document.createDocumentFragment();
      for (const row of block.rows) {
        rows.append(...render(row));
      }
      const first = rows.firstElementChild as HTMLElement | null;
      button.replaceWith(rows);
      if (first) {
        first.tabIndex = -1;
        first.focus();
      }
    });
    return button;
  }

  private _trans: TranslationBundle;
  private _layoutMode: DiffLayoutMode;
  private _diff: INotebookDiff | null = null;
  private _fromLabel = '';
  private _toLabel = '';
  private _message: string | null = null;
  private _emptyText: string;
  private _showUnchanged = false;
}

/** Options of the diff view. */
export namespace NotebookDiffView {
  /** Construction options. */
  export interface IOptions {
    trans: TranslationBundle;
    /** Side by side unless set. */
    layout?: DiffLayoutMode;
    /** What the view says before a diff is set. */
    emptyText?: string;
  }
}

namespace Private {
  /** A cell with nothing to read: same text, place, type and settings. */
  export function isQuiet(cell: ICellDiff): boolean {
    return cell.status === 'unchanged' && !cell.moved && !(cell.metadata && cell.metadata.length > 0);
  }
}

import { diffSources, type IMergeConflict, type MergeChoice } from '@notebook-gallery/core';
import { Dialog, showDialog } from '@jupyterlab/apputils';
import type { TranslationBundle } from '@jupyterlab/translation';
import { UUID } from '@lumino/coreutils';
import { Widget } from '@lumino/widgets';
import type { IConflictCell, IConflictContext } from '../services/conflictResolution';
import { lineText, pairedText } from '../widgets/diffLine';
import { element } from '../widgets/dom';

/**
 * Show each conflict with the version before, mine and theirs, and ask which to keep: Mine, Theirs, or (for a
 * cell's source) Both. Each names its cell (number and first line), and a cell's text marks what each side changed
 * from the version before, as the diff view does. Re-asks while a conflict has no choice. Resolves with a choice per conflict id, or null when
 * the user cancels.
 */
export async function askConflictChoices(
  trans: TranslationBundle,
  conflicts: readonly IMergeConflict[],
  context: IConflictContext
): Promise<Record<string, MergeChoice> | null> {
  let choices: Record<string, MergeChoice> = {};
  let problem: string | null = null;
  for (;;) {
    const body = new ConflictBody(trans, conflicts, context, choices, problem);
    const result = await showDialog({
      title: trans.__('Choose what to keep in “%1”', context.title),
      body,
      buttons: [
        Dialog.cancelButton({ label: trans.__('Cancel') }),
        Dialog.okButton({ label: trans.__('Use these choices') })
      ],
      focusNodeSelector: 'input[type="radio"]'
    });
    if (!result.button.accept || result.value === null) {
      return null;
    }
    choices = result.value;
    const missing = conflicts.filter(conflict => !choices[conflict.id]).length;
    if (missing === 0) {
      return choices;
    }
    problem = trans._n(
      'Choose Mine, Theirs or Both for the conflict that has no choice yet.',
      'Choose Mine, Theirs or Both for the %1 conflicts that have no choice yet.',
      missing
    );
  }
}

/** The dialog's body: one group per conflict, the three versions side by side, and the choice. */
export class ConflictBody extends Widget implements Dialog.IBodyWidget<Record<string, MergeChoice>> {
  /** Show `conflicts` with `choices` already picked and `problem` (or nothing) as an alert. */
  constructor(
    trans: TranslationBundle,
    conflicts: readonly IMergeConflict[],
    context: IConflictContext,
    choices: Record<string, MergeChoice>,
    problem: string | null
  ) {
    super();
    this.addClass('jp-NotebookGallery-conflicts');
    this._conflicts = conflicts;
    const intro = element(
      'p',
      'jp-NotebookGallery-hint',
      trans._n(
        'You and %2 changed the same part of this notebook. Choose what to keep; everything else is merged already.',
        'You and %2 changed the same parts of this notebook in %1 places. Choose what to keep in each; everything else is merged already.',
        conflicts.length,
        context.theirs
      )
    );
    this.node.append(intro);
    if (problem) {
      const alert = element('p', 'jp-NotebookGallery-error', problem);
      alert.setAttribute('role', 'alert');
      this.node.append(alert);
    }
    const list = element('div', 'jp-NotebookGallery-conflictList');
    conflicts.forEach((conflict, index) => {
      const group = Private.conflictGroup(
        trans,
        conflict,
        index,
        conflicts.length,
        choices[conflict.id],
        context.cells?.get(conflict.id) ?? null
      );
      this._groups.set(conflict.id, group.name);
      list.append(group.node);
    });
    this.node.append(list);
  }

  getValue(): Record<string, MergeChoice> {
    const choices: Record<string, MergeChoice> = {};
    for (const conflict of this._conflicts) {
      const name = this._groups.get(conflict.id);
      const checked = this.node.querySelector<HTMLInputElement>(`input[name="${name}"]:checked`);
      if (checked) {
        choices[conflict.id] = checked.value as MergeChoice;
      }
    }
    return choices;
  }

  private _conflicts: readonly IMergeConflict[];
  private _groups = new Map<string, string>();
}

namespace Private {
  /** A fieldset for one conflict; its radios share `name`. */
  export function conflictGroup(
    trans: TranslationBundle,
    conflict: IMergeConflict,
    index: number,
    count: number,
    chosen: MergeChoice | undefined,
    cell: IConflictCell | null
  ): { node: HTMLElement; name: string } {
    const name = `jp-NotebookGallery-conflict-${UUID.uuid4()}`;
    const node = element('fieldset', 'jp-NotebookGallery-conflict');
    node.dataset.conflictId = conflict.id;
    node.append(element('legend', 'jp-NotebookGallery-conflictTitle', heading(trans, conflict, index, count, cell)));

    const sides = element('div', 'jp-NotebookGallery-conflictSides');
    const absent =
      conflict.kind === 'deleted'
        ? trans.__('(cell deleted)')
        : conflict.kind === 'attachment'
          ? trans.__('(attachment deleted)')
          : trans.__('(not set)');
    for (const [label, text, modifier] of [
      [trans.__('Before'), conflict.base, 'base'],
      [trans.__('Mine'), conflict.local, 'local'],
      [trans.__('Theirs'), conflict.remote, 'remote']
    ] as const) {
      const figure = element('figure', `jp-NotebookGallery-conflictSide jp-mod-${modifier}`);
      const caption = element('figcaption', 'jp-NotebookGallery-conflictSideTitle', label);
      const marked = modifier !== 'base' && isCellText(conflict) && conflict.base !== null && text !== null;
      if (marked) {
        figure.append(caption, changes(trans, conflict.base as string, text));
      } else {
        const pre = element('pre', 'jp-NotebookGallery-conflictText', text ?? absent);
        if (text === null) {
          pre.classList.add('jp-mod-absent');
        }
        figure.append(caption, pre);
      }
      sides.append(figure);
    }
    node.append(sides);

    const options: Array<[MergeChoice, string]> = [
      ['local', trans.__('Mine')],
      ['remote', trans.__('Theirs')]
    ];
    if (conflict.kind === 'source') {
      options.push(['both', trans.__('Both (mine, then theirs)')]);
    }
    const choice = element('div', 'jp-NotebookGallery-conflictChoice');
    choice.setAttribute('role', 'radiogroup');
    choice.setAttribute('aria-label', trans.__('Keep for conflict %1', index + 1));
    for (const [value, label] of options) {
      const option = element('label', 'jp-NotebookGallery-conflictOption');
      const input = element('input', '');
      input.type = 'radio';
      input.name = name;
      input.value = value;
      input.checked = chosen === value;
      option.append(input, document.createTextNode(` ${label}`));
      choice.append(option);
    }
    node.append(choice);
    return { node, name };
  }

  /** Whether the conflict's values are a cell's text, whose changes are worth marking. */
  function isCellText(conflict: IMergeConflict): boolean {
    return conflict.kind === 'source' || conflict.kind === 'deleted';
  }

  /**
   * A side's text against the version before, one line per row as the diff view's one-column layout shows it:
   * lines it added or removed marked, and the changed characters inside a changed line.
   */
  function changes(trans: TranslationBundle, before: string, text: string): HTMLElement {
    const container = element('div', 'jp-NotebookGallery-conflictText jp-NotebookGallery-diffLines jp-mod-unified');
    const lines = diffSources(before, text);
    const pairs = pairedText(lines);
    for (const line of lines) {
      const row = element('div', `jp-NotebookGallery-diffLine jp-mod-${line.op}`);
      row.append(lineText(trans, line, pairs.get(line)));
      container.append(row);
    }
    return container;
  }

  /**
   * "Conflict 2 of 3: code cell 4 “rate = 0.2” changed on both sides", worded for each kind; the cell by its number
   * in the user's notebook and its first line when known.
   */
  function heading(
    trans: TranslationBundle,
    conflict: IMergeConflict,
    index: number,
    count: number,
    place: IConflictCell | null
  ): string {
    const cell = cellName(trans, conflict.cellType, place);
    const key = conflict.key ?? '';
    let what: string;
    switch (conflict.kind) {
      case 'source':
        what = trans.__('%1 changed on both sides', cell);
        break;
      case 'deleted':
        what =
          conflict.local === null
            ? trans.__('you deleted %1 that they changed', cell)
            : trans.__('they deleted %1 that you changed', cell);
        break;
      case 'cell-type':
        what = trans.__('the type of %1 changed on both sides', cell);
        break;
      case 'attachment':
        what =
          conflict.local === null
            ? trans.__('you deleted the attachment “%1” of %2 that they changed', key, cell)
            : conflict.remote === null
              ? trans.__('they deleted the attachment “%1” of %2 that you changed', key, cell)
              : trans.__('the attachment “%1” of %2 changed on both sides', key, cell);
        break;
      default:
        what = conflict.cellId
          ? trans.__('the setting “%1” of %2 changed on both sides', key, cell)
          : trans.__('the notebook setting “%1” changed on both sides', key);
    }
    return trans.__('Conflict %1 of %2: %3', index + 1, count, what);
  }

  /** "code cell 3 “import pandas as pd”", "their text (Markdown) cell 2", or "a code cell" when not known. */
  function cellName(
    trans: TranslationBundle,
    cellType: IMergeConflict['cellType'],
    place: IConflictCell | null
  ): string {
    if (place === null) {
      switch (cellType) {
        case 'code':
          return trans.__('a code cell');
        case 'markdown':
          return trans.__('a text (Markdown) cell');
        case 'raw':
          return trans.__('a raw cell');
        default:
          return trans.__('a cell');
      }
    }
    let name: string;
    switch (cellType) {
      case 'code':
        name = place.mine ? trans.__('code cell %1', place.number) : trans.__('their code cell %1', place.number);
        break;
      case 'markdown':
        name = place.mine
          ? trans.__('text (Markdown) cell %1', place.number)
          : trans.__('their text (Markdown) cell %1', place.number);
        break;
      case 'raw':
        name = place.mine ? trans.__('raw cell %1', place.number) : trans.__('their raw cell %1', place.number);
        break;
      default:
        name = place.mine ? trans.__('cell %1', place.number) : trans.__('their cell %1', place.number);
    }
    return place.firstLine ? trans.__('%1 “%2”', name, place.firstLine) : name;
  }
}

import type { Visibility } from '@notebook-gallery/core';
import type { TranslationBundle } from '@jupyterlab/translation';
import { UUID } from '@lumino/coreutils';
import { element } from './dom';

/** A notebook's audience as the save and share dialogs edit it. */
export interface IVisibilityChoice {
  visibility: Visibility;
  /** Set exactly when `visibility` is `'group'`. */
  group: string | null;
}

/** The badge text of a list item: "Private", "Group: <name>" or "Public". */
export function visibilityLabel(trans: TranslationBundle, visibility: Visibility, group: string | null): string {
  switch (visibility) {
    case 'private':
      return trans.__('Private');
    case 'group':
      return group ? trans.__('Group: %1', group) : trans.__('Group');
    case 'public':
      return trans.__('Public');
  }
}

/**
 * The "Visibility" select, plus a "Group" select while Group is chosen. Native selects keep it
 * keyboard- and screen-reader-friendly; the line under it says who will see the notebook.
 */
export class VisibilityField {
  /** Create the field; `groups` are the caller's groups, and Group is unavailable without any. */
  constructor(trans: TranslationBundle, initial: IVisibilityChoice, groups: readonly string[]) {
    this._trans = trans;
    const id = `jp-NotebookGallery-visibility-${UUID.uuid4()}`;
    this.node = element('div', 'jp-NotebookGallery-visibility');

    const field = element('div', 'jp-NotebookGallery-field');
    const label = element('label', 'jp-NotebookGallery-label', trans.__('Visibility'));
    label.htmlFor = id;
    this._select = element('select', 'jp-mod-styled jp-NotebookGallery-select');
    this._select.id = id;
    const options: Array<[Visibility, string]> = [
      ['private', trans.__('Private')],
      ['group', trans.__('Group')],
      ['public', trans.__('Public')]
    ];
    for (const [value, text] of options) {
      const option = element('option', '', text);
      option.value = value;
      this._select.append(option);
    }
    this._hint = element('span', 'jp-NotebookGallery-hint');
    this._hint.id = `${id}-hint`;
    this._hint.setAttribute('aria-live', 'polite');
    this._select.setAttribute('aria-describedby', this._hint.id);
    field.append(label, this._select, this._hint);

    // A group the caller has left can still be the notebook's current group.
    const names = [...new Set([...groups, ...(initial.group ? [initial.group] : [])])].sort();
    this._groupField = element('div', 'jp-NotebookGallery-field');
    const groupLabel = element('label', 'jp-NotebookGallery-label', trans.__('Group'));
    groupLabel.htmlFor = `${id}-group`;
    this._groupSelect = element('select', 'jp-mod-styled jp-NotebookGallery-select');
    this._groupSelect.id = `${id}-group`;
    for (const name of names) {
      const option = element('option', '', name);
      option.value = name;
      this._groupSelect.append(option);
    }
    this._groupField.append(groupLabel, this._groupSelect);

    this._hasGroups = names.length > 0;
    const groupOption = this._select.options[1];
    groupOption.disabled = !this._hasGroups;
    const visibility = initial.visibility === 'group' && !this._hasGroups ? 'private' : initial.visibility;
    this._select.value = visibility;
    if (initial.group && names.includes(initial.group)) {
      this._groupSelect.value = initial.group;
    }
    this._select.addEventListener('change', () => this._render());
    this.node.append(field, this._groupField);
    this._render();
  }

  /** The wrapper to put in a dialog body. */
  readonly node: HTMLElement;

  /** What is chosen now. */
  get value(): IVisibilityChoice {
    const visibility = this._select.value as Visibility;
    return {
      visibility,
      group: visibility === 'group' && this._groupSelect.value ? this._groupSelect.value : null
    };
  }

  private _render(): void {
    const trans = this._trans;
    const visibility = this._select.value as Visibility;
    this._groupField.hidden = visibility !== 'group';
    let hint: string;
    switch (visibility) {
      case 'private':
        hint = trans.__('Only you and the people and groups you share it with can see it.');
        break;
      case 'group':
        hint = trans.__('Members of the group below can see it.');
        break;
      default:
        hint = trans.__('Everyone who can log in to the gallery can see it.');
    }
    if (!this._hasGroups) {
      hint +=
        ' ' + trans.__('Group is unavailable because you are not in any group yet; an administrator can add you.');
    }
    this._hint.textContent = hint;
  }

  private _trans: TranslationBundle;
  private _select: HTMLSelectElement;
  private _hint: HTMLElement;
  private _groupField: HTMLElement;
  private _groupSelect: HTMLSelectElement;
  private _hasGroups: boolean;
}

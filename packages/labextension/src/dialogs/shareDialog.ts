import { ErrorCode, type IShare, type ISharing, type PrincipalKind, type ShareRole } from '@notebook-gallery/core';
import { Dialog, showDialog } from '@jupyterlab/apputils';
import type { TranslationBundle } from '@jupyterlab/translation';
import { Styling } from '@jupyterlab/ui-components';
import { UUID } from '@lumino/coreutils';
import type { Message } from '@lumino/messaging';
import { GalleryError } from '../galleryError';
import type { IGalleryClient } from '../tokens';
import { element, labelledInput } from '../widgets/dom';
import { VisibilityField } from '../widgets/visibilityField';
import { EnterAwareBody } from './enterAwareBody';

/** What `shareNotebook` needs from the app. */
export interface IShareNotebookOptions {
  client: IGalleryClient;
  trans: TranslationBundle;
}

/**
 * Show who can see gallery notebook `id` and let its manager change that. A refused change (an
 * unknown user, say) reopens the dialog with the server's message and the user's edits intact.
 *
 * @returns the saved sharing, or null when the user cancelled.
 * @throws {GalleryError} when the notebook or its sharing cannot be read, or the login is lost.
 */
export async function shareNotebook(id: string, options: IShareNotebookOptions): Promise<ISharing | null> {
  const { client, trans } = options;
  const [summary, current, groups] = await Promise.all([
    client.getNotebook(id),
    client.getSharing(id),
    // Groups only feed the Group choice and suggestions.
    client.listGroups().catch(() => [])
  ]);
  const groupNames = groups.map(group => group.name);
  let sharing = current;
  let problem: string | null = null;
  for (;;) {
    const result = await showDialog({
      title: trans.__('Share “%1”', summary.title),
      body: new Private.ShareBody({ client, trans, sharing, groups: groupNames, problem }),
      buttons: [
        Dialog.cancelButton({ label: trans.__('Cancel') }),
        Dialog.okButton({ label: trans.__('Save sharing') })
      ],
      focusNodeSelector: 'select'
    });
    if (!result.button.accept || result.value === null) {
      return null;
    }
    sharing = result.value;
    try {
      return await client.setSharing(id, sharing);
    } catch (error) {
      // A refusal is shown in the dialog; a lost login or connection goes to the usual error report.
      if (!(error instanceof GalleryError) || error.code === ErrorCode.UNAUTHORIZED || error.status === 0) {
        throw error;
      }
      problem = error.message;
    }
  }
}

namespace Private {
  export interface IShareBodyOptions extends IShareNotebookOptions {
    sharing: ISharing;
    groups: readonly string[];
    /** The server's reason the last save was refused. */
    problem: string | null;
  }

  /**
   * Visibility, the current shares and an "add" row. Enter in the "Share with" box adds the
   * name rather than saving the dialog, and Enter on the body's own buttons presses them.
   */
  export class ShareBody extends EnterAwareBody implements Dialog.IBodyWidget<ISharing> {
    constructor(options: IShareBodyOptions) {
      super();
      const { trans, sharing } = options;
      this._client = options.client;
      this._trans = trans;
      this._groups = new Set(options.groups);
      this._shares = sharing.shares.map(share => ({ ...share }));
      this.addClass('jp-NotebookGallery-form');
      this.addClass('jp-NotebookGallery-shareForm');

      this._visibility = new VisibilityField(trans, sharing, options.groups);

      this._alertNode = element('p', 'jp-NotebookGallery-error', options.problem ?? '');
      this._alertNode.setAttribute('role', 'alert');

      const listId = `jp-NotebookGallery-shares-${UUID.uuid4()}`;
      const listHeading = element('h3', 'jp-NotebookGallery-subheading', trans.__('People and groups with access'));
      listHeading.id = listId;
      this._listNode = element('ul', 'jp-NotebookGallery-shares');
      this._listNode.setAttribute('aria-labelledby', listId);
      this._emptyNode = element(
        'p',
        'jp-NotebookGallery-hint',
        trans.__('Not shared with anyone yet. Add a colleague or a group below.')
      );

      const addRow = element('div', 'jp-NotebookGallery-addShare');
      const who = labelledInput(trans.__('Share with'), {
        placeholder: trans.__('Add people or groups'),
        hint: trans.__('A username or a group name. Readers can open copies; editors can also save new versions.')
      });
      this._nameInput = who.input;
      this._suggestions = element('datalist', '');
      this._suggestions.id = `${this._nameInput.id}-suggestions`;
      this._nameInput.setAttribute('list', this._suggestions.id);
      this._nameInput.addEventListener('input', () => this._scheduleSuggestions());
      who.node.append(this._suggestions);
      const role = Private.roleSelect(trans, 'reader');
      const roleField = element('div', 'jp-NotebookGallery-field');
      const roleLabel = element('label', 'jp-NotebookGallery-label', trans.__('Role'));
      role.id = `${this._nameInput.id}-role`;
      roleLabel.htmlFor = role.id;
      roleField.append(roleLabel, role);
      this._roleSelect = role;
      const add = element('button', 'jp-mod-styled jp-mod-reject jp-NotebookGallery-add', trans.__('Add'));
      add.type = 'button';
      add.addEventListener('click', () => this._add());
      addRow.append(who.node, roleField, add);

      this._statusNode = element('p', 'jp-NotebookGallery-hint');
      this._statusNode.setAttribute('role', 'status');

      this.node.append(
        this._visibility.node,
        listHeading,
        this._listNode,
        this._emptyNode,
        addRow,
        this._statusNode,
        this._alertNode
      );
      this._fillSuggestions([]);
    }

    getValue(): ISharing {
      // A name typed but not yet added is what the user meant to share with.
      if (this._nameInput.value.trim()) {
        this._add();
      }
      return { ...this._visibility.value, shares: this._shares.map(share => ({ ...share })) };
    }

    dispose(): void {
      window.clearTimeout(this._suggestTimer);
      super.dispose();
    }

    /** The rows render only now: the dialog has styled the body, so each render styles its own selects. */
    protected onAfterAttach(msg: Message): void {
      super.onAfterAttach(msg);
      this._renderShares();
    }

    protected onEnter(event: KeyboardEvent, target: HTMLElement): void {
      if (target === this._nameInput) {
        event.preventDefault();
        event.stopPropagation();
        this._add();
      } else if (target instanceof HTMLButtonElement) {
        event.preventDefault();
        event.stopPropagation();
        target.click();
      }
    }

    private _add(): void {
      const trans = this._trans;
      const name = this._nameInput.value.trim();
      if (!name) {
        this._alertNode.textContent = trans.__('Type a username or a group name first.');
        this._nameInput.focus();
        return;
      }
      // User and group names are separate namespaces; a name that is one of your groups, and no
      // user the server suggested, means the group.
      const kind: PrincipalKind = this._groups.has(name) && !this._userSuggestions.has(name) ? 'group' : 'user';
      const role = this._roleSelect.value as ShareRole;
      const existing = this._shares.find(share => share.kind === kind && share.name === name);
      if (existing) {
        existing.role = role;
      } else {
        this._shares.push({ kind, name, role });
      }
      this._alertNode.textContent = '';
      this._statusNode.textContent =
        kind === 'group'
          ? trans.__('Added group %1 as %2. Choose Save sharing to apply.', name, Private.roleLabel(trans, role))
          : trans.__('Added %1 as %2. Choose Save sharing to apply.', name, Private.roleLabel(trans, role));
      this._nameInput.value = '';
      this._renderShares();
      this._nameInput.focus();
    }

    private _remove(index: number): void {
      const [removed] = this._shares.splice(index, 1);
      this._statusNode.textContent = this._trans.__('Removed %1. Choose Save sharing to apply.', removed.name);
      this._renderShares();
      // Keep the keyboard user in the list: on the next row's Remove, else in the name box.
      const buttons = this._listNode.querySelectorAll<HTMLButtonElement>('.jp-NotebookGallery-remove');
      (buttons[Math.min(index, buttons.length - 1)] ?? this._nameInput).focus();
    }

    private _renderShares(): void {
      const trans = this._trans;
      this._emptyNode.hidden = this._shares.length > 0;
      this._listNode.hidden = this._shares.length === 0;
      this._listNode.replaceChildren(
        ...this._shares.map((share, index) => {
          const row = element('li', 'jp-NotebookGallery-shareRow');
          const name = element('span', 'jp-NotebookGallery-shareName', share.name);
          const kind = element(
            'span',
            'jp-NotebookGallery-shareKind',
            share.kind === 'group' ? trans.__('group') : trans.__('person')
          );
          const role = Private.roleSelect(trans, share.role);
          role.setAttribute('aria-label', trans.__('Access for %1', share.name));
          role.addEventListener('change', () => {
            share.role = role.value as ShareRole;
          });
          const remove = element('button', 'jp-mod-styled jp-mod-reject jp-NotebookGallery-remove', trans.__('Remove'));
          remove.type = 'button';
          remove.setAttribute('aria-label', trans.__('Remove %1', share.name));
          remove.addEventListener('click', () => this._remove(index));
          row.append(name, kind, role, remove);
          Styling.styleNodeByTag(row, 'select');
          return row;
        })
      );
    }

    private _scheduleSuggestions(): void {
      window.clearTimeout(this._suggestTimer);
      this._suggestTimer = window.setTimeout(() => void this._suggest(), 200);
    }

    private async _suggest(): Promise<void> {
      const query = this._nameInput.value.trim();
      let users: string[] = [];
      if (query) {
        try {
          users = await this._client.searchUsers(query);
        } catch {
          // Suggestions are a convenience; typing the full name still works.
          return;
        }
      }
      if (query === this._nameInput.value.trim() && !this.isDisposed) {
        this._fillSuggestions(users);
      }
    }

    private _fillSuggestions(users: string[]): void {
      const trans = this._trans;
      this._userSuggestions = new Set(users);
      const options = [
        ...users.map(name => [name, trans.__('person')]),
        ...[...this._groups].map(name => [name, trans.__('group')])
      ].map(([value, label]) => {
        const option = element('option', '');
        option.value = value;
        option.label = label;
        return option;
      });
      this._suggestions.replaceChildren(...options);
    }

    private _client: IGalleryClient;
    private _trans: TranslationBundle;
    private _groups: Set<string>;
    private _shares: IShare[];
    private _userSuggestions = new Set<string>();
    private _suggestTimer = 0;
    private _visibility: VisibilityField;
    private _alertNode: HTMLElement;
    private _listNode: HTMLElement;
    private _emptyNode: HTMLElement;
    private _nameInput: HTMLInputElement;
    private _suggestions: HTMLDataListElement;
    private _roleSelect: HTMLSelectElement;
    private _statusNode: HTMLElement;
  }

  export function roleLabel(trans: TranslationBundle, role: ShareRole): string {
    return role === 'editor' ? trans.__('Editor') : trans.__('Reader');
  }

  /** A Reader / Editor select. */
  export function roleSelect(trans: TranslationBundle, value: ShareRole): HTMLSelectElement {
    const select = element('select', 'jp-mod-styled jp-NotebookGallery-select');
    for (const role of ['reader', 'editor'] as const) {
      const option = element('option', '', roleLabel(trans, role));
      option.value = role;
      select.append(option);
    }
    select.value = value;
    return select;
  }
}

import {
  ErrorCode,
  type IPrincipalSearchResponse,
  type IShare,
  type ISharing,
  type PrincipalKind,
  type ShareRole
} from '@notebook-gallery/core';
import { Dialog, showDialog } from '@jupyterlab/apputils';
import type { TranslationBundle } from '@jupyterlab/translation';
import { Styling } from '@jupyterlab/ui-components';
import { UUID } from '@lumino/coreutils';
import type { Message } from '@lumino/messaging';
import { GalleryError } from '../galleryError';
import type { IGalleryClient } from '../tokens';
import { element, labelledInput } from '../widgets/dom';
import { SuggestionList } from '../widgets/suggestionList';
import { VisibilityField } from '../widgets/visibilityField';
import { EnterAwareBody } from './enterAwareBody';

/** What `shareNotebook` needs from the app. */
export interface IShareNotebookOptions {
  client: IGalleryClient;
  trans: TranslationBundle;
}

/**
 * Show who can see gallery notebook `id` and let its manager change that. A name typed and not found, or a change the
 * server refuses, reopens the dialog with a sentence saying why and the user's edits intact.
 *
 * @returns the saved sharing, or null when the user cancelled.
 * @throws {GalleryError} when the notebook or its sharing cannot be read, or the login is lost.
 */
export async function shareNotebook(id: string, options: IShareNotebookOptions): Promise<ISharing | null> {
  const { client, trans } = options;
  const [summary, current, groups] = await Promise.all([
    client.getNotebook(id),
    client.getSharing(id),
    // Your groups feed the Group choice of the visibility.
    client.listGroups().catch(() => [])
  ]);
  const groupNames = groups.map(group => group.name);
  let draft: IShareDraft = { sharing: current, typed: null };
  let problem: string | null = null;
  for (;;) {
    const result = await showDialog({
      title: trans.__('Share “%1”', summary.title),
      body: new ShareBody({ client, trans, draft, groups: groupNames, problem }),
      buttons: [
        Dialog.cancelButton({ label: trans.__('Cancel') }),
        Dialog.okButton({ label: trans.__('Save sharing') })
      ],
      focusNodeSelector: 'select'
    });
    if (!result.button.accept || result.value === null) {
      return null;
    }
    draft = result.value;
    problem = null;
    // A name typed but not yet added is what the user meant to share with.
    if (draft.typed) {
      const { name, role } = draft.typed;
      const principal = await Private.findPrincipal(client, name, groupNames);
      if (!principal) {
        problem = Private.notFound(trans, name);
        continue;
      }
      const share: IShare = { kind: principal.kind, name: principal.name, role };
      draft = { sharing: { ...draft.sharing, shares: Private.withShare(draft.sharing.shares, share) }, typed: null };
    }
    try {
      return await client.setSharing(id, draft.sharing);
    } catch (error) {
      // A refusal is shown in the dialog; a lost login or connection goes to the usual error report.
      if (!(error instanceof GalleryError) || error.code === ErrorCode.UNAUTHORIZED || error.status === 0) {
        throw error;
      }
      problem = error.message;
    }
  }
}

/** What the share dialog holds when it closes: the sharing, and a name typed in "Share with" but not added. */
export interface IShareDraft {
  sharing: ISharing;
  typed: { name: string; role: ShareRole } | null;
}

/** A user or a group, as the server spells its name; `memberCount` is a group's. */
export interface IPrincipalChoice {
  kind: PrincipalKind;
  name: string;
  memberCount?: number;
}

/** Options of {@link ShareBody}. */
export interface IShareBodyOptions extends IShareNotebookOptions {
  /** What to show: the sharing, and a name typed last time, kept in "Share with". */
  draft: IShareDraft;
  /** The caller's groups, for the Group visibility. */
  groups: readonly string[];
  /** Why the last attempt to save did not, as a sentence. */
  problem: string | null;
  /** Milliseconds of typing pause before suggestions are looked up; 200 by default. */
  suggestionDelay?: number;
}

/**
 * Visibility, the current shares and an "add" row whose "Share with" box suggests people and groups as the user
 * types (groups the user is not in included). Enter in the box takes the highlighted suggestion, or adds the
 * typed name once it is found; Enter on the body's own buttons presses them.
 */
export class ShareBody extends EnterAwareBody implements Dialog.IBodyWidget<IShareDraft> {
  constructor(options: IShareBodyOptions) {
    super();
    const { trans, draft } = options;
    this._client = options.client;
    this._trans = trans;
    this._groups = options.groups;
    this._shares = draft.sharing.shares.map(share => ({ ...share }));
    this.addClass('jp-NotebookGallery-form');
    this.addClass('jp-NotebookGallery-shareForm');

    this._visibility = new VisibilityField(trans, draft.sharing, options.groups);

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
      value: draft.typed?.name ?? '',
      hint: trans.__(
        'Type the start of a username or a group name and choose from the suggestions. Readers can open copies; editors can also save new versions.'
      )
    });
    this._nameInput = who.input;
    this._suggestions = new SuggestionList<IPrincipalChoice>({
      input: this._nameInput,
      label: trans.__('People and groups'),
      delay: options.suggestionDelay ?? 200,
      query: input => input.value.trim() || null,
      fetch: async prefix => Private.choices(await this._client.findPrincipals(prefix, Private.SUGGESTIONS), prefix),
      render: (choice, option) => {
        const kind = Private.kindLabel(trans, choice);
        option.append(
          element('span', 'jp-NotebookGallery-suggestionName', choice.name),
          element('span', 'jp-NotebookGallery-shareKind', kind)
        );
        option.setAttribute('aria-label', trans.__('%1, %2', choice.name, kind));
      },
      pick: choice => this._addShare(choice)
    });
    // In the flow under the box rather than floating: a dialog body would clip a floating list.
    this._nameInput.after(this._suggestions.node);
    const role = Private.roleSelect(trans, draft.typed?.role ?? 'reader');
    const roleField = element('div', 'jp-NotebookGallery-field');
    const roleLabel = element('label', 'jp-NotebookGallery-label', trans.__('Role'));
    role.id = `${this._nameInput.id}-role`;
    roleLabel.htmlFor = role.id;
    roleField.append(roleLabel, role);
    this._roleSelect = role;
    this._addButton = element('button', 'jp-mod-styled jp-mod-reject jp-NotebookGallery-add', trans.__('Add'));
    this._addButton.type = 'button';
    this._addButton.addEventListener('click', () => void this._add());
    addRow.append(who.node, roleField, this._addButton);

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
  }

  getValue(): IShareDraft {
    const name = this._nameInput.value.trim();
    return {
      sharing: { ...this._visibility.value, shares: this._shares.map(share => ({ ...share })) },
      typed: name ? { name, role: this._roleSelect.value as ShareRole } : null
    };
  }

  /** Arrows, Enter and Escape in "Share with" go to its suggestions first, before the dialog sees them. */
  handleEvent(event: Event): void {
    if (
      event.type === 'keydown' &&
      event.target === this._nameInput &&
      this._suggestions.handleKeydown(event as KeyboardEvent)
    ) {
      return;
    }
    super.handleEvent(event);
  }

  dispose(): void {
    this._suggestions.dispose();
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
      void this._add();
    } else if (target instanceof HTMLButtonElement) {
      event.preventDefault();
      event.stopPropagation();
      target.click();
    }
  }

  /** Add the typed name as the user or group it names, or say that there is none. */
  private async _add(): Promise<void> {
    const trans = this._trans;
    const name = this._nameInput.value.trim();
    if (!name) {
      this._alertNode.textContent = trans.__('Type a username or a group name first.');
      this._nameInput.focus();
      return;
    }
    if (this._finding) {
      return;
    }
    this._finding = true;
    this._addButton.disabled = true;
    this._suggestions.close();
    let principal: IPrincipalChoice | null;
    try {
      principal = await Private.findPrincipal(this._client, name, this._groups);
    } finally {
      this._finding = false;
      this._addButton.disabled = false;
    }
    // Typing on while the name was looked up means the user wants something else now.
    if (this.isDisposed || this._nameInput.value.trim() !== name) {
      return;
    }
    if (!principal) {
      this._statusNode.textContent = '';
      this._alertNode.textContent = Private.notFound(trans, name);
      this._nameInput.focus();
      return;
    }
    this._addShare(principal);
  }

  private _addShare(principal: IPrincipalChoice): void {
    const trans = this._trans;
    const { kind, name } = principal;
    const role = this._roleSelect.value as ShareRole;
    this._shares = Private.withShare(this._shares, { kind, name, role });
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

  private _client: IGalleryClient;
  private _trans: TranslationBundle;
  private _groups: readonly string[];
  private _shares: IShare[];
  private _finding = false;
  private _visibility: VisibilityField;
  private _alertNode: HTMLElement;
  private _listNode: HTMLElement;
  private _emptyNode: HTMLElement;
  private _nameInput: HTMLInputElement;
  private _suggestions: SuggestionList<IPrincipalChoice>;
  private _roleSelect: HTMLSelectElement;
  private _addButton: HTMLButtonElement;
  private _statusNode: HTMLElement;
}

namespace Private {
  /**
   * Which user or group a typed name means. The exact spelling wins, the user when a user and a group share it (the
   * suggestions offer the group); otherwise the one name equal to it in another case.
   * @returns null when no user or group has the name.
   */
  export function choosePrincipal(found: IPrincipalSearchResponse, typed: string): IPrincipalChoice | null {
    const choices = Private.choices(found);
    const exact = choices.find(choice => choice.name === typed);
    if (exact) {
      return exact;
    }
    const folded = choices.filter(choice => choice.name.toLowerCase() === typed.toLowerCase());
    return folded.length === 1 ? folded[0] : null;
  }

  /**
   * Look up the user or group a typed name means (see {@link choosePrincipal}). When the lookup itself fails the
   * name is taken as one of `ownGroups`, else as a user, and the server has the last word on save.
   * @returns null when no user or group has the name.
   */
  export async function findPrincipal(
    client: IGalleryClient,
    name: string,
    ownGroups: readonly string[]
  ): Promise<IPrincipalChoice | null> {
    let found: IPrincipalSearchResponse;
    try {
      found = await client.findPrincipals(name);
    } catch (error) {
      // The server refuses only a prefix no name can start with (too long, say): nobody has that name.
      if (error instanceof GalleryError && error.status === 400) {
        return null;
      }
      return { kind: ownGroups.includes(name) ? 'group' : 'user', name };
    }
    return choosePrincipal(found, name);
  }

  /** `shares` with `share` added, or with its role changed when it is there already. */
  export function withShare(shares: readonly IShare[], share: IShare): IShare[] {
    const same = (other: IShare) => other.kind === share.kind && other.name === share.name;
    return shares.some(same)
      ? shares.map(other => (same(other) ? { ...other, role: share.role } : { ...other }))
      : [...shares.map(other => ({ ...other })), { ...share }];
  }

  /** Suggestions asked for at a time, of users and of groups each. */
  export const SUGGESTIONS = 6;

  /**
   * Users and groups as one list: with `prefix`, the names equal to it in any case first, then alphabetically
   * ignoring case (people before groups of the same name); the server's order otherwise.
   */
  export function choices(found: IPrincipalSearchResponse, prefix?: string): IPrincipalChoice[] {
    const all: IPrincipalChoice[] = [
      ...found.users.map(user => ({ kind: 'user' as const, name: user.username })),
      ...found.groups.map(group => ({ kind: 'group' as const, name: group.name, memberCount: group.memberCount }))
    ];
    if (prefix === undefined) {
      return all;
    }
    const folded = prefix.toLowerCase();
    const key = (choice: IPrincipalChoice) => {
      const name = choice.name.toLowerCase();
      // Bytewise, like the server: names are ASCII.
      return `${name === folded ? 0 : 1}${name}`;
    };
    // Array.prototype.sort is stable, so people stay before groups of the same name.
    return all.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
  }

  /** "person", "group", or "group, 3 members". */
  export function kindLabel(trans: TranslationBundle, choice: IPrincipalChoice): string {
    if (choice.kind === 'user') {
      return trans.__('person');
    }
    return choice.memberCount
      ? trans._n('group, %1 member', 'group, %1 members', choice.memberCount)
      : trans.__('group');
  }

  /** The sentence for a name that is no user and no group. */
  export function notFound(trans: TranslationBundle, name: string): string {
    return trans.__(
      'No user or group called “%1”. Check the spelling, or type the start of the name and choose from the suggestions.',
      name
    );
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

import type { INotebookListItem, NotebookScope } from '@notebook-gallery/core';
import { Time } from '@jupyterlab/coreutils';
import type { TranslationBundle } from '@jupyterlab/translation';
import { refreshIcon, Styling } from '@jupyterlab/ui-components';
import type { CommandRegistry } from '@lumino/commands';
import { UUID } from '@lumino/coreutils';
import type { ISignal } from '@lumino/signaling';
import { Widget } from '@lumino/widgets';
import { CommandIDs, type IGalleryModel } from '../tokens';
import { element } from './dom';
import { visibilityLabel } from './visibilityField';

/** The sidebar's logged-in face: who you are, a search box, a filter and the list of notebooks. */
export class GalleryBrowser extends Widget {
  /** Create a view of `options.model` that opens items through `options.commands`. */
  constructor(options: GalleryBrowser.IOptions) {
    super();
    this._model = options.model;
    this._commands = options.commands;
    this._trans = options.trans;
    this._searchDelay = options.searchDelay ?? 300;
    this._updates = options.updates ?? null;
    // Copies that follow updates: re-render the items when a copy falls behind or catches up.
    this._updates?.changed.connect(this._renderUpdates, this);
    this.addClass('jp-NotebookGallery-browser');

    const trans = this._trans;
    const header = element('div', 'jp-NotebookGallery-header');
    this._userNode = element('span', 'jp-NotebookGallery-user');
    const account = element('button', 'jp-mod-styled jp-NotebookGallery-account', trans.__('Account'));
    account.type = 'button';
    account.addEventListener('click', () => void this._commands.execute(CommandIDs.account));
    const logout = element('button', 'jp-mod-styled jp-NotebookGallery-logout', trans.__('Log out'));
    logout.type = 'button';
    logout.addEventListener('click', () => void this._commands.execute(CommandIDs.logout));
    this._accountActions = element('div', 'jp-NotebookGallery-headerActions');
    this._accountActions.append(account, logout);
    header.append(this._userNode, this._accountActions);

    const searchRow = element('div', 'jp-NotebookGallery-searchRow');
    searchRow.setAttribute('role', 'search');
    this._searchInput = element('input', 'jp-mod-styled jp-NotebookGallery-search');
    this._searchInput.type = 'search';
    this._searchInput.placeholder = trans.__('Search notebooks');
    this._searchInput.setAttribute('aria-label', trans.__('Search the gallery'));
    this._searchInput.addEventListener('input', () => this._scheduleSearch());
    this._searchInput.addEventListener('keydown', event => this._onSearchKeydown(event));
    const refresh = element('button', 'jp-NotebookGallery-iconButton');
    refresh.type = 'button';
    refresh.title = trans.__('Refresh the gallery');
    refresh.setAttribute('aria-label', trans.__('Refresh the gallery'));
    refresh.append(refreshIcon.element({ tag: 'span' }));
    refresh.addEventListener('click', () => void this._commands.execute(CommandIDs.refresh));
    searchRow.append(this._searchInput, refresh);

    const filterRow = element('div', 'jp-NotebookGallery-filterRow');
    this._scopeSelect = element('select', 'jp-mod-styled jp-NotebookGallery-select');
    this._scopeSelect.id = `jp-NotebookGallery-scope-${UUID.uuid4()}`;
    const filterLabel = element('label', 'jp-NotebookGallery-label', trans.__('Show'));
    filterLabel.htmlFor = this._scopeSelect.id;
    for (const [value, text] of Private.scopeOptions(trans)) {
      const option = element('option', '', text);
      option.value = value;
      this._scopeSelect.append(option);
    }
    this._scopeSelect.addEventListener('change', () => {
      // What was typed but not searched yet goes with the new filter, so the text in the box is what is listed.
      window.clearTimeout(this._searchTimer);
      const value = this._scopeSelect.value;
      void this._model.setFilter({
        query: this._searchInput.value,
        scope: value ? (value as NotebookScope) : null
      });
    });
    filterRow.append(filterLabel, this._scopeSelect);
    // JupyterLab's own select look (wrapper and caret), as dialogs get it automatically.
    Styling.styleNodeByTag(filterRow, 'select');

    this._statusNode = element('p', 'jp-NotebookGallery-status');
    this._statusNode.setAttribute('role', 'status');
    this._errorNode = element('div', 'jp-NotebookGallery-error');
    this._errorNode.setAttribute('role', 'alert');
    this._emptyNode = element('p', 'jp-NotebookGallery-empty');
    this._listNode = element('ul', 'jp-NotebookGallery-list');
    this._listNode.setAttribute('role', 'list');
    this._listNode.setAttribute('aria-label', trans.__('Gallery notebooks'));
    this._listNode.addEventListener('keydown', event => this._onListKeydown(event));
    this._loadMoreButton = element('button', 'jp-mod-styled jp-NotebookGallery-loadMore', trans.__('Load more'));
    this._loadMoreButton.type = 'button';
    this._loadMoreButton.addEventListener('click', () => void this._loadMore());

    this.node.append(
      header,
      searchRow,
      filterRow,
      this._statusNode,
      this._errorNode,
      this._emptyNode,
      this._listNode,
      this._loadMoreButton
    );
    this._model.stateChanged.connect(this._render, this);
    this._render();
  }

  /** Put the cursor in the search box, ready to type. */
  focusSearch(): void {
    this._searchInput.focus();
    this._searchInput.select();
  }

  dispose(): void {
    window.clearTimeout(this._searchTimer);
    this._model.stateChanged.disconnect(this._render, this);
    this._updates?.changed.disconnect(this._renderUpdates, this);
    super.dispose();
  }

  private _scheduleSearch(): void {
    window.clearTimeout(this._searchTimer);
    this._searchTimer = window.setTimeout(() => this._search(), this._searchDelay);
  }

  private _search(): void {
    window.clearTimeout(this._searchTimer);
    const query = this._searchInput.value.trim();
    if (query !== this._model.query || this._model.status === 'error') {
      void this._model.setFilter({ query });
    }
  }

  private _onSearchKeydown(event: KeyboardEvent): void {
    if (event.key === 'Enter') {
      event.preventDefault();
      this._search();
    } else if (event.key === 'ArrowDown') {
      event.preventDefault();
      this._itemButtons()[0]?.focus();
    }
  }

  /** Arrow keys move between items, as in JupyterLab's file browser. */
  private _onListKeydown(event: KeyboardEvent): void {
    const buttons = this._itemButtons();
    const index = buttons.indexOf(document.activeElement as HTMLButtonElement);
    if (index === -1) {
      return;
    }
    let next: number;
    switch (event.key) {
      case 'ArrowDown':
        next = Math.min(index + 1, buttons.length - 1);
        break;
      case 'ArrowUp':
        if (index === 0) {
          event.preventDefault();
          this._searchInput.focus();
          return;
        }
        next = index - 1;
        break;
      case 'Home':
        next = 0;
        break;
      case 'End':
        next = buttons.length - 1;
        break;
      default:
        return;
    }
    event.preventDefault();
    buttons[next].focus();
  }

  private async _loadMore(): Promise<void> {
    const firstNew = this._model.items.length;
    await this._model.loadMore();
    // The button may vanish with the last page; keep the keyboard user where the new items start.
    this._itemButtons()[firstNew]?.focus();
  }

  private _itemButtons(): HTMLButtonElement[] {
    return Array.from(this._listNode.querySelectorAll<HTMLButtonElement>('.jp-NotebookGallery-item'));
  }

  private _render(): void {
    const model = this._model;
    const trans = this._trans;
    const user = model.client.user;
    // Inside JupyterHub the hub owns the account: there is nothing to manage or log out of here.
    const ownLogin = model.client.auth.canLogIn;
    this._userNode.textContent = user
      ? ownLogin
        ? trans.__('Logged in as %1', user.username)
        : trans.__('Logged in as %1 through JupyterHub', user.username)
      : '';
    this._accountActions.hidden = !ownLogin;
    this._userNode.title = model.client.serverUrl;
    // The search box is never written from the model: only the user changes the query, and a render while they
    // type (or just after focus moved to the filter) must not put an older query back into the box.
    this._scopeSelect.value = model.scope ?? '';
    if (this._renderedItems !== model.items) {
      this._renderItems(model.items);
    }

    const { status, error } = model;
    this.node.setAttribute('aria-busy', String(status === 'loading' || status === 'loadingMore'));
    this._statusNode.textContent = Private.statusText(trans, status, model.items.length, model.hasMore);

    this._errorNode.replaceChildren();
    if (status === 'error' && error) {
      const retry = element('button', 'jp-mod-styled jp-mod-accept', trans.__('Try again'));
      retry.type = 'button';
      retry.addEventListener('click', () => void model.refresh());
      this._errorNode.append(element('p', 'jp-NotebookGallery-errorMessage', error.message), retry);
    }

    const empty = status === 'ready' && model.items.length === 0;
    this._emptyNode.hidden = !empty;
    this._emptyNode.textContent = empty ? Private.emptyText(trans, model.scope, model.query) : '';

    this._loadMoreButton.hidden = !model.hasMore || status === 'error';
    this._loadMoreButton.disabled = status === 'loadingMore';
    this._loadMoreButton.textContent = status === 'loadingMore' ? trans.__('Loading…') : trans.__('Load more');
  }

  private _renderItems(items: readonly INotebookListItem[]): void {
    // Keep keyboard focus on the same notebook when the list is rebuilt under it.
    const focusedId = this._listNode.contains(document.activeElement)
      ? (document.activeElement as HTMLElement).dataset.id
      : undefined;
    this._listNode.replaceChildren(...items.map(item => this._renderItem(item)));
    this._renderedItems = items;
    if (focusedId !== undefined) {
      this._itemButtons()
        .find(button => button.dataset.id === focusedId)
        ?.focus();
    }
  }

  private _renderItem(item: INotebookListItem): HTMLElement {
    const trans = this._trans;
    const li = element('li', 'jp-NotebookGallery-listItem');
    li.setAttribute('role', 'listitem');
    const button = element('button', 'jp-NotebookGallery-item');
    button.type = 'button';
    button.dataset.id = item.id;
    const updated = Time.formatHuman(item.updatedAt);

    const title = element('span', 'jp-NotebookGallery-itemTitle', item.title);
    // A private notebook of someone else's that I can read reached me through a share.
    const sharedWithMe = item.visibility === 'private' && item.ownerKind === 'user' && !item.canManage;
    const badgeText = sharedWithMe ? trans.__('Shared with you') : visibilityLabel(trans, item.visibility, item.group);
    const badge = element('span', `jp-NotebookGallery-badge jp-mod-${item.visibility}`, badgeText);
    const owner = item.ownerKind === 'group' ? trans.__('group %1', item.owner) : item.owner;
    const meta = element('span', 'jp-NotebookGallery-itemMeta');
    const time = element('time', 'jp-NotebookGallery-itemTime', updated);
    time.dateTime = item.updatedAt;
    time.title = Time.format(item.updatedAt);
    meta.append(badge, trans.__('%1 · updated ', owner), time);
    button.append(title, meta);

    const labelParts = [item.title, badgeText, trans.__('by %1', owner), trans.__('updated %1', updated)];
    if (item.tags.length > 0) {
      const tags = element('span', 'jp-NotebookGallery-itemTags');
      for (const tag of item.tags) {
        tags.append(element('span', 'jp-NotebookGallery-tag', tag));
      }
      button.append(tags);
      labelParts.push(trans.__('tags: %1', item.tags.join(', ')));
    }
    const summary = item.snippet || item.description;
    if (summary) {
      const description = element('span', 'jp-NotebookGallery-itemDescription', summary);
      description.id = `jp-NotebookGallery-description-${item.id}`;
      button.setAttribute('aria-describedby', description.id);
      button.append(description);
    }
    // An explicit name keeps the title first and the parts separated for screen readers.
    button.setAttribute('aria-label', labelParts.join(', '));
    button.title = trans.__('Open a copy of “%1”', item.title);
    button.addEventListener('click', () => void this._commands.execute(CommandIDs.open, { id: item.id }));
    li.append(button);
    if (this._updates && this._updates.outdatedCopiesOf(item.id).length > 0) {
      // Copies that follow updates: the user's copy is behind this notebook's latest revision.
      const update = element('button', 'jp-mod-styled jp-NotebookGallery-update', trans.__('Update available'));
      update.type = 'button';
      update.setAttribute('aria-label', trans.__('Update available: update your copy of %1', item.title));
      update.title = trans.__(
        'Bring your copy of “%1” up to version %2, keeping your edits',
        item.title,
        item.revisionNumber
      );
      update.addEventListener('click', () => void this._commands.execute(CommandIDs.update, { id: item.id }));
      li.classList.add('jp-mod-updateAvailable');
      li.append(update);
    }
    if (item.canManage) {
      const share = element('button', 'jp-mod-styled jp-NotebookGallery-share', trans.__('Share'));
      share.type = 'button';
      share.setAttribute('aria-label', trans.__('Share %1', item.title));
      share.title = trans.__('Choose who can see “%1”', item.title);
      share.addEventListener('click', () => void this._commands.execute(CommandIDs.share, { id: item.id }));
      li.append(share);
    }
    const history = element('button', 'jp-mod-styled jp-NotebookGallery-historyButton', trans.__('History'));
    history.type = 'button';
    history.setAttribute('aria-label', trans.__('History of %1', item.title));
    history.title = trans.__('Versions of “%1”: what changed, and restoring an old one', item.title);
    history.addEventListener('click', () => void this._commands.execute(CommandIDs.history, { id: item.id }));
    li.append(history);
    return li;
  }

  /** Copies that follow updates: rebuild the items so their *Update available* buttons match. */
  private _renderUpdates(): void {
    this._renderItems(this._model.items);
  }

  private _model: IGalleryModel;
  private _updates: GalleryBrowser.IUpdates | null;
  private _commands: CommandRegistry;
  private _trans: TranslationBundle;
  private _searchDelay: number;
  private _searchTimer = 0;
  private _renderedItems: readonly INotebookListItem[] | null = null;
  private _userNode: HTMLElement;
  private _accountActions: HTMLElement;
  private _searchInput: HTMLInputElement;
  private _scopeSelect: HTMLSelectElement;
  private _statusNode: HTMLElement;
  private _errorNode: HTMLElement;
  private _emptyNode: HTMLElement;
  private _listNode: HTMLElement;
  private _loadMoreButton: HTMLButtonElement;
}

/** Options of the gallery browser. */
export namespace GalleryBrowser {
  /** Construction options. */
  export interface IOptions {
    model: IGalleryModel;
    commands: CommandRegistry;
    trans: TranslationBundle;
    /** Milliseconds of typing pause before searching; 300 by default. */
    searchDelay?: number;
    /** Which notebooks have a newer revision than the user's copy; without it no item offers an update. */
    updates?: IUpdates;
  }

  /** What the browser asks about the user's copies (a `CopyUpdates`). */
  export interface IUpdates {
    readonly changed: ISignal<unknown, void>;
    outdatedCopiesOf(id: string): readonly unknown[];
  }
}

namespace Private {
  /** The "Show" filter's values (empty for All) and labels. */
  export function scopeOptions(trans: TranslationBundle): Array<[NotebookScope | '', string]> {
    return [
      ['', trans.__('All')],
      ['mine', trans.__('Mine')],
      ['shared', trans.__('Shared with me')],
      ['group', trans.__('Group')],
      ['public', trans.__('Public')]
    ];
  }

  /** What an empty list means under each filter, and what a newcomer can do about it. */
  export function emptyText(trans: TranslationBundle, scope: NotebookScope | null, query: string): string {
    if (query) {
      return scope
        ? trans.__('No notebooks here match “%1”. Try fewer words, or choose All under Show.', query)
        : trans.__('No notebooks match “%1”. Try fewer words.', query);
    }
    switch (scope) {
      case 'mine':
        return trans.__(
          'You have not saved any notebooks yet. Open a notebook and choose Save to Gallery from the toolbar or File menu.'
        );
      case 'shared':
        return trans.__(
          'Nothing has been shared with you yet. When a colleague shares a notebook with you, it appears here.'
        );
      case 'group':
        return trans.__(
          'No group notebooks yet. Notebooks published to a group you belong to appear here; an administrator can add you to a group.'
        );
      case 'public':
        return trans.__(
          'No public notebooks yet. Save a notebook with Public visibility to let everyone who can log in to the gallery see it.'
        );
      default:
        return trans.__(
          'No notebooks in the gallery yet. Open a notebook and choose Save to Gallery from the toolbar or File menu.'
        );
    }
  }

  export function statusText(trans: TranslationBundle, status: string, count: number, hasMore: boolean): string {
    switch (status) {
      case 'loading':
        return trans.__('Loading notebooks…');
      case 'loadingMore':
        return trans.__('Loading more notebooks…');
      case 'ready':
        if (count === 0) {
          return '';
        }
        return hasMore
          ? trans.__('First %1 notebooks; more below', count)
          : trans._n('%1 notebook', '%1 notebooks', count);
      default:
        return '';
    }
  }
}

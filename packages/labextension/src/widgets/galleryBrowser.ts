import type { INotebookListItem, NotebookScope, NotebookSort } from '@notebook-gallery/core';
import type { IRenderMimeRegistry } from '@jupyterlab/rendermime';
import type { TranslationBundle } from '@jupyterlab/translation';
import { MenuSvg, refreshIcon, Styling } from '@jupyterlab/ui-components';
import type { CommandRegistry } from '@lumino/commands';
import { UUID } from '@lumino/coreutils';
import type { ISignal } from '@lumino/signaling';
import { Widget } from '@lumino/widgets';
import { CommandIDs, type IGalleryModel } from '../tokens';
import { element } from './dom';
import { notebookItem } from './notebookItem';
import { NotebookPreview } from './notebookPreview';
import { queryWords, toggleWord } from './queryTokens';
import { SearchFacets } from './searchFacets';
import { sortSelect } from './sortSelect';
import { TagAutocomplete } from './tagAutocomplete';

/**
 * The sidebar's logged-in face: who you are, a search box with tag suggestions, the Show filter and the sort, chips
 * that narrow the search, the list of notebooks, and a preview pane that takes the list's place while open.
 */
export class GalleryBrowser extends Widget {
  /** Create a view of `options.model` that opens items through `options.commands`. */
  constructor(options: GalleryBrowser.IOptions) {
    super();
    this._model = options.model;
    this._commands = options.commands;
    this._trans = options.trans;
    this._searchDelay = options.searchDelay ?? 150;
    this._updates = options.updates ?? null;
    this._localCopies = options.localCopies ?? (() => []);
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
    const searchBox = element('div', 'jp-NotebookGallery-searchBox');
    this._searchInput = element('input', 'jp-mod-styled jp-NotebookGallery-search');
    this._searchInput.type = 'search';
    this._searchInput.autocomplete = 'off';
    // Short enough for the sidebar's default width; the title (a tooltip) explains tag:, owner:, lang: and more.
    this._searchInput.placeholder = trans.__('Search notebooks');
    this._searchInput.setAttribute('aria-label', trans.__('Search the gallery'));
    this._searchInput.title = trans.__(
      'Words to find; "a phrase"; -word to leave out; tag:x, owner:y, lang:r and package:pandas to filter'
    );
    this._searchInput.addEventListener('input', () => this._scheduleSearch());
    this._searchInput.addEventListener('keydown', event => this._onSearchKeydown(event));
    this._tags = new TagAutocomplete({
      input: this._searchInput,
      client: this._model.client,
      trans,
      picked: () => this._search()
    });
    searchBox.append(this._searchInput, this._tags.node);
    const refresh = element('button', 'jp-NotebookGallery-iconButton');
    refresh.type = 'button';
    refresh.title = trans.__('Refresh the gallery');
    refresh.setAttribute('aria-label', trans.__('Refresh the gallery'));
    refresh.append(refreshIcon.element({ tag: 'span' }));
    refresh.addEventListener('click', () => void this._commands.execute(CommandIDs.refresh));
    searchRow.append(searchBox, refresh);

    const filterRow = element('div', 'jp-NotebookGallery-filterRow');
    this._scopeSelect = element('select', 'jp-mod-styled jp-NotebookGallery-select');
    this._scopeSelect.id = `jp-NotebookGallery-scope-${UUID.uuid4()}`;
    const filterLabel = element('label', 'jp-NotebookGallery-label', trans.__('Show'));
    filterLabel.htmlFor = this._scopeSelect.id;
    for (const [value, text] of Private.showOptions(trans)) {
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
        scope: value && value !== Private.STARRED ? (value as NotebookScope) : null,
        starred: value === Private.STARRED
      });
    });
    this._sortSelect = sortSelect(trans, `jp-NotebookGallery-sort-${UUID.uuid4()}`);
    const sortLabel = element('label', 'jp-NotebookGallery-label', trans.__('Sort'));
    sortLabel.htmlFor = this._sortSelect.id;
    this._sortSelect.addEventListener('change', () => {
      window.clearTimeout(this._searchTimer);
      void this._model.setFilter({
        query: this._searchInput.value,
        sort: (this._sortSelect.value as NotebookSort) || null
      });
    });
    const showField = element('div', 'jp-NotebookGallery-filterField');
    showField.append(filterLabel, this._scopeSelect);
    const sortField = element('div', 'jp-NotebookGallery-filterField');
    sortField.append(sortLabel, this._sortSelect);
    filterRow.append(showField, sortField);
    // JupyterLab's own select look (wrapper and caret), as dialogs get it automatically.
    Styling.styleNodeByTag(filterRow, 'select');

    this._facets = new SearchFacets({ trans, toggle: token => this._toggleWord(token) });

    this._statusNode = element('p', 'jp-NotebookGallery-status');
    this._statusNode.setAttribute('role', 'status');
    this._errorNode = element('div', 'jp-NotebookGallery-error');
    this._errorNode.setAttribute('role', 'alert');
    this._noticeNode = element('p', 'jp-NotebookGallery-error jp-NotebookGallery-actionError');
    this._noticeNode.setAttribute('role', 'alert');
    this._emptyNode = element('div', 'jp-NotebookGallery-empty');
    this._listNode = element('ul', 'jp-NotebookGallery-list');
    this._listNode.setAttribute('role', 'list');
    this._listNode.setAttribute('aria-label', trans.__('Gallery notebooks'));
    this._listNode.addEventListener('keydown', event => this._onListKeydown(event));
    this._loadMoreButton = element('button', 'jp-mod-styled jp-NotebookGallery-loadMore', trans.__('Load more'));
    this._loadMoreButton.type = 'button';
    this._loadMoreButton.addEventListener('click', () => void this._loadMore());

    this._results = element('div', 'jp-NotebookGallery-results');
    this._results.append(
      searchRow,
      filterRow,
      this._facets.node,
      this._statusNode,
      this._errorNode,
      this._noticeNode,
      this._emptyNode,
      this._listNode,
      this._loadMoreButton
    );
    this._preview = new NotebookPreview({
      model: this._model,
      commands: this._commands,
      trans,
      rendermime: options.rendermime ?? null,
      localCopies: this._localCopies,
      close: () => this.closePreview()
    });
    this._menu = new MenuSvg({ commands: this._commands });
    this._menu.addClass('jp-NotebookGallery-itemMenu');
    this._menu.aboutToClose.connect(this._onMenuClosing, this);
    this.node.append(header, this._results, this._preview.node);
    this._model.stateChanged.connect(this._render, this);
    this._render();
  }

  /** Put the cursor in the search box, ready to type (closing a preview). */
  focusSearch(): void {
    if (this._preview.notebookId !== null) {
      this.closePreview();
    }
    this._searchInput.focus();
    this._searchInput.select();
  }

  /** Focus where the user was: the open preview's title, or else the search box (without closing anything). */
  focusCurrent(): void {
    if (this._preview.notebookId !== null) {
      // A preview still loading has no title yet, but it must stay open (gallery:preview reveals the sidebar first).
      const preview = this._preview.node;
      (preview.querySelector<HTMLElement>('h2') ?? preview.querySelector<HTMLElement>('button'))?.focus();
    } else {
      this.focusSearch();
    }
  }

  /** Show notebook `id` in the preview pane, in place of the list. */
  preview(id: string): Promise<void> {
    if (this._preview.notebookId === null) {
      this._previewFrom = id;
    }
    this._results.hidden = true;
    return this._preview.show(id);
  }

  /** Close the preview and give the focus back to the item it was opened from. */
  closePreview(): void {
    const from = this._previewFrom;
    this._previewFrom = null;
    this._preview.hide();
    this._results.hidden = false;
    const controls = Array.from(this._listNode.querySelectorAll<HTMLElement>('[data-id]')).filter(
      node => node.dataset.id === from
    );
    const item = controls.find(node => node.dataset.action === 'preview') ?? controls[0];
    (item ?? this._searchInput).focus();
  }

  dispose(): void {
    window.clearTimeout(this._searchTimer);
    this._menu.dispose();
    this._tags.dispose();
    this._preview.dispose();
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

  /** A chip: add its word (`tag:x`) to the search box, or take it out, and search right away. */
  private _toggleWord(token: string): void {
    this._searchInput.value = toggleWord(this._searchInput.value.trim(), token);
    this._search();
  }

  private _onSearchKeydown(event: KeyboardEvent): void {
    if (this._tags.handleKeydown(event)) {
      return;
    }
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
    // Free to wrap (base.css), so it shows whole in a narrow sidebar; the tooltip adds the server.
    this._userNode.textContent = user
      ? ownLogin
        ? trans.__('Logged in as %1', user.username)
        : trans.__('Logged in as %1 through JupyterHub', user.username)
      : '';
    this._accountActions.hidden = !ownLogin;
    this._userNode.title = user
      ? ownLogin
        ? trans.__('Logged in as %1 to the gallery at %2', user.username, model.client.serverUrl)
        : trans.__('Logged in as %1 through JupyterHub to the gallery at %2', user.username, model.client.serverUrl)
      : model.client.serverUrl;
    if (!model.client.isLoggedIn && this._preview.notebookId !== null) {
      // After a logout the next user must not find the last one's preview open.
      this._previewFrom = null;
      this._preview.hide();
      this._results.hidden = false;
    }
    // The search box is never written from the model: only the user changes the query, and a render while they
    // type (or just after focus moved to the filter) must not put an older query back into the box.
    this._scopeSelect.value = model.starred ? Private.STARRED : (model.scope ?? '');
    this._sortSelect.value = model.sort ?? '';
    this._facets.update(model.facets, model.query);
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
    this._emptyNode.replaceChildren(
      ...(empty ? Private.emptyText(trans, model).map(text => element('p', '', text)) : [])
    );

    this._loadMoreButton.hidden = !model.hasMore || status === 'error';
    this._loadMoreButton.disabled = status === 'loadingMore';
    this._loadMoreButton.textContent = status === 'loadingMore' ? trans.__('Loading…') : trans.__('Load more');
  }

  private _renderItems(items: readonly INotebookListItem[]): void {
    // Keep keyboard focus on the same control of the same notebook when the list is rebuilt under it.
    const focused = this._listNode.contains(document.activeElement)
      ? (document.activeElement as HTMLElement).dataset
      : undefined;
    this._listNode.replaceChildren(
      ...items.map(item =>
        notebookItem(item, {
          commands: this._commands,
          trans: this._trans,
          outdated: this._isOutdated(item.id),
          star: starred => this._star(item.id, starred),
          preview: () => void this.preview(item.id),
          openMenu: (at, keyboard, from) => this._openMenu(item, at, keyboard, from)
        })
      )
    );
    this._renderedItems = items;
    this._renderedOutdated = new Set(items.filter(item => this._isOutdated(item.id)).map(item => item.id));
    if (focused?.id !== undefined) {
      Array.from(this._listNode.querySelectorAll<HTMLElement>('[data-id]'))
        .find(node => node.dataset.id === focused.id && node.dataset.action === focused.action)
        ?.focus();
    }
  }

  private async _star(id: string, starred: boolean) {
    this._noticeNode.textContent = '';
    try {
      return await this._model.setStarred(id, starred);
    } catch (error) {
      this._noticeNode.textContent = error instanceof Error ? error.message : String(error);
      throw error;
    }
  }

  /**
   * The item's menu of actions (JupyterLab's own menu, with the gallery's commands): what the hover toolbar offers,
   * plus opening a copy, updating it, its web page's link (*Copy Link*, *Open in Browser*), and for its managers
   * *Delete from gallery…*.
   */
  private _openMenu(item: INotebookListItem, at: { x: number; y: number }, keyboard: boolean, from: HTMLElement): void {
    const menu = this._menu;
    if (menu.isAttached) {
      menu.close();
    }
    menu.clearItems();
    const args = { id: item.id };
    menu.addItem({ command: CommandIDs.open, args });
    menu.addItem({ command: CommandIDs.preview, args });
    if (this._updates !== null && this._updates.outdatedCopiesOf(item.id).length > 0) {
      menu.addItem({ command: CommandIDs.update, args });
    }
    if (item.canManage) {
      menu.addItem({ command: CommandIDs.share, args });
    }
    menu.addItem({ command: CommandIDs.history, args });
    menu.addItem({ type: 'separator' });
    menu.addItem({ command: CommandIDs.copyLink, args });
    menu.addItem({ command: CommandIDs.openInBrowser, args });
    if (item.canManage) {
      menu.addItem({ type: 'separator' });
      menu.addItem({ command: CommandIDs.delete, args });
    }
    this._menuFrom = from;
    menu.open(at.x, at.y);
    // Lumino focuses the menu on the next frame; a key pressed before that would still move in the list.
    menu.node.focus();
    if (keyboard) {
      menu.activeIndex = 0;
    }
  }

  /** Focus goes back to the control the menu was opened from, before a chosen command moves it on (a dialog). */
  private _onMenuClosing(): void {
    const from = this._menuFrom;
    this._menuFrom = null;
    if (from?.isConnected) {
      from.focus();
    }
  }

  /** Copies that follow updates: rebuild the items so their *Update available* buttons match. */
  /**
   * Rebuild the rows only when a row's *Update* state changed: a check for updates runs as the user clicks into the
   * sidebar, and rows replaced between the press and the release of the mouse button lose the click.
   */
  private _renderUpdates(): void {
    const items = this._renderedItems ?? [];
    if (items.some(item => this._isOutdated(item.id) !== this._renderedOutdated.has(item.id))) {
      this._renderItems(this._model.items);
    }
  }

  private _isOutdated(id: string): boolean {
    return this._updates !== null && this._updates.outdatedCopiesOf(id).length > 0;
  }

  private _model: IGalleryModel;
  private _updates: GalleryBrowser.IUpdates | null;
  private _commands: CommandRegistry;
  private _trans: TranslationBundle;
  private _searchDelay: number;
  private _searchTimer = 0;
  private _renderedItems: readonly INotebookListItem[] | null = null;
  /** The ids of the rendered rows that offer *Update*. */
  private _renderedOutdated = new Set<string>();
  private _previewFrom: string | null = null;
  private _localCopies: (id: string) => readonly string[];
  private _menu: MenuSvg;
  private _menuFrom: HTMLElement | null = null;
  private _userNode: HTMLElement;
  private _accountActions: HTMLElement;
  private _searchInput: HTMLInputElement;
  private _tags: TagAutocomplete;
  private _scopeSelect: HTMLSelectElement;
  private _sortSelect: HTMLSelectElement;
  private _facets: SearchFacets;
  private _results: HTMLElement;
  private _statusNode: HTMLElement;
  private _errorNode: HTMLElement;
  private _noticeNode: HTMLElement;
  private _emptyNode: HTMLElement;
  private _listNode: HTMLElement;
  private _loadMoreButton: HTMLButtonElement;
  private _preview: NotebookPreview;
}

/** Options of the gallery browser. */
export namespace GalleryBrowser {
  /** Construction options. */
  export interface IOptions {
    model: IGalleryModel;
    commands: CommandRegistry;
    trans: TranslationBundle;
    /** Renders the preview's markdown, sanitized; without one the preview shows markdown as text. */
    rendermime?: IRenderMimeRegistry | null;
    /** Milliseconds of typing pause before searching; 150 by default. */
    searchDelay?: number;
    /** Which notebooks have a newer revision than the user's copy; without it no item offers an update. */
    updates?: IUpdates;
    /** The paths of the user's local copies of a gallery notebook, offered when it is gone from the gallery. */
    localCopies?: (id: string) => readonly string[];
  }

  /** What the browser asks about the user's copies (a `CopyUpdates`). */
  export interface IUpdates {
    readonly changed: ISignal<unknown, void>;
    outdatedCopiesOf(id: string): readonly unknown[];
  }
}

namespace Private {
  /** The "Show" value of the starred filter, which is not a scope. */
  export const STARRED = 'starred';

  /** The "Show" filter's values (empty for All) and labels. */
  export function showOptions(trans: TranslationBundle): Array<[NotebookScope | typeof STARRED | '', string]> {
    return [
      ['', trans.__('All')],
      ['mine', trans.__('Mine')],
      ['shared', trans.__('Shared with me')],
      ['group', trans.__('Group')],
      ['public', trans.__('Public')],
      [STARRED, trans.__('Starred')]
    ];
  }

  /** What an empty list means under the current search and filter, and what a newcomer can do about it. */
  export function emptyText(trans: TranslationBundle, model: IGalleryModel): string[] {
    const { query, scope, starred } = model;
    if (query) {
      const filters = queryWords(query).filter(word => /^-?(tag|owner|user|lang|language|package):/i.test(word));
      const hints: string[] = [trans.__('No notebooks match “%1”.', query)];
      if (filters.length > 0) {
        hints.push(trans.__('Remove a filter (%1) to widen the search.', filters.join(', ')));
      }
      if (scope || starred) {
        hints.push(trans.__('Choose All under Show to search every notebook you can read.'));
      }
      hints.push(trans.__('Check the spelling, or try fewer or other words: "plot histogram" rather than a sentence.'));
      return hints;
    }
    if (starred) {
      return [
        trans.__('You have not starred any notebooks yet.'),
        trans.__(
          'Select the star (☆) beside a notebook in the list or in its preview; starred notebooks are listed here.'
        )
      ];
    }
    switch (scope) {
      case 'mine':
        return [
          trans.__(
            'You have not saved any notebooks yet. Open a notebook and choose Save to Gallery from the toolbar or File menu.'
          )
        ];
      case 'shared':
        return [
          trans.__(
            'Nothing has been shared with you yet. When a colleague shares a notebook with you, it appears here.'
          )
        ];
      case 'group':
        return [
          trans.__(
            'No group notebooks yet. Notebooks published to a group you belong to appear here; an administrator can add you to a group.'
          )
        ];
      case 'public':
        return [
          trans.__(
            'No public notebooks yet. Save a notebook with Public visibility to let everyone who can log in to the gallery see it.'
          )
        ];
      default:
        return [
          trans.__(
            'No notebooks in the gallery yet. Open a notebook and choose Save to Gallery from the toolbar or File menu.'
          )
        ];
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

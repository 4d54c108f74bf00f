import {
  ErrorCode,
  type IFacetsResponse,
  type INotebookListItem,
  type INotebookListQuery,
  type IStarResponse,
  type NotebookScope,
  type NotebookSort
} from '@notebook-gallery/core';
import { Signal, type ISignal } from '@lumino/signaling';
import { GalleryError } from '../galleryError';
import type { GalleryStatus, IGalleryClient, IGalleryModel } from '../tokens';

/** The sidebar's list state, kept apart from the DOM so commands can refresh it too. */
export class GalleryModel implements IGalleryModel {
  /** Create a model that lists through `client` and reloads whenever the login changes. */
  constructor(client: IGalleryClient, options: GalleryModel.IOptions = {}) {
    this.client = client;
    this._pageSize = options.pageSize ?? 50;
    client.authChanged.connect(this._onAuthChanged, this);
  }

  readonly client: IGalleryClient;

  get status(): GalleryStatus {
    return this._status;
  }

  get query(): string {
    return this._query;
  }

  get scope(): NotebookScope | null {
    return this._scope;
  }

  get starred(): boolean {
    return this._starred;
  }

  get sort(): NotebookSort | null {
    return this._sort;
  }

  get items(): readonly INotebookListItem[] {
    return this._items;
  }

  get facets(): IFacetsResponse | null {
    return this._facets;
  }

  get hasMore(): boolean {
    return this._nextCursor !== null;
  }

  get error(): GalleryError | null {
    return this._error;
  }

  get stateChanged(): ISignal<IGalleryModel, void> {
    return this._stateChanged;
  }

  setFilter(filter: IGalleryModel.IFilter): Promise<void> {
    if (filter.query !== undefined) {
      this._query = filter.query.trim();
    }
    if (filter.scope !== undefined) {
      this._scope = filter.scope;
    }
    if (filter.starred !== undefined) {
      this._starred = filter.starred;
    }
    if (filter.sort !== undefined) {
      this._sort = filter.sort;
    }
    return this._loadFirstPage();
  }

  async setStarred(id: string, starred: boolean): Promise<IStarResponse> {
    const reply = starred ? await this.client.starNotebook(id) : await this.client.unstarNotebook(id);
    const index = this._items.findIndex(item => item.id === id);
    if (index !== -1) {
      // A new array and a new item, so views that compare by identity see the change.
      const items = [...this._items];
      items[index] = { ...items[index], starred: reply.starred, stars: reply.stars };
      this._items = items;
      this._stateChanged.emit();
    }
    return reply;
  }

  refresh(): Promise<void> {
    return this._loadFirstPage();
  }

  async loadMore(): Promise<void> {
    if (this._nextCursor === null || this._status === 'loadingMore') {
      return;
    }
    const generation = this._generation;
    this._set('loadingMore');
    try {
      const page = await this.client.listNotebooks({ ...this._listQuery(), cursor: this._nextCursor });
      if (generation === this._generation) {
        this._items = [...this._items, ...page.items];
        this._nextCursor = page.nextCursor;
        this._set('ready');
      }
    } catch (error) {
      if (generation === this._generation) {
        this._fail(error);
      }
    }
  }

  private async _loadFirstPage(): Promise<void> {
    // A newer search or a logout makes the answer to this one irrelevant.
    const generation = ++this._generation;
    if (!this.client.isLoggedIn) {
      this._items = [];
      this._facets = null;
      this._nextCursor = null;
      this._set('idle');
      return;
    }
    this._set('loading');
    void this._loadFacets(generation);
    try {
      const page = await this.client.listNotebooks(this._listQuery());
      if (generation === this._generation) {
        this._items = page.items;
        this._nextCursor = page.nextCursor;
        this._set('ready');
      }
    } catch (error) {
      if (generation === this._generation) {
        this._fail(error);
      }
    }
  }

  /** The facets of the new search, asked for beside its first page; the list works without them. */
  private async _loadFacets(generation: number): Promise<void> {
    let facets: IFacetsResponse | null;
    try {
      facets = await this.client.getFacets({
        q: this._query || undefined,
        scope: this._scope ?? undefined,
        starred: this._starred || undefined
      });
    } catch {
      // A gallery from before facets, or a failure the list itself will report.
      facets = null;
    }
    if (generation === this._generation) {
      this._facets = facets;
      this._stateChanged.emit();
    }
  }

  private _listQuery(): INotebookListQuery {
    return {
      q: this._query || undefined,
      scope: this._scope ?? undefined,
      starred: this._starred || undefined,
      sort: this._sort ?? undefined,
      limit: this._pageSize
    };
  }

  private _onAuthChanged(): void {
    void this._loadFirstPage();
  }

  private _fail(error: unknown): void {
    if (!this.client.isLoggedIn) {
      // A 401 logged the user out; the login form says what to do next.
      this._items = [];
      this._nextCursor = null;
      this._set('idle');
      return;
    }
    this._error =
      error instanceof GalleryError
        ? error
        : new GalleryError(ErrorCode.INTERNAL_ERROR, 0, error instanceof Error ? error.message : String(error));
    this._status = 'error';
    this._stateChanged.emit();
  }

  private _set(status: GalleryStatus): void {
    this._status = status;
    this._error = null;
    this._stateChanged.emit();
  }

  private _pageSize: number;
  private _status: GalleryStatus = 'idle';
  private _query = '';
  private _scope: NotebookScope | null = null;
  private _starred = false;
  private _sort: NotebookSort | null = null;
  private _items: INotebookListItem[] = [];
  private _facets: IFacetsResponse | null = null;
  private _nextCursor: string | null = null;
  private _error: GalleryError | null = null;
  private _generation = 0;
  private _stateChanged = new Signal<IGalleryModel, void>(this);
}

/** Options of the gallery model. */
export namespace GalleryModel {
  /** Construction options. */
  export interface IOptions {
    /** Notebooks per page; 50 by default. */
    pageSize?: number;
  }
}

import type { ICommentListResponse, ICreateCommentRequest, IComment } from '@notebook-gallery/core';
import { Signal, type ISignal } from '@lumino/signaling';
import { asGalleryError, type GalleryError } from '../galleryError';
import type { IGalleryClient } from '../tokens';
import { FOCUS_CHECK_INTERVAL_MS } from './copyUpdates';

/** The comments of one gallery notebook as last loaded, or why they could not be. */
export interface ICommentsState {
  /** The threads, or null before the first answer and after a failure. */
  list: ICommentListResponse | null;
  /** The last failure, or null. */
  error: GalleryError | null;
  /** Whether a load is under way. */
  loading: boolean;
}

/**
 * The comments of the gallery notebooks whose copies are open, by gallery id, shared by the comments panel and the
 * markers on the cells so both show the same answer from one request. A load happens when a copy opens, after each
 * change made here, and when the user comes back to a copy (at most once per notebook in
 * {@link FOCUS_CHECK_INTERVAL_MS}, as for updates).
 */
export class NotebookComments {
  /** Load through `client`; `options.now` is the clock, for tests. */
  constructor(client: IGalleryClient, options: NotebookComments.IOptions = {}) {
    this._client = client;
    this._now = options.now ?? Date.now;
    client.authChanged.connect(this._onAuthChanged, this);
  }

  /** Emitted with a gallery id whenever that notebook's state changes. */
  get changed(): ISignal<NotebookComments, string> {
    return this._changed;
  }

  /** Notebook `id`'s state; an empty one before anything was asked. */
  state(id: string): ICommentsState {
    return this._states.get(id) ?? { list: null, error: null, loading: false };
  }

  /** Load notebook `id`'s comments now. */
  async load(id: string): Promise<void> {
    if (!this._client.isLoggedIn) {
      return;
    }
    const generation = (this._generations.get(id) ?? 0) + 1;
    this._generations.set(id, generation);
    this._askedAt.set(id, this._now());
    this._set(id, { ...this.state(id), loading: true });
    let next: ICommentsState;
    try {
      next = { list: await this._client.listComments(id), error: null, loading: false };
    } catch (error) {
      next = { list: null, error: asGalleryError(error), loading: false };
    }
    // A later load (after a comment was posted) wins over an earlier one that answered late.
    if (this._generations.get(id) === generation) {
      this._set(id, next);
    }
  }

  /** {@link load}, unless notebook `id` was asked about in the last {@link FOCUS_CHECK_INTERVAL_MS}. */
  async loadOnFocus(id: string): Promise<void> {
    if (this._now() - (this._askedAt.get(id) ?? -Infinity) >= FOCUS_CHECK_INTERVAL_MS) {
      await this.load(id);
    }
  }

  /**
   * Post a comment on notebook `id` and reload its threads, so the panel and the markers show it with its state.
   *
   * @throws {GalleryError} the server's refusal (a cell it does not have, too long, too many mentions, 429).
   */
  async create(id: string, request: ICreateCommentRequest): Promise<IComment> {
    const comment = await this._client.createComment(id, request);
    await this.load(id);
    return comment;
  }

  /**
   * Run a change to one of notebook `id`'s comments (edit, resolve, delete), then reload its threads.
   *
   * @throws {GalleryError} the server's refusal.
   */
  async change<T>(id: string, action: (client: IGalleryClient) => Promise<T>): Promise<T> {
    const result = await action(this._client);
    await this.load(id);
    return result;
  }

  /**
   * The ids of the cells of notebook `id` at `revision` (a copy's revision): a cell the user added locally is not
   * among them and cannot be commented on yet. Asked once per revision.
   *
   * @throws {GalleryError} when the revision cannot be read.
   */
  cellIdsAt(id: string, revision: string): Promise<ReadonlySet<string>> {
    const key = `${id}@${revision}`;
    let ids = this._cellIds.get(key);
    if (!ids) {
      ids = this._client
        .getNotebookContent(id, revision)
        .then(notebook => new Set(notebook.cells.map(cell => cell.id ?? '')));
      // A failure is asked again next time rather than remembered.
      ids.catch(() => this._cellIds.delete(key));
      this._cellIds.set(key, ids);
    }
    return ids;
  }

  dispose(): void {
    this._client.authChanged.disconnect(this._onAuthChanged, this);
  }

  private _set(id: string, state: ICommentsState): void {
    this._states.set(id, state);
    this._changed.emit(id);
  }

  private _onAuthChanged(): void {
    // Another login may see other comments, or none, and may edit other ones.
    const ids = [...this._states.keys()];
    this._states.clear();
    this._askedAt.clear();
    for (const id of ids) {
      this._changed.emit(id);
      void this.load(id);
    }
  }

  private _client: IGalleryClient;
  private _now: () => number;
  private _states = new Map<string, ICommentsState>();
  private _generations = new Map<string, number>();
  private _askedAt = new Map<string, number>();
  private _cellIds = new Map<string, Promise<ReadonlySet<string>>>();
  private _changed = new Signal<NotebookComments, string>(this);
}

/** Options of {@link NotebookComments}. */
export namespace NotebookComments {
  /** Construction options. */
  export interface IOptions {
    /** Milliseconds now; `Date.now` unless a test injects a clock. */
    now?: () => number;
  }
}

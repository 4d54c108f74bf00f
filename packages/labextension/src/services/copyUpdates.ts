import type { INotebookListItem } from '@notebook-gallery/core';
import { Signal, type ISignal } from '@lumino/signaling';
import { GalleryError } from '../galleryError';
import type { IGalleryClient } from '../tokens';
import type { CopyRegistry, IKnownCopy } from './copyRegistry';

/** The gallery's latest revision of a notebook, as last seen. */
export interface ILatestRevision {
  revision: string;
  revisionNumber: number;
  title: string;
}

/**
 * A check on focus skips a notebook asked about this recently (by any check): focus comes and goes all the time,
 * and one question per notebook in this long still shows an update within a minute of the user coming back.
 */
export const FOCUS_CHECK_INTERVAL_MS = 20_000;

/**
 * Which local copies are behind the gallery. The latest revisions come from the sidebar's list (its items carry
 * `revision`), from asking the gallery when a copy is opened or the user comes back to it or to the sidebar, and
 * from a check of every known copy on an interval.
 */
export class CopyUpdates {
  /** Compare `registry`'s copies with what `client`'s gallery holds; `options.now` is the clock, for tests. */
  constructor(client: IGalleryClient, registry: CopyRegistry, options: CopyUpdates.IOptions = {}) {
    this._client = client;
    this._registry = registry;
    this._now = options.now ?? Date.now;
    registry.changed.connect(this._emit, this);
    client.authChanged.connect(this._onAuthChanged, this);
  }

  /** Emitted when a copy's update state may have changed. */
  get changed(): ISignal<CopyUpdates, void> {
    return this._changed;
  }

  /** The newer revision the copy at `path` could take, or null when it is current, unknown or declined. */
  updateFor(path: string): ILatestRevision | null {
    const copy = this._registry.get(path);
    return copy ? this._newer(copy) : null;
  }

  /** The known copies of gallery notebook `id` that are behind it. */
  outdatedCopiesOf(id: string): IKnownCopy[] {
    return this._registry.copiesOf(id, this._client.serverUrl).filter(copy => this._newer(copy) !== null);
  }

  /** Take the latest revisions from a listing the sidebar loaded anyway. */
  noteListed(items: readonly INotebookListItem[]): void {
    let changed = false;
    for (const item of items) {
      changed = this._note(item.id, item) || changed;
    }
    if (changed) {
      this._emit();
    }
  }

  /**
   * Ask the gallery for the latest revision of `ids` (every known copy's notebook by default). A notebook that is
   * gone or hidden is simply not offered as an update; other failures leave the last answer in place.
   */
  async check(ids?: readonly string[]): Promise<void> {
    if (!this._client.isLoggedIn) {
      return;
    }
    await this._ask(new Set(ids ?? this._knownIds()));
  }

  /**
   * {@link check}, for when the user comes back to a copy or to the sidebar: notebooks asked about in the last
   * {@link FOCUS_CHECK_INTERVAL_MS} are skipped, so focusing back and forth sends at most one request per notebook.
   */
  async checkOnFocus(ids?: readonly string[]): Promise<void> {
    if (!this._client.isLoggedIn) {
      return;
    }
    const now = this._now();
    const due = (ids ?? this._knownIds()).filter(
      id => now - (this._askedAt.get(id) ?? -Infinity) >= FOCUS_CHECK_INTERVAL_MS
    );
    if (due.length > 0) {
      await this._ask(new Set(due));
    }
  }

  /** Check every known copy every `minutes` minutes; 0 stops checking. */
  checkEvery(minutes: number): void {
    window.clearInterval(this._timer);
    this._timer = 0;
    if (minutes > 0) {
      this._timer = window.setInterval(() => void this.check(), minutes * 60_000);
    }
  }

  /** Stop the interval. */
  dispose(): void {
    window.clearInterval(this._timer);
    this._registry.changed.disconnect(this._emit, this);
    this._client.authChanged.disconnect(this._onAuthChanged, this);
  }

  private _knownIds(): string[] {
    return this._registry.copiesOn(this._client.serverUrl).map(copy => copy.id);
  }

  private async _ask(wanted: ReadonlySet<string>): Promise<void> {
    const now = this._now();
    let changed = false;
    await Promise.all(
      [...wanted].map(async id => {
        // Noted before the answer, so a focus while the request is under way does not ask again.
        this._askedAt.set(id, now);
        try {
          changed = this._note(id, await this._client.getNotebook(id)) || changed;
        } catch (error) {
          if (error instanceof GalleryError && error.status === 404 && this._latest.delete(id)) {
            changed = true;
          }
        }
      })
    );
    // An answer that changes nothing must not rebuild the sidebar's list: a check runs as the user clicks into it.
    if (changed) {
      this._emit();
    }
  }

  /** Record `latest` as notebook `id`'s latest revision; whether that is news (a revision not seen before). */
  private _note(id: string, latest: ILatestRevision): boolean {
    if (this._latest.get(id)?.revision === latest.revision) {
      return false;
    }
    this._latest.set(id, { revision: latest.revision, revisionNumber: latest.revisionNumber, title: latest.title });
    return true;
  }

  private _newer(copy: IKnownCopy): ILatestRevision | null {
    const latest = this._latest.get(copy.id);
    if (!latest || latest.revision === copy.revision || latest.revision === copy.declined) {
      return null;
    }
    return latest;
  }

  private _onAuthChanged(): void {
    // Another login may see other revisions, or none.
    this._latest.clear();
    this._askedAt.clear();
    this._emit();
  }

  private _emit(): void {
    this._changed.emit();
  }

  private _client: IGalleryClient;
  private _registry: CopyRegistry;
  private _latest = new Map<string, ILatestRevision>();
  private _timer = 0;
  private _now: () => number;
  /** When each notebook was last asked about, by the clock `_now`. */
  private _askedAt = new Map<string, number>();
  private _changed = new Signal<CopyUpdates, void>(this);
}

/** Options of {@link CopyUpdates}. */
export namespace CopyUpdates {
  /** Construction options. */
  export interface IOptions {
    /** Milliseconds now; `Date.now` unless a test injects a clock. */
    now?: () => number;
  }
}

import type { IInboxEvent } from '@notebook-gallery/core';
import { Signal, type ISignal } from '@lumino/signaling';
import { asGalleryError, type GalleryError } from '../galleryError';
import type { IGalleryClient } from '../tokens';
import { FOCUS_CHECK_INTERVAL_MS } from './copyUpdates';

/** How often the unread count is asked for while the page is visible: often enough to notice a reply over coffee. */
export const INBOX_CHECK_INTERVAL_MS = 120_000;

/**
 * The logged-in user's inbox: the unread count the sidebar shows, and the events when the user opens the list.
 * The count is asked for on login, every {@link INBOX_CHECK_INTERVAL_MS} while the page is visible, and when the
 * user comes back to the sidebar (at most once in {@link FOCUS_CHECK_INTERVAL_MS}); never more often.
 */
export class InboxModel {
  /** Follow `client`'s login; `options.now` is the clock and `options.isVisible` the page's visibility, for tests. */
  constructor(client: IGalleryClient, options: InboxModel.IOptions = {}) {
    this._client = client;
    this._now = options.now ?? Date.now;
    this._isVisible = options.isVisible ?? (() => document.visibilityState !== 'hidden');
    client.authChanged.connect(this._onAuthChanged, this);
  }

  /** Unread events, or null when not known (logged out, or the gallery has no inbox). */
  get unread(): number | null {
    return this._unread;
  }

  /** The events loaded by {@link loadEvents}, newest first. */
  get events(): readonly IInboxEvent[] {
    return this._events;
  }

  /** Whether the server has more events than {@link events}. */
  get hasMore(): boolean {
    return this._cursor !== null;
  }

  /** The last failure to load the events or change them, or null. */
  get error(): GalleryError | null {
    return this._error;
  }

  /** Notebooks muted from here in this session (the API does not say which notebooks are muted). */
  isMuted(id: string): boolean {
    return this._muted.has(id);
  }

  /** Emitted when anything above changes. */
  get changed(): ISignal<InboxModel, void> {
    return this._changed;
  }

  /** Ask for the unread count now; a failure leaves the count unknown rather than wrong. */
  async refreshCount(): Promise<void> {
    if (!this._client.isLoggedIn) {
      this._setUnread(null);
      return;
    }
    this._askedAt = this._now();
    const generation = this._generation;
    let unread: number | null;
    try {
      unread = await this._client.unreadCount();
    } catch {
      unread = null;
    }
    if (generation === this._generation) {
      this._setUnread(unread);
    }
  }

  /** {@link refreshCount}, unless the count was asked for in the last {@link FOCUS_CHECK_INTERVAL_MS}. */
  async refreshOnFocus(): Promise<void> {
    if (this._now() - this._askedAt >= FOCUS_CHECK_INTERVAL_MS) {
      await this.refreshCount();
    }
  }

  /** Ask for the count every `ms` milliseconds while the page is visible; 0 stops. */
  checkEvery(ms: number = INBOX_CHECK_INTERVAL_MS): void {
    window.clearInterval(this._timer);
    this._timer = 0;
    if (ms > 0) {
      this._timer = window.setInterval(() => {
        if (this._isVisible()) {
          void this.refreshCount();
        }
      }, ms);
    }
  }

  /** Load the first page of events (`more`: the next page), and the count with them. */
  async loadEvents(more = false): Promise<void> {
    if (!this._client.isLoggedIn) {
      return;
    }
    const generation = this._generation;
    try {
      const page = await this._client.listInbox(more && this._cursor ? { cursor: this._cursor } : {});
      if (generation !== this._generation) {
        return;
      }
      this._events = more ? [...this._events, ...page.items] : page.items;
      this._cursor = page.nextCursor;
      this._error = null;
    } catch (error) {
      if (generation !== this._generation) {
        return;
      }
      this._error = asGalleryError(error);
    }
    this._changed.emit();
    await this.refreshCount();
  }

  /** Mark every event read. */
  async markAllRead(): Promise<void> {
    await this._try(async () => {
      await this._client.markInboxRead({ all: true });
      this._events = this._events.map(event => ({ ...event, read: true }));
    });
  }

  /** Mark one event read, as when the user opens it. */
  async markRead(eventId: string): Promise<void> {
    if (this._events.find(event => event.id === eventId)?.read) {
      return;
    }
    await this._try(async () => {
      await this._client.markInboxRead({ ids: [eventId] });
      this._events = this._events.map(event => (event.id === eventId ? { ...event, read: true } : event));
    });
  }

  /** Mute or unmute notebook `id`: a muted notebook brings the user no more events. */
  async setMuted(id: string, muted: boolean): Promise<void> {
    await this._try(async () => {
      const reply = await this._client.setMuted(id, muted);
      if (reply.muted) {
        this._muted.add(id);
      } else {
        this._muted.delete(id);
      }
    });
  }

  dispose(): void {
    window.clearInterval(this._timer);
    this._client.authChanged.disconnect(this._onAuthChanged, this);
  }

  /** Run a change, keep its failure for the view, then ask for the count again. */
  private async _try(action: () => Promise<void>): Promise<void> {
    try {
      await action();
      this._error = null;
    } catch (error) {
      this._error = asGalleryError(error);
    }
    this._changed.emit();
    await this.refreshCount();
  }

  private _setUnread(unread: number | null): void {
    if (unread !== this._unread) {
      this._unread = unread;
      this._changed.emit();
    }
  }

  private _onAuthChanged(): void {
    this._generation++;
    this._events = [];
    this._cursor = null;
    this._error = null;
    this._muted.clear();
    this._unread = null;
    this._changed.emit();
    void this.refreshCount();
  }

  private _client: IGalleryClient;
  private _now: () => number;
  private _isVisible: () => boolean;
  private _unread: number | null = null;
  private _events: IInboxEvent[] = [];
  private _cursor: string | null = null;
  private _error: GalleryError | null = null;
  private _muted = new Set<string>();
  private _askedAt = -Infinity;
  private _timer = 0;
  private _generation = 0;
  private _changed = new Signal<InboxModel, void>(this);
}

/** Options of {@link InboxModel}. */
export namespace InboxModel {
  /** Construction options. */
  export interface IOptions {
    /** Milliseconds now; `Date.now` unless a test injects a clock. */
    now?: () => number;
    /** Whether the page is visible; the interval asks nothing while it is hidden. */
    isVisible?: () => boolean;
  }
}

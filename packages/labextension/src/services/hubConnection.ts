import { ErrorCode } from '@notebook-gallery/core';
import { Signal, type ISignal } from '@lumino/signaling';
import { GalleryError } from '../galleryError';
import type { IGalleryClient } from '../tokens';

/**
 * Where the JupyterHub login to the gallery stands:
 * - `inactive`: the client logs in with the gallery's own form (outside a hub, or a gallery
 *   outside the hub), so there is nothing to connect;
 * - `noToken`: the page holds no hub token to present;
 * - `connecting`: asking the server who the page's token belongs to;
 * - `connected`: the server accepted the token;
 * - `denied`: 401 or 403, the server's message says whom to ask;
 * - `unreachable`: the gallery service or the hub behind it did not answer (network error, 502-504);
 * - `failed`: any other refusal, such as a service name the hub does not know (404).
 */
export type HubConnectionStatus =
  'inactive' | 'noToken' | 'connecting' | 'connected' | 'denied' | 'unreachable' | 'failed';

/**
 * Logs the client in with JupyterHub's page token as soon as it uses the hub strategy, again
 * whenever that login is lost, and on `connect()` (the sidebar's Try again button).
 */
export class HubConnection {
  /** Follow `client`'s login; call `connect()` once to start. */
  constructor(client: IGalleryClient) {
    this._client = client;
    client.authChanged.connect(this._onAuthChanged, this);
  }

  get status(): HubConnectionStatus {
    return this._status;
  }

  /** Why the last attempt failed, with the server's message; null unless denied, unreachable or failed. */
  get error(): GalleryError | null {
    return this._error;
  }

  get stateChanged(): ISignal<HubConnection, void> {
    return this._stateChanged;
  }

  /** Ask the server once more whether the page's hub token lets the user in. */
  async connect(): Promise<void> {
    const client = this._client;
    const generation = ++this._generation;
    if (client.auth.canLogIn) {
      this._set('inactive');
      return;
    }
    if (client.isLoggedIn) {
      this._set('connected');
      return;
    }
    if (!client.auth.ambientToken) {
      this._set('noToken');
      return;
    }
    this._set('connecting');
    try {
      await client.identify();
      if (generation === this._generation) {
        this._set('connected');
      }
    } catch (reason) {
      if (generation === this._generation) {
        const error = Private.asGalleryError(reason);
        this._set(Private.statusFor(error), error);
      }
    }
  }

  dispose(): void {
    this._client.authChanged.disconnect(this._onAuthChanged, this);
  }

  private _onAuthChanged(): void {
    const client = this._client;
    if (client.auth.canLogIn) {
      this._set('inactive');
    } else if (client.isLoggedIn) {
      this._set('connected');
    } else if (this._status !== 'connecting') {
      // A new strategy or server, or a login the server stopped accepting: ask again, once.
      void this.connect();
    }
  }

  private _set(status: HubConnectionStatus, error: GalleryError | null = null): void {
    if (status === this._status && error === this._error) {
      return;
    }
    this._status = status;
    this._error = error;
    this._stateChanged.emit();
  }

  private _client: IGalleryClient;
  private _status: HubConnectionStatus = 'inactive';
  private _error: GalleryError | null = null;
  private _generation = 0;
  private _stateChanged = new Signal<HubConnection, void>(this);
}

namespace Private {
  export function asGalleryError(reason: unknown): GalleryError {
    return reason instanceof GalleryError
      ? reason
      : new GalleryError(ErrorCode.INTERNAL_ERROR, 0, reason instanceof Error ? reason.message : String(reason));
  }

  export function statusFor(error: GalleryError): HubConnectionStatus {
    if (error.status === 401 || error.status === 403 || error.code === ErrorCode.HUB_ACCESS_DENIED) {
      return 'denied';
    }
    if (
      error.code === ErrorCode.NETWORK_ERROR ||
      error.code === ErrorCode.HUB_UNAVAILABLE ||
      [502, 503, 504].includes(error.status)
    ) {
      return 'unreachable';
    }
    return 'failed';
  }
}

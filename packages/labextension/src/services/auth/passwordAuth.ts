import type { IUser } from '@notebook-gallery/core';
import { Signal, type ISignal } from '@lumino/signaling';
import { normalizeServerUrl } from '../serverUrl';
import type { IAuthSession, IAuthStrategy } from '../../tokens';

/**
 * Logins typed into the sidebar (a password, an account registration or single sign-on): the
 * session API token each produced is kept in `localStorage`, one per server, so the user logs in
 * once per gallery and a reload keeps the login. The short-lived login token is never kept.
 */
export class PasswordAuth implements IAuthStrategy {
  /** Create the strategy; call `useServer` before the first request. */
  constructor(options: PasswordAuth.IOptions = {}) {
    this._storage = options.storage ?? window.localStorage;
  }

  readonly canLogIn = true;
  readonly ambientToken = null;

  get session(): IAuthSession | null {
    return this._session;
  }

  get changed(): ISignal<IAuthStrategy, void> {
    return this._changed;
  }

  useServer(serverUrl: string): void {
    this._key = Private.storageKey(normalizeServerUrl(serverUrl));
    this._session = this._load();
    this._changed.emit();
  }

  keep(session: IAuthSession): void {
    this._storage.setItem(this._key, JSON.stringify(session));
    this._session = session;
    this._changed.emit();
  }

  forget(): void {
    this._storage.removeItem(this._key);
    this._session = null;
    this._changed.emit();
  }

  authorization(token: string): string {
    return `Bearer ${token}`;
  }

  private _load(): IAuthSession | null {
    const stored = this._storage.getItem(this._key);
    const session = stored === null ? null : Private.parseSession(stored);
    if (session?.expiresAt && Date.parse(session.expiresAt) <= Date.now()) {
      this._storage.removeItem(this._key);
      return null;
    }
    return session;
  }

  private _storage: Storage;
  private _key = '';
  private _session: IAuthSession | null = null;
  private _changed = new Signal<IAuthStrategy, void>(this);
}

/** Options of the password strategy. */
export namespace PasswordAuth {
  /** Construction options. */
  export interface IOptions {
    /** Where tokens are kept; `window.localStorage` by default. */
    storage?: Storage;
  }
}

namespace Private {
  /** One key per server, so a user logs in once per gallery. */
  export function storageKey(serverUrl: string): string {
    return `notebook-gallery:auth:${serverUrl}`;
  }

  export function parseSession(text: string): IAuthSession | null {
    try {
      const value = JSON.parse(text) as Partial<IAuthSession> | null;
      if (typeof value?.token === 'string' && typeof value.user?.username === 'string') {
        return {
          token: value.token,
          tokenId: typeof value.tokenId === 'string' ? value.tokenId : null,
          expiresAt: typeof value.expiresAt === 'string' ? value.expiresAt : null,
          user: value.user as IUser
        };
      }
    } catch {
      // A hand-edited or truncated entry just means "logged out".
    }
    return null;
  }
}

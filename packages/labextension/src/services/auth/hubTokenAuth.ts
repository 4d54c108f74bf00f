import { Signal, type ISignal } from '@lumino/signaling';
import type { IAuthSession, IAuthStrategy } from '../../tokens';

/**
 * The login of a JupyterLab that JupyterHub started: the page's own token, which the hub issued
 * for the user, sent as `Authorization: token <t>` (JupyterHub's scheme). Nothing is written to
 * `localStorage`: the token lives in the page, and the hub owns logging in and out, so the
 * gallery's own login form, registration and logout are not offered.
 */
export class HubTokenAuth implements IAuthStrategy {
  /** Create the strategy for the page token `options.token` (blank when the page has none). */
  constructor(options: HubTokenAuth.IOptions) {
    this._token = options.token.trim();
  }

  readonly canLogIn = false;

  get ambientToken(): string | null {
    return this._token || null;
  }

  get session(): IAuthSession | null {
    return this._session;
  }

  get changed(): ISignal<IAuthStrategy, void> {
    return this._changed;
  }

  /** The same hub token serves any URL; the user is not known there until `identify` asks. */
  useServer(_serverUrl: string): void {
    this._session = null;
    this._changed.emit();
  }

  keep(session: IAuthSession): void {
    this._session = session;
    this._changed.emit();
  }

  forget(): void {
    this._session = null;
    this._changed.emit();
  }

  authorization(token: string): string {
    return `token ${token}`;
  }

  private _token: string;
  private _session: IAuthSession | null = null;
  private _changed = new Signal<IAuthStrategy, void>(this);
}

/** Options of the hub token strategy. */
export namespace HubTokenAuth {
  /** Construction options. */
  export interface IOptions {
    /** The page's token, from `PageConfig.getToken()`. */
    token: string;
  }
}

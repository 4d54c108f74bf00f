import type { IUser } from '@notebook-gallery/core';
import type { ISignal } from '@lumino/signaling';

/** A login this JupyterLab holds for one gallery server. */
export interface IAuthSession {
  /** The secret sent with every request. */
  token: string;
  /** The API token's id, so logging out can revoke it; null when there is nothing to revoke. */
  tokenId: string | null;
  /** When the token stops working; null when it does not expire. */
  expiresAt: string | null;
  user: IUser;
}

/**
 * Where the client's login comes from and how it is sent, kept apart from the HTTP calls so
 * another way of logging in is a new class rather than a change to the client. Today's
 * `PasswordAuth` keeps the session token a password login or single sign-on produced, one per
 * server; a JupyterHub strategy would take the page's hub token instead and send it with its
 * own scheme.
 */
export interface IAuthStrategy {
  /** The current login, or null when logged out. */
  readonly session: IAuthSession | null;
  /** Emitted whenever `session` may have changed, including a switch of server. */
  readonly changed: ISignal<IAuthStrategy, void>;

  /** Point at another server: the login kept for that server, if any, becomes current. */
  useServer(serverUrl: string): void;
  /** Keep a login the client obtained for the current server. */
  keep(session: IAuthSession): void;
  /** Forget the current login: a logout, or the server no longer accepts it. */
  forget(): void;
  /** The `Authorization` header value that presents `token`. */
  authorization(token: string): string;
}

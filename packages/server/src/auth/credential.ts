import type { ApiTokenKind, IUser } from '@notebook-gallery/core';

/**
 * What proved who a request comes from: a password change ends every session but this one, so the services need
 * to know which one it was.
 */
export type ICredential =
  /** A login token from POST /api/auth/login; `sessionId` is its `sid` claim (null in tokens signed before it existed). */
  | { kind: 'jwt'; sessionId: string | null }
  | { kind: 'apiToken'; tokenId: string; tokenKind: ApiTokenKind }
  /** The trusted reverse proxy's header. */
  | { kind: 'proxy' }
  /** A JupyterHub token (`Authorization: token <t>`), checked with the hub. */
  | { kind: 'hub' };

/** The claims that tie a login token (JWT) to the session it belongs to. */
export interface ISessionClaims {
  /** Random id of this login. */
  sid: string;
  /** The user's session epoch when it was signed. */
  sev: number;
}

/** What the authenticators ask of the accounts (services/accountService.ts implements it). */
export interface ICredentialChecker {
  /**
   * The user a validly signed login token names, if that login still counts.
   * @throws {UnauthorizedError} when the user is gone or disabled, or the session was ended.
   */
  userOfSession(username: string, claims: Partial<ISessionClaims>): Promise<IUser>;
  /**
   * The user a live API token belongs to, and the token's id and kind.
   * @throws {UnauthorizedError} for an unknown, revoked or expired token, or a disabled account.
   */
  userOfToken(secret: string): Promise<{ user: IUser; token: { id: string; kind: ApiTokenKind } }>;
  /**
   * The user a single sign-on identity names, created on first login.
   * @throws {UnauthorizedError} when the name cannot be a username or the account is disabled.
   */
  externalUser(rawName: string, email?: string | null): Promise<IUser>;
}

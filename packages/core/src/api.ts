/**
 * The gallery's REST API types, shared by the server (which validates them with JSON schemas)
 * and the extension's client. Timestamps are ISO 8601 strings in UTC.
 */
import type { ErrorCode } from './errorCodes';

/** Every non-2xx reply. */
export interface IApiError {
  error: ErrorCode | string;
  message: string;
  [detail: string]: unknown;
}

/** A gallery user as other users see them. */
export interface IUser {
  username: string;
  isAdmin: boolean;
}

/** Who may read a notebook besides its owner and explicit shares. */
export type Visibility = 'private' | 'group' | 'public';

/** A member's role in a group: owners manage membership, editors save revisions, members read. */
export type GroupRole = 'owner' | 'editor' | 'member';

/** What an explicit share allows. */
export type ShareRole = 'reader' | 'editor';

/** Owners and share targets are users or groups; user and group names live in separate namespaces. */
export type PrincipalKind = 'user' | 'group';

/** A group and its members, as a member sees it. */
export interface IGroup {
  name: string;
  /** The caller's role; null for admins who are not members. */
  role: GroupRole | null;
  members: Array<{ username: string; role: GroupRole }>;
}

/** `GET /api/groups` reply: the caller's groups (every group for admins). */
export interface IGroupListResponse {
  items: IGroup[];
}

/** How new accounts come to exist, set by the admin. */
export type RegistrationMode = 'closed' | 'open' | 'domains';

/** `GET /api/auth/config` reply (no login needed): what the login form should offer. */
export interface IAuthConfig {
  password: boolean;
  registration: RegistrationMode;
  /** Set when single sign-on is available: open this URL (plus `?origin=`) in a popup. */
  ssoLoginUrl: string | null;
  /** Human name of the single sign-on method, e.g. "University login". */
  ssoLabel: string | null;
  anonymousRead: boolean;
  /** What the save dialog should pre-select. */
  defaultVisibility: Visibility;
}

/** `POST /api/auth/register` body. */
export interface IRegisterRequest {
  username: string;
  password: string;
  email?: string;
}

/** `POST /api/auth/password` body. */
export interface IChangePasswordRequest {
  currentPassword: string;
  newPassword: string;
}

/** A personal API token as listed; the secret itself is shown only once, at creation. */
export interface IApiTokenInfo {
  id: string;
  name: string;
  createdAt: string;
  lastUsedAt: string | null;
  expiresAt: string | null;
}

/** `POST /api/tokens` body. */
export interface ICreateApiTokenRequest {
  name: string;
  /** Lifetime in days; absent means the server's default. */
  expiresInDays?: number;
}

/** `POST /api/tokens` reply: `token` is shown this once and stored only hashed. */
export interface ICreateApiTokenResponse extends IApiTokenInfo {
  token: string;
}

/** `GET /api/tokens` reply. */
export interface IApiTokenListResponse {
  items: IApiTokenInfo[];
}

/** What the single sign-on popup posts to `window.opener` (only to an allowed origin). */
export interface ISsoTokenMessage {
  type: 'notebook-gallery:token';
  token: string;
  /** The token's id, so that logging out can revoke it. */
  tokenId: string;
  expiresAt: string | null;
  user: IUser;
}

/** `POST /api/auth/login` body. */
export interface ILoginRequest {
  username: string;
  password: string;
}

/** `POST /api/auth/login` reply; send the token as `Authorization: Bearer <token>`. */
export interface ILoginResponse {
  token: string;
  /** When the token stops working. */
  expiresAt: string;
  user: IUser;
}

/** `GET /healthz` reply. */
export interface IHealthResponse {
  status: 'ok';
  version: string;
}

/**
 * The gallery's REST API types, shared by the server (which validates them with JSON schemas)
 * and the extension's client. Timestamps are ISO 8601 strings in UTC.
 */
import type { ErrorCode } from './errorCodes';
import type { INotebook } from './nbformat';

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

/** A user or a group. */
export interface IPrincipal {
  kind: PrincipalKind;
  name: string;
}

/** One explicit share of a notebook. */
export interface IShare extends IPrincipal {
  role: ShareRole;
}

/** `GET /api/notebooks/:id/sharing` reply and `PUT` body: who can see the notebook. */
export interface ISharing {
  visibility: Visibility;
  /** The group that `group` visibility publishes to; for a group-owned notebook, its owner. */
  group: string | null;
  shares: IShare[];
}

/** `POST /api/notebooks/:id/transfer` body. */
export interface ITransferRequest {
  owner: IPrincipal;
}

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

/** The notebook a copy was saved from, when saved as a new notebook. */
export interface IParentRef {
  id: string;
  revision: string;
}

/** A notebook's metadata, as listed and as returned after a save. */
export interface INotebookSummary {
  id: string;
  title: string;
  description: string;
  tags: string[];
  /** Username of the owning user, or name of the owning group (see `ownerKind`). */
  owner: string;
  ownerKind: PrincipalKind;
  visibility: Visibility;
  /** The group `group` visibility publishes to, or null. */
  group: string | null;
  createdAt: string;
  updatedAt: string;
  /** Git commit SHA of the latest revision. */
  revision: string;
  /** 1-based number of the latest revision. */
  revisionNumber: number;
  parent: IParentRef | null;
  /** Whether the caller may save new revisions. */
  canEdit: boolean;
  /** Whether the caller may change metadata, visibility and shares, transfer and delete. */
  canManage: boolean;
}

/** A list item; `snippet` is set when the list answers a search. */
export interface INotebookListItem extends INotebookSummary {
  snippet?: string;
}

/** Sort orders for `GET /api/notebooks`. */
export type NotebookSort = 'updated' | 'created' | 'title' | 'relevance';

/** Sidebar filters: notebooks I own, shared with me explicitly, of my groups, or public. */
export type NotebookScope = 'mine' | 'shared' | 'group' | 'public';

/** `GET /api/notebooks` query. */
export interface INotebookListQuery {
  q?: string;
  scope?: NotebookScope;
  tag?: string;
  owner?: string;
  sort?: NotebookSort;
  limit?: number;
  cursor?: string;
}

/** `GET /api/notebooks` reply; pass `nextCursor` back as `cursor` for the next page. */
export interface INotebookListResponse {
  items: INotebookListItem[];
  nextCursor: string | null;
}

/** `POST /api/notebooks` body. */
export interface ICreateNotebookRequest {
  notebook: INotebook;
  title: string;
  description?: string;
  tags?: string[];
  /** Commit message; a default is used when absent. */
  message?: string;
  /** Set when this is a copy saved as a new notebook. */
  parent?: IParentRef;
  /** Defaults to the admin's setting (private out of the box). */
  visibility?: Visibility;
  /** Required with `group` visibility; also makes the notebook group-owned when `ownedByGroup`. */
  group?: string;
  /** Create the notebook owned by `group` instead of the caller (caller must be its owner or editor). */
  ownedByGroup?: boolean;
}

/** `PUT /api/notebooks/:id` body. */
export interface IUpdateNotebookRequest {
  notebook: INotebook;
  /** The revision the client's copy is based on; a stale one gets 409 REVISION_CONFLICT. */
  baseRevision: string;
  message?: string;
}

/** `PATCH /api/notebooks/:id` body. */
export interface IPatchNotebookRequest {
  title?: string;
  description?: string;
  tags?: string[];
  visibility?: Visibility;
  group?: string | null;
}

/** Reply to create and update: the notebook after the save. */
export interface ISaveNotebookResponse extends INotebookSummary {
  /** False when the stripped notebook equalled the latest revision, so no commit was made. */
  changed: boolean;
}

/** Extra fields of a 409 REVISION_CONFLICT reply. */
export interface IRevisionConflict extends IApiError {
  currentRevision: string;
}

/** One saved revision. */
export interface IRevision {
  /** Git commit SHA. */
  revision: string;
  /** 1-based, in save order. */
  number: number;
  author: string;
  message: string;
  createdAt: string;
}

/** `GET /api/notebooks/:id/revisions` reply, newest first. */
export interface IRevisionListResponse {
  items: IRevision[];
}

/** `GET /healthz` reply. */
export interface IHealthResponse {
  status: 'ok';
  version: string;
}

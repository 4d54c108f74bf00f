import type {
  IApiTokenInfo,
  ICreateApiTokenRequest,
  ICreateApiTokenResponse,
  IAuthConfig,
  IChangePasswordRequest,
  IChangeRequest,
  IChangeRequestDetail,
  IChangeRequestListQuery,
  ICreateChangeRequest,
  ILineageResponse,
  IMergedSaveResponse,
  IRestoreRevisionRequest,
  IRevision,
  IRevisionDiffQuery,
  IRevisionDiffResponse,
  ICreateNotebookRequest,
  IDeletionImpact,
  IGroup,
  INotebook,
  INotebookListItem,
  INotebookListQuery,
  INotebookListResponse,
  INotebookSummary,
  IRegisterRequest,
  ISaveNotebookResponse,
  ISharing,
  ISsoTokenMessage,
  IUpdateNotebookRequest,
  IUser,
  NotebookScope,
  NotebookSort,
  ActivityKind,
  IFacetsQuery,
  IFacetsResponse,
  IStarResponse,
  ITagsResponse,
  IHealthReportRequest,
  ISimilarResponse,
  IPrincipalSearchResponse,
  IComment,
  ICommentListResponse,
  ICreateCommentRequest,
  IInboxQuery,
  IInboxResponse,
  IMarkReadRequest,
  IMuteResponse
} from '@notebook-gallery/core';
import { Token } from '@lumino/coreutils';
import type { ISignal } from '@lumino/signaling';
import type { GalleryError } from './galleryError';

/** Command ids, in one place so menus, the toolbar schema, other extensions and tests agree on them. */
export const CommandIDs = {
  /** Upload the current notebook (stripped of outputs) to the gallery. */
  save: 'gallery:save',
  /** With `{ id }`, open a copy of that gallery notebook; without, reveal the sidebar's search. */
  open: 'gallery:open',
  /** With `{ id }`, choose who can see that gallery notebook; without, the current notebook's. */
  share: 'gallery:share',
  /** Change the password, sign out everywhere and manage personal access tokens (not inside JupyterHub). */
  account: 'gallery:account',
  /** Forget the token for the current server (not offered inside JupyterHub, which owns the login). */
  logout: 'gallery:logout',
  /** Reload the sidebar's list. */
  refresh: 'gallery:refresh',
  /** With `{ id }`, show that gallery notebook in the sidebar's preview, in place of the list. */
  preview: 'gallery:preview',
  /**
   * With `{ id }` (without, the notebook the current one was opened from), delete that gallery notebook after a
   * confirmation that says what it affects; owners and admins only.
   */
  delete: 'gallery:delete',
  /**
   * With `{ path }` or for the current notebook, bring a gallery copy to the gallery's latest revision (replace,
   * merge, or put the new version beside it); with `{ id }`, the user's copy of that gallery notebook.
   */
  update: 'gallery:update',

  // History, diffs and change requests.
  /** With `{ id }`, show that gallery notebook's history; without, the current notebook's. */
  history: 'gallery:history',
  /** Send the current notebook as a change request to the gallery notebook it came from (for readers). */
  proposeChanges: 'gallery:propose-changes',
  /** With `{ id, requestId }`, show one change request with its diff, to accept, decline or withdraw it. */
  openChangeRequest: 'gallery:open-change-request',

  // Links: a notebook's web page, and links from the web back into JupyterLab.
  /** With `{ id }`, put the link to that notebook's web page (`<server URL>/n/<id>`) on the clipboard. */
  copyLink: 'gallery:copy-link',
  /** With `{ id }`, open that notebook's web page in a new browser tab. */
  openInBrowser: 'gallery:open-in-browser',
  /**
   * With `{ search }`, the query of a link into JupyterLab (`?gallery=<id>&revision=<rev>` or `?gallery-tag=<tag>`):
   * make the reader's copies or bring them up to date, once logged in. The router runs it for such a URL.
   */
  openLink: 'gallery:open-link',
  // Comments and the inbox.
  /**
   * Show the comments panel for the current notebook (a gallery copy) with the focus in its box; with `{ cellId }`,
   * at that cell's comments.
   */
  comments: 'gallery:comments',
  /** Open the Gallery sidebar's inbox, the events that concern the user. */
  inbox: 'gallery:inbox',
  /** Mark every event of the inbox read. */
  markInboxRead: 'gallery:mark-inbox-read',
  /** With `{ id }` (without, the current notebook's), mute that gallery notebook; `{ muted: false }` unmutes it. */
  mute: 'gallery:mute'
} as const;

/** Talks to the gallery server; every method rejects with a `GalleryError`. */
export interface IGalleryClient {
  /** Base URL of the gallery server, without a trailing slash. */
  readonly serverUrl: string;
  /** The logged-in user for `serverUrl`, or null. */
  readonly user: IUser | null;
  /** Whether a token for `serverUrl` is held. */
  readonly isLoggedIn: boolean;
  /** The id of the API token this JupyterLab logs in with; null when logged out or not known. */
  readonly tokenId: string | null;
  /** How this client logs in; the sidebar offers its login form only when `auth.canLogIn`. */
  readonly auth: IAuthStrategy;
  /** Emitted on login, logout, an expired token (401) and a change of server or of strategy. */
  readonly authChanged: ISignal<IGalleryClient, void>;

  /** What the server's login form should offer; needs no login. */
  authConfig(): Promise<IAuthConfig>;
  /**
   * Log in with a password, then exchange the short-lived login for a session API token and keep
   * that: a password change elsewhere or Sign out everywhere ends it, and logout revokes it.
   */
  login(username: string, password: string): Promise<IUser>;
  /** Keep the session API token that single sign-on posted back (checked with the server first). */
  loginWithSsoToken(message: ISsoTokenMessage): Promise<IUser>;
  /** Create an account (when the server allows it) and stay logged in to it with a session token. */
  register(request: IRegisterRequest): Promise<IUser>;
  /**
   * Ask the server whom the strategy's own credential (`auth.ambientToken`, JupyterHub's page
   * token) belongs to, with `GET /api/auth/me`, and keep that login. Resolves to null when the
   * strategy holds no such credential.
   *
   * @throws {GalleryError} the server's refusal (401, 403 `HUB_ACCESS_DENIED`, 503 `HUB_UNAVAILABLE`) or a network error.
   */
  identify(): Promise<IUser | null>;
  /**
   * Revoke this JupyterLab's API token on the server (failures are ignored) and forget it. Does
   * nothing when `auth.canLogIn` is false: inside JupyterHub the user logs out of the hub.
   */
  logout(): Promise<void>;
  /**
   * Change the logged-in user's password. The server signs out every other login and session
   * token of the user; this JupyterLab stays logged in and personal tokens keep working.
   */
  changePassword(request: IChangePasswordRequest): Promise<void>;
  /** End every login and session token of the user, this JupyterLab's included; personal tokens are kept. */
  signOutEverywhere(): Promise<void>;
  /** The logged-in user's API tokens (personal and session), without their secrets. */
  listTokens(): Promise<IApiTokenInfo[]>;
  /** Create a personal API token; its secret is in this reply only. */
  createToken(request: ICreateApiTokenRequest): Promise<ICreateApiTokenResponse>;
  /** Revoke one of the logged-in user's API tokens; revoking `tokenId` logs out. */
  deleteToken(id: string): Promise<void>;
  /** One page of the gallery's notebooks, with the discovery fields a gallery with stars and health sends. */
  listNotebooks(query?: INotebookListQuery): Promise<INotebookListResponse>;
  /** A notebook's metadata, including whether the caller may save to it. */
  getNotebook(id: string): Promise<INotebookSummary>;
  /** A notebook's content at `revision`, or at the latest revision. */
  getNotebookContent(id: string, revision?: string): Promise<INotebook>;
  /** Save a notebook the gallery does not have yet. */
  createNotebook(request: ICreateNotebookRequest): Promise<ISaveNotebookResponse>;
  /**
   * Save a new revision. With `merge`, a stale `baseRevision` is merged on the server: the reply says `merged` and
   * carries the merged notebook, or rejects with REVISION_CONFLICT whose details hold `currentRevision` and the
   * `conflicts`. Without it a stale base rejects with REVISION_CONFLICT.
   */
  updateNotebook(id: string, request: IUpdateNotebookRequest): Promise<ISaveNotebookResponse | IMergedSaveResponse>;
  /** What deleting a notebook would affect: its revisions, forks and the people who opened a copy; managers only. */
  getDeletionImpact(id: string): Promise<IDeletionImpact>;
  /** Delete a notebook from the gallery; managers only. Local copies are not touched. */
  deleteNotebook(id: string): Promise<void>;
  /** Who can see a notebook; managers only (403 otherwise). */
  getSharing(id: string): Promise<ISharing>;
  /** Replace a notebook's visibility and shares; managers only. */
  setSharing(id: string, sharing: ISharing): Promise<ISharing>;
  /** The groups the logged-in user belongs to (every group for admins). */
  listGroups(): Promise<IGroup[]>;
  /** Usernames matching `query`, for share suggestions. */
  searchUsers(query: string): Promise<string[]>;
  /**
   * Users and groups whose names start with `prefix` in any case, at most `limit` of each (10 by default): whom a
   * notebook can be shared with, groups the user is not in included.
   */
  findPrincipals(prefix: string, limit?: number): Promise<IPrincipalSearchResponse>;

  // History, diffs, lineage and change requests.
  /** A notebook's revisions, newest first. */
  listRevisions(id: string): Promise<IRevision[]>;
  /** The diff between two revisions; `to` defaults to the latest, `from` to the revision before `to`. */
  getRevisionDiff(id: string, query?: IRevisionDiffQuery): Promise<IRevisionDiffResponse>;
  /** Copy an old revision forward as a new one (needs edit); history is never rewritten. */
  restoreRevision(id: string, request: IRestoreRevisionRequest): Promise<IMergedSaveResponse>;
  /** What the notebook was forked from and its forks, limited to what the user may read. */
  getLineage(id: string): Promise<ILineageResponse>;
  /** Propose a new revision of a notebook the user may read but not edit. */
  createChangeRequest(id: string, request: ICreateChangeRequest): Promise<IChangeRequest>;
  /** Change requests across notebooks: the user's own (`proposer`) or those to review (`reviewer`), newest first. */
  listChangeRequests(query?: IChangeRequestListQuery): Promise<IChangeRequest[]>;
  /** One notebook's change requests: all of them for its editors, only the user's own for others. */
  listNotebookChangeRequests(id: string, status?: IChangeRequest['status']): Promise<IChangeRequest[]>;
  /** One change request with its diff from the revision it was based on. */
  getChangeRequest(id: string, requestId: string): Promise<IChangeRequestDetail>;
  /** The notebook a change request proposes. */
  getChangeRequestContent(id: string, requestId: string): Promise<INotebook>;
  /** Accept a change request: a new revision authored by the proposer, merged when the notebook moved on. */
  acceptChangeRequest(id: string, requestId: string, comment?: string): Promise<IMergedSaveResponse>;
  /** Decline a change request with an optional comment for the proposer. */
  declineChangeRequest(id: string, requestId: string, comment?: string): Promise<IChangeRequest>;
  /** Withdraw one of the user's own open change requests. */
  withdrawChangeRequest(id: string, requestId: string): Promise<IChangeRequest>;
  /** Report which code cells of a gallery revision ran without error (ids and source hashes, never outputs). */
  reportHealth(id: string, report: IHealthReportRequest): Promise<void>;

  // Discovery: stars, activity, facets, tag suggestions and similar notebooks.
  /** Star a notebook for the logged-in user (idempotent); resolves with the new count. */
  starNotebook(id: string): Promise<IStarResponse>;
  /** Take the logged-in user's star off a notebook (idempotent); resolves with the new count. */
  unstarNotebook(id: string): Promise<IStarResponse>;
  /** Count a view, open or download; the server ignores a repeat within the hour. */
  recordActivity(id: string, kind: ActivityKind): Promise<void>;
  /** The top tags, owners and languages over everything a search (and filter) finds, with counts. */
  getFacets(query?: IFacetsQuery): Promise<IFacetsResponse>;
  /** Tags of readable notebooks that start with `prefix` (case-insensitive), most used first. */
  suggestTags(prefix: string, limit?: number): Promise<ITagsResponse['items']>;
  /** The notebooks most like `id`, and those opened by people who opened it; both only what the user can read. */
  getSimilar(id: string, limit?: number): Promise<ISimilarResponse>;

  // Comments and the inbox.
  /** A notebook's comment threads with their state against the latest revision, and the outdated ones. */
  listComments(id: string): Promise<ICommentListResponse>;
  /** Comment on the notebook, a cell (`anchor`) or reply to a thread (`parentId`); the text is markdown. */
  createComment(id: string, request: ICreateCommentRequest): Promise<IComment>;
  /** Change the text of the user's own comment; it shows as edited. */
  editComment(commentId: string, body: string): Promise<IComment>;
  /** Resolve (true) or reopen (false) a thread. */
  setCommentResolved(commentId: string, resolved: boolean): Promise<IComment>;
  /** Delete a comment with its replies (its author, or whoever may edit the notebook, or an admin). */
  deleteComment(commentId: string): Promise<void>;
  /** One page of the user's inbox, newest first. */
  listInbox(query?: IInboxQuery): Promise<IInboxResponse>;
  /** How many of the user's inbox events are unread. */
  unreadCount(): Promise<number>;
  /** Mark events read: `{ ids }` or `{ all: true }`. */
  markInboxRead(request: IMarkReadRequest): Promise<void>;
  /** Mute (true) or unmute (false) a notebook: a muted one brings the user no events. */
  setMuted(id: string, muted: boolean): Promise<IMuteResponse>;
}

/** The gallery client, shared so other extensions can reuse the user's login. */
export const IGalleryClient = new Token<IGalleryClient>(
  'jupyterlab-notebook-gallery:IGalleryClient',
  'Calls the Notebook Gallery server with the logged-in user token.'
);

/** What the sidebar list is doing. */
export type GalleryStatus = 'idle' | 'loading' | 'loadingMore' | 'ready' | 'error';

/** The sidebar's state: the current search and filter and the pages loaded so far. */
export interface IGalleryModel {
  /** The client the model lists through. */
  readonly client: IGalleryClient;
  /** What the list is doing. */
  readonly status: GalleryStatus;
  /** The search the items answer. */
  readonly query: string;
  /** The filter the items answer; null lists everything the user can see. */
  readonly scope: NotebookScope | null;
  /** Whether only the user's starred notebooks are listed. */
  readonly starred: boolean;
  /** The order asked for; null leaves it to the server (best match when searching, latest update otherwise). */
  readonly sort: NotebookSort | null;
  /** The notebooks loaded so far. */
  readonly items: readonly INotebookListItem[];
  /** Top tags, owners and languages of the whole result; null until known, or when the gallery has none. */
  readonly facets: IFacetsResponse | null;
  /** Whether the server has another page. */
  readonly hasMore: boolean;
  /** The last failure, when `status` is `'error'`. */
  readonly error: GalleryError | null;
  /** Emitted whenever any of the above changes. */
  readonly stateChanged: ISignal<IGalleryModel, void>;

  /**
   * Load the first page for a new search text, filter, or both. One call for both, so that changing the filter
   * right after typing searches for what was typed, in one request.
   */
  setFilter(filter: IGalleryModel.IFilter): Promise<void>;
  /** Reload the first page of the current search. */
  refresh(): Promise<void>;
  /** Append the next page. */
  loadMore(): Promise<void>;
  /**
   * Star or unstar notebook `id` and update its item where it is, without reloading the list (a notebook unstarred
   * under the Starred filter stays until the next search, so it can be starred again).
   *
   * @throws {GalleryError} when the server refuses.
   */
  setStarred(id: string, starred: boolean): Promise<IStarResponse>;
}

/** Types of the gallery model. */
export namespace IGalleryModel {
  /** What to list; a field left out keeps its current value. */
  export interface IFilter {
    /** Words to search for; empty lists everything. */
    query?: string;
    /** The "Show" filter; null lists everything the user can see. */
    scope?: NotebookScope | null;
    /** Only the user's starred notebooks. */
    starred?: boolean;
    /** The order; null for the server's default. */
    sort?: NotebookSort | null;
  }
}

/** The sidebar's state, shared so other extensions can refresh the list after a change. */
export const IGalleryModel = new Token<IGalleryModel>(
  'jupyterlab-notebook-gallery:IGalleryModel',
  'The Notebook Gallery sidebar list: search, filter, pages and status.'
);

/** The extension's settings (schema/plugin.json), loaded once and followed as the user edits them. */
export interface IGallerySettings {
  /**
   * Base URL of the gallery server, never blank: the `serverUrl` setting when set, otherwise the
   * hub's gallery service inside JupyterHub, otherwise `http://127.0.0.1:8765`.
   */
  readonly serverUrl: string;
  /** True when `serverUrl` is the hub's service found automatically, so the page's hub token logs in. */
  readonly viaHub: boolean;
  /** The gallery's JupyterHub service name, `gallery` unless set. */
  readonly hubServiceName: string;
  /** Folder for opened copies, relative to the Jupyter root; blank means the root itself. */
  readonly folder: string;
  /** Minutes between checks of the local copies for newer gallery revisions; 0 checks only on open and refresh. */
  readonly updateCheckMinutes: number;
  /** Take a newer revision into an unedited copy when it is opened, without asking (course hubs). */
  readonly autoUpdateUnedited: boolean;
  /** Whether the user opted in to report which cells of gallery notebooks run (setting `reportHealth`). */
  readonly reportHealth: boolean;
  /** Emitted after any setting changes. */
  readonly changed: ISignal<IGallerySettings, void>;
}

/** The settings, shared so the client, the commands and other extensions read one copy. */
export const IGallerySettings = new Token<IGallerySettings>(
  'jupyterlab-notebook-gallery:IGallerySettings',
  'The Notebook Gallery settings: server URL and the folder for opened copies.'
);

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
 * another way of logging in is a new class rather than a change to the client. `PasswordAuth`
 * keeps the session token a password login or single sign-on produced, one per server;
 * `HubTokenAuth` takes the page's JupyterHub token and sends it with JupyterHub's scheme.
 */
export interface IAuthStrategy {
  /** Whether the user logs in through the gallery's own forms (false: the environment owns the login). */
  readonly canLogIn: boolean;
  /** A credential the environment already holds (JupyterHub's page token), for `identify`; else null. */
  readonly ambientToken: string | null;
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

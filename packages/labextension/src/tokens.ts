import type {
  IApiTokenInfo,
  IAuthConfig,
  IChangePasswordRequest,
  ICreateApiTokenRequest,
  ICreateApiTokenResponse,
  ICreateNotebookRequest,
  IGroup,
  INotebook,
  INotebookListItem,
  INotebookListQuery,
  INotebookListResponse,
  INotebookSummary,
  IPatchNotebookRequest,
  IPrincipal,
  IRegisterRequest,
  IRevisionListResponse,
  ISaveNotebookResponse,
  ISharing,
  IUpdateNotebookRequest,
  IUser,
  NotebookScope
} from '@notebook-gallery/core';
import { Token } from '@lumino/coreutils';
import type { ISignal } from '@lumino/signaling';
import type { GalleryError } from './galleryError';

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
  /** Emitted on login, logout, an expired token (401) and a change of server. */
  readonly authChanged: ISignal<IGalleryClient, void>;

  /** What the server's login form should offer; needs no login. */
  authConfig(): Promise<IAuthConfig>;
  /** Log in with a password and keep a personal API token (not the short-lived login token) for this server. */
  login(username: string, password: string): Promise<IUser>;
  /** Keep a personal API token handed over by single sign-on (checked with the server first); logout revokes it. */
  loginWithApiToken(apiToken: string, tokenId: string, expiresAt: string | null): Promise<IUser>;
  /** Create an account (when the server allows it) and stay logged in to it. */
  register(request: IRegisterRequest): Promise<IUser>;
  /** Revoke this JupyterLab's API token on the server (failures are ignored) and forget it. */
  logout(): Promise<void>;
  /** The user the token belongs to. */
  me(): Promise<IUser>;
  /** Change the logged-in user's password. */
  changePassword(request: IChangePasswordRequest): Promise<void>;
  /** The logged-in user's personal API tokens, without their secrets. */
  listTokens(): Promise<IApiTokenInfo[]>;
  /** Create a personal API token; its secret is in this reply only. */
  createToken(request: ICreateApiTokenRequest): Promise<ICreateApiTokenResponse>;
  /** Revoke one of the logged-in user's API tokens; revoking `tokenId` logs out. */
  deleteToken(id: string): Promise<void>;
  /** One page of the gallery's notebooks. */
  listNotebooks(query?: INotebookListQuery): Promise<INotebookListResponse>;
  /** A notebook's metadata, including whether the caller may save to it. */
  getNotebook(id: string): Promise<INotebookSummary>;
  /** A notebook's content at `revision`, or at the latest revision. */
  getNotebookContent(id: string, revision?: string): Promise<INotebook>;
  /** Save a notebook the gallery does not have yet. */
  createNotebook(request: ICreateNotebookRequest): Promise<ISaveNotebookResponse>;
  /** Save a new revision; rejects with REVISION_CONFLICT when `baseRevision` is stale. */
  updateNotebook(id: string, request: IUpdateNotebookRequest): Promise<ISaveNotebookResponse>;
  /** Change a notebook's title, description or tags. */
  patchNotebook(id: string, request: IPatchNotebookRequest): Promise<INotebookSummary>;
  /** Delete a notebook and its history. */
  deleteNotebook(id: string): Promise<void>;
  /** A notebook's revisions, newest first. */
  listRevisions(id: string): Promise<IRevisionListResponse>;
  /** Who can see a notebook; managers only (403 otherwise). */
  getSharing(id: string): Promise<ISharing>;
  /** Replace a notebook's visibility and shares; managers only. */
  setSharing(id: string, sharing: ISharing): Promise<ISharing>;
  /** Give a notebook to another user or group. */
  transferNotebook(id: string, owner: IPrincipal): Promise<INotebookSummary>;
  /** The groups the logged-in user belongs to (every group for admins). */
  listGroups(): Promise<IGroup[]>;
  /** Usernames matching `query`, for share suggestions. */
  searchUsers(query: string): Promise<string[]>;
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
  /** The notebooks loaded so far. */
  readonly items: readonly INotebookListItem[];
  /** Whether the server has another page. */
  readonly hasMore: boolean;
  /** The last failure, when `status` is `'error'`. */
  readonly error: GalleryError | null;
  /** Emitted whenever any of the above changes. */
  readonly stateChanged: ISignal<IGalleryModel, void>;

  /** Load the first page of notebooks matching `query`. */
  search(query: string): Promise<void>;
  /** Load the first page of the current search under another filter. */
  setScope(scope: NotebookScope | null): Promise<void>;
  /** Reload the first page of the current search. */
  refresh(): Promise<void>;
  /** Append the next page. */
  loadMore(): Promise<void>;
}

/** The sidebar's state, shared so other extensions can refresh the list after a change. */
export const IGalleryModel = new Token<IGalleryModel>(
  'jupyterlab-notebook-gallery:IGalleryModel',
  'The Notebook Gallery sidebar list: search, filter, pages and status.'
);

import type {
  ICreateNotebookRequest,
  INotebook,
  INotebookListItem,
  INotebookListQuery,
  INotebookListResponse,
  INotebookSummary,
  IPatchNotebookRequest,
  IRevisionListResponse,
  ISaveNotebookResponse,
  IUpdateNotebookRequest,
  IUser
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
  /** Emitted on login, logout, an expired token (401) and a change of server. */
  readonly authChanged: ISignal<IGalleryClient, void>;

  /** Log in and keep the token for this server. */
  login(username: string, password: string): Promise<IUser>;
  /** Forget the token for this server. */
  logout(): void;
  /** The user the token belongs to. */
  me(): Promise<IUser>;
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
}

/** The gallery client, shared so other extensions can reuse the user's login. */
export const IGalleryClient = new Token<IGalleryClient>(
  'jupyterlab-notebook-gallery:IGalleryClient',
  'Calls the Notebook Gallery server with the logged-in user token.'
);

/** What the sidebar list is doing. */
export type GalleryStatus = 'idle' | 'loading' | 'loadingMore' | 'ready' | 'error';

/** The sidebar's state: the current search and the pages loaded so far. */
export interface IGalleryModel {
  /** The client the model lists through. */
  readonly client: IGalleryClient;
  /** What the list is doing. */
  readonly status: GalleryStatus;
  /** The search the items answer. */
  readonly query: string;
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
  /** Reload the first page of the current search. */
  refresh(): Promise<void>;
  /** Append the next page. */
  loadMore(): Promise<void>;
}

/** The sidebar's state, shared so other extensions can refresh the list after a change. */
export const IGalleryModel = new Token<IGalleryModel>(
  'jupyterlab-notebook-gallery:IGalleryModel',
  'The Notebook Gallery sidebar list: search, pages and status.'
);

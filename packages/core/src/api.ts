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
  /** Username of the owner. */
  owner: string;
  createdAt: string;
  updatedAt: string;
  /** Git commit SHA of the latest revision. */
  revision: string;
  /** 1-based number of the latest revision. */
  revisionNumber: number;
  parent: IParentRef | null;
  /** Whether the caller may save new revisions, edit metadata and delete. */
  canEdit: boolean;
}

/** A list item; `snippet` is set when the list answers a search. */
export interface INotebookListItem extends INotebookSummary {
  snippet?: string;
}

/** Sort orders for `GET /api/notebooks`. */
export type NotebookSort = 'updated' | 'created' | 'title' | 'relevance';

/** `GET /api/notebooks` query. */
export interface INotebookListQuery {
  q?: string;
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

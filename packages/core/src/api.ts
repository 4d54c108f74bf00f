/**
 * The gallery's REST API types, shared by the server (which validates them with JSON schemas)
 * and the extension's client. Timestamps are ISO 8601 strings in UTC.
 */
import type { INotebook } from './nbformat';
import type { IApiError, PrincipalKind, ShareRole, Visibility } from './schemas/common';

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

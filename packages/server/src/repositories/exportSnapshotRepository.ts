import type { Visibility } from '@notebook-gallery/core';

/** Which notebooks an export holds; all of them when every filter is null (filters combine with AND). */
export interface IExportFilters {
  /** Notebooks this user owns (for a group-owned notebook: the user who made it group-owned). */
  owner: string | null;
  /** Notebooks with this tag, in any case. */
  tag: string | null;
  /** Notebooks owned by or visible to this group. */
  group: string | null;
}

/** One revision on the notebook's `main` branch. */
export interface IExportedRevision {
  /** 1-based, as the API numbers them. */
  number: number;
  /** Its commit in the bundle. */
  commit: string;
  author: string;
  message: string;
  createdAt: string;
}

/** A share of the notebook with a user or a group. */
export interface IExportedShare {
  kind: 'user' | 'group';
  principal: string;
  role: 'reader' | 'editor';
}

/** A star, with who gave it and when. */
export interface IExportedStar {
  username: string;
  createdAt: string;
}

/** A comment or reply; anchors say which cell and lines of which revision (or proposal commit) it is on. */
export interface IExportedComment {
  id: string;
  author: string;
  body: string;
  createdAt: string;
  editedAt: string | null;
  resolvedAt: string | null;
  resolvedBy: string | null;
  /** The thread's root for a reply. */
  parentId: string | null;
  /** The change request a review comment is on. */
  changeRequestId: string | null;
  cellId: string | null;
  /** The commit the cell anchor was written on. */
  revision: string | null;
  sourceHash: string | null;
  lineFrom: number | null;
  lineTo: number | null;
}

/** A change request; its proposal commit is `refs/change-requests/<id>` in the bundle. */
export interface IExportedChangeRequest {
  id: string;
  proposer: string;
  message: string;
  /** The commit it was proposed on. */
  baseRevision: string;
  commit: string;
  status: 'open' | 'accepted' | 'declined' | 'withdrawn';
  createdAt: string;
  decidedAt: string | null;
  decidedBy: string | null;
  comment: string | null;
  acceptedRevision: string | null;
}

/** An account the notebook names (owner, author, sharer, commenter…): no password hash, no tokens, no admin flag. */
export interface IExportedUser {
  username: string;
  email: string | null;
  createdAt: string;
}

/** A group the notebook names, with its members (who are in the users list too). */
export interface IExportedGroup {
  name: string;
  createdAt: string;
  members: { username: string; role: 'owner' | 'editor' | 'member' }[];
}

/** What `notebooks/<id>/notebook.json` holds. */
export interface IExportedNotebook {
  id: string;
  title: string;
  description: string;
  tags: string[];
  visibility: Visibility;
  ownerKind: 'user' | 'group';
  owner: string;
  group: string | null;
  forkedFrom: { id: string; revision: string | null } | null;
  createdAt: string;
  updatedAt: string;
  /** Oldest first; the last one is the head of `main` in the bundle. */
  revisions: IExportedRevision[];
  shares: IExportedShare[];
  stars: IExportedStar[];
  /** Oldest first; a reply after its root. */
  comments: IExportedComment[];
  changeRequests: IExportedChangeRequest[];
  users: IExportedUser[];
  groups: IExportedGroup[];
}

/** Reads what an export holds, from one consistent snapshot of the database. */
export interface IExportSnapshotRepository {
  /**
   * Every notebook the filters select, sorted by id, with everything an export holds about it, all read in one read
   * transaction: a snapshot as of one moment, however the server writes meanwhile.
   */
  readNotebooks(filters: IExportFilters): Promise<IExportedNotebook[]>;
}

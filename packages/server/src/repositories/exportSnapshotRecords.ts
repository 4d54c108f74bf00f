import type { Visibility } from '@notebook-gallery/core';
import type { IExportedGroup, IExportedNotebook, IExportedUser } from './exportSnapshotRepository';

/** A row of `notebooks` as both backends select it for an export ({@link EXPORTED_NOTEBOOK_COLUMNS}). */
export interface IExportedNotebookRow {
  id: string;
  title: string;
  description: string;
  visibility: Visibility;
  owner_kind: 'user' | 'group';
  owner: string;
  group_name: string | null;
  parent_id: string | null;
  parent_revision: string | null;
  created_at: string;
  updated_at: string;
}

/** The columns of {@link IExportedNotebookRow}, of `notebooks` aliased `n`. */
export const EXPORTED_NOTEBOOK_COLUMNS = `n.id, n.title, n.description, n.visibility, n.owner_kind, n.owner,
  n.group_name, n.parent_id, n.parent_revision, n.created_at, n.updated_at`;

/** What an export reads of a notebook's own rows, besides the accounts and groups they name. */
export type IExportedNotebookParts = Pick<
  IExportedNotebook,
  'tags' | 'revisions' | 'shares' | 'stars' | 'comments' | 'changeRequests'
>;

/** The groups a notebook names (its group, the groups it is shared with), each once, sorted. */
export function namedGroups(row: IExportedNotebookRow, parts: IExportedNotebookParts): string[] {
  return uniqueSorted([
    row.group_name,
    ...parts.shares.filter(share => share.kind === 'group').map(share => share.principal)
  ]);
}

/** The accounts a notebook and its groups name (owner, authors, sharers, commenters, members…), each once, sorted. */
export function namedUsers(
  row: IExportedNotebookRow,
  parts: IExportedNotebookParts,
  groups: readonly IExportedGroup[]
): string[] {
  return uniqueSorted([
    row.owner,
    ...parts.revisions.map(revision => revision.author),
    ...parts.shares.filter(share => share.kind === 'user').map(share => share.principal),
    ...parts.stars.map(star => star.username),
    ...parts.comments.flatMap(comment => [comment.author, comment.resolvedBy]),
    ...parts.changeRequests.flatMap(request => [request.proposer, request.decidedBy]),
    ...groups.flatMap(group => group.members.map(member => member.username))
  ]);
}

/** The notebook as an export holds it. */
export function exportedNotebook(
  row: IExportedNotebookRow,
  parts: IExportedNotebookParts,
  users: IExportedUser[],
  groups: IExportedGroup[]
): IExportedNotebook {
  return {
    id: row.id,
    title: row.title,
    description: row.description,
    tags: parts.tags,
    visibility: row.visibility,
    ownerKind: row.owner_kind,
    owner: row.owner,
    group: row.group_name,
    forkedFrom: row.parent_id === null ? null : { id: row.parent_id, revision: row.parent_revision },
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    revisions: parts.revisions,
    shares: parts.shares,
    stars: parts.stars,
    comments: parts.comments,
    changeRequests: parts.changeRequests,
    users,
    groups
  };
}

function uniqueSorted(names: readonly (string | null)[]): string[] {
  return [...new Set(names.filter((name): name is string => name !== null))].sort();
}

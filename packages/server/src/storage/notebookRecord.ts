import type { IParentRef, IShare, PrincipalKind, Visibility } from '@notebook-gallery/core';
import type { GalleryDatabase } from '../db/database';

/** A notebook as SQLite knows it; routes turn it into an INotebookSummary for a particular caller. */
export interface INotebookRecord {
  /** Row id shared with the search index. */
  seq: number;
  id: string;
  title: string;
  description: string;
  tags: string[];
  /** The owning user's name, or for a group-owned notebook the owning group's. */
  owner: string;
  ownerKind: PrincipalKind;
  visibility: Visibility;
  /** The owning group (group-owned) or the group `group` visibility publishes to; otherwise null. */
  group: string | null;
  shares: IShare[];
  createdAt: string;
  updatedAt: string;
  headSha: string;
  headBlobSha: string;
  revisionCount: number;
  parent: IParentRef | null;
}

/** A `notebooks` row as SQLite returns it. */
export interface INotebookRow {
  seq: number;
  id: string;
  title: string;
  description: string;
  owner: string;
  owner_kind: PrincipalKind;
  visibility: Visibility;
  group_name: string | null;
  created_at: string;
  updated_at: string;
  head_sha: string;
  head_blob_sha: string;
  revision_count: number;
  parent_id: string | null;
  parent_revision: string | null;
}

/** Turns rows into records, loading all their tags and shares in one query each. */
export function toRecords(db: GalleryDatabase, rows: INotebookRow[]): INotebookRecord[] {
  if (rows.length === 0) {
    return [];
  }
  const tags = new Map<string, string[]>(rows.map(row => [row.id, []]));
  const placeholders = rows.map(() => '?').join(',');
  const tagRows = db
    .prepare(`SELECT notebook_id, tag FROM notebook_tags WHERE notebook_id IN (${placeholders}) ORDER BY position`)
    .all(...rows.map(row => row.id)) as { notebook_id: string; tag: string }[];
  for (const { notebook_id, tag } of tagRows) {
    tags.get(notebook_id)?.push(tag);
  }
  const shares = new Map<string, IShare[]>(rows.map(row => [row.id, []]));
  const shareRows = db
    .prepare(
      `SELECT notebook_id, principal_kind, principal, role FROM notebook_shares WHERE notebook_id IN (${placeholders})
       ORDER BY principal_kind DESC, principal`
    )
    .all(...rows.map(row => row.id)) as {
    notebook_id: string;
    principal_kind: PrincipalKind;
    principal: string;
    role: IShare['role'];
  }[];
  for (const row of shareRows) {
    shares.get(row.notebook_id)?.push({ kind: row.principal_kind, name: row.principal, role: row.role });
  }
  return rows.map(row => ({
    seq: row.seq,
    id: row.id,
    title: row.title,
    description: row.description,
    tags: tags.get(row.id) ?? [],
    owner: row.owner_kind === 'group' && row.group_name !== null ? row.group_name : row.owner,
    ownerKind: row.owner_kind,
    visibility: row.visibility,
    group: row.group_name,
    shares: shares.get(row.id) ?? [],
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    headSha: row.head_sha,
    headBlobSha: row.head_blob_sha,
    revisionCount: row.revision_count,
    parent: row.parent_id && row.parent_revision ? { id: row.parent_id, revision: row.parent_revision } : null
  }));
}

/** Trims tags, drops blanks and repeats (case-insensitively), keeping the first spelling and the order. */
export function normalizeTags(tags: readonly string[]): string[] {
  const seen = new Set<string>();
  const result: string[] = [];
  for (const raw of tags) {
    const tag = raw.trim();
    if (tag && !seen.has(tag.toLowerCase())) {
      seen.add(tag.toLowerCase());
      result.push(tag);
    }
  }
  return result;
}

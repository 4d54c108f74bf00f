import type { IShare, PrincipalKind, Visibility } from '@notebook-gallery/core';
import { NO_SIGNALS, type INotebookRecord, type INotebookSignals } from './notebookRepository';
import { fromSqlBoolean, type SqlBoolean } from './sqlBoolean';

/** A `notebooks` row as both backends return it (`SELECT n.*`). */
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

/** A row of `notebook_tags`; a notebook's rows come in their position's order. */
export interface INotebookTagRow {
  notebook_id: string;
  tag: string;
}

/** A row of `notebook_shares`; a notebook's rows come users first, then by name in byte order. */
export interface INotebookShareRow {
  notebook_id: string;
  principal_kind: PrincipalKind;
  principal: string;
  role: IShare['role'];
}

/** A `notebook_stats` row with whether the viewer starred the notebook. */
export type INotebookSignalsRow = Omit<INotebookSignals, 'starred'> & { notebook_id: string; starred: SqlBoolean };

/** The rows each backend reads, one query each, for a page of notebooks (see {@link notebookRecords}). */
export interface INotebookRecordRows {
  notebooks: readonly INotebookRow[];
  tags: readonly INotebookTagRow[];
  shares: readonly INotebookShareRow[];
  signals: readonly INotebookSignalsRow[];
}

/**
 * The records of `rows.notebooks`, in their order, with their tags, shares and signals; a group-owned notebook's
 * owner is its group, and a notebook without a stats row has {@link NO_SIGNALS}. Every query of either backend that
 * hands back notebooks goes through here, so a record reads the same whichever query found it.
 */
export function notebookRecords(rows: INotebookRecordRows): INotebookRecord[] {
  const tags = new Map<string, string[]>(rows.notebooks.map(row => [row.id, []]));
  for (const { notebook_id, tag } of rows.tags) {
    tags.get(notebook_id)?.push(tag);
  }
  const shares = new Map<string, IShare[]>(rows.notebooks.map(row => [row.id, []]));
  for (const row of rows.shares) {
    shares.get(row.notebook_id)?.push({ kind: row.principal_kind, name: row.principal, role: row.role });
  }
  const signals = new Map<string, INotebookSignals>();
  for (const { notebook_id, starred, ...counts } of rows.signals) {
    signals.set(notebook_id, { ...counts, starred: fromSqlBoolean(starred) });
  }
  return rows.notebooks.map(row => ({
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
    parent: row.parent_id && row.parent_revision ? { id: row.parent_id, revision: row.parent_revision } : null,
    signals: signals.get(row.id) ?? NO_SIGNALS
  }));
}

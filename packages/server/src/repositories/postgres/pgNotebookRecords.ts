import type { IShare, PrincipalKind, Visibility } from '@notebook-gallery/core';
import type { PgDatabase } from '../../db/postgres/pgDatabase';
import { NO_SIGNALS, type INotebookRecord, type INotebookSignals } from '../notebookRepository';

/** A `notebooks` row as PostgreSQL returns it (`SELECT n.*`). */
export interface IPgNotebookRow {
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

/**
 * Turns `notebooks` rows into records, reading all their tags, shares and signals in one query each (as the SQLite
 * repository does); `starred` says whether `viewer` starred each (false for no viewer). Every PostgreSQL query that
 * hands back notebooks (find, listings, forks, "also opened", similar) goes through here, so a record reads the
 * same whichever query found it.
 */
export async function pgNotebookRecords(
  db: PgDatabase,
  rows: readonly IPgNotebookRow[],
  viewer: string | null
): Promise<INotebookRecord[]> {
  if (rows.length === 0) {
    return [];
  }
  const ids = rows.map(row => row.id);
  const [tagRows, shareRows, signalRows] = await Promise.all([
    db.query<{ notebook_id: string; tag: string }>(
      'SELECT notebook_id, tag FROM notebook_tags WHERE notebook_id = ANY($1) ORDER BY position',
      [ids]
    ),
    // Users before groups, then by name in byte order, as SQLite's default collation sorts.
    db.query<{ notebook_id: string; principal_kind: PrincipalKind; principal: string; role: IShare['role'] }>(
      `SELECT notebook_id, principal_kind, principal, role FROM notebook_shares WHERE notebook_id = ANY($1)
       ORDER BY principal_kind COLLATE "C" DESC, principal COLLATE "C"`,
      [ids]
    ),
    db.query<Omit<INotebookSignals, 'starred'> & { notebook_id: string; starred: boolean }>(
      `SELECT notebook_id, stars, views, downloads, opens, runs, trending_key AS "trendingKey",
         health_score AS "healthScore",
         EXISTS (SELECT 1 FROM notebook_stars st WHERE st.notebook_id = s.notebook_id AND st.username = $2) AS starred
       FROM notebook_stats s WHERE notebook_id = ANY($1)`,
      [ids, viewer]
    )
  ]);
  const tags = new Map<string, string[]>(ids.map(id => [id, []]));
  for (const { notebook_id, tag } of tagRows) {
    tags.get(notebook_id)?.push(tag);
  }
  const shares = new Map<string, IShare[]>(ids.map(id => [id, []]));
  for (const row of shareRows) {
    shares.get(row.notebook_id)?.push({ kind: row.principal_kind, name: row.principal, role: row.role });
  }
  const signals = new Map<string, INotebookSignals>();
  for (const { notebook_id, ...counts } of signalRows) {
    signals.set(notebook_id, counts);
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
    parent: row.parent_id && row.parent_revision ? { id: row.parent_id, revision: row.parent_revision } : null,
    signals: signals.get(row.id) ?? NO_SIGNALS
  }));
}

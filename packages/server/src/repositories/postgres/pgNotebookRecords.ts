import type { PgDatabase } from '../../db/postgres/pgDatabase';
import {
  notebookRecords,
  type INotebookRow,
  type INotebookShareRow,
  type INotebookSignalsRow,
  type INotebookTagRow
} from '../notebookRecords';
import type { INotebookRecord } from '../notebookRepository';

/**
 * Turns `notebooks` rows into records ({@link notebookRecords}), reading all their tags, shares and signals in one
 * query each (as the SQLite repository does); `starred` says whether `viewer` starred each (false for no viewer).
 * Every PostgreSQL query that hands back notebooks (find, listings, forks, "also opened", similar) goes through here.
 */
export async function pgNotebookRecords(
  db: PgDatabase,
  rows: readonly INotebookRow[],
  viewer: string | null
): Promise<INotebookRecord[]> {
  if (rows.length === 0) {
    return [];
  }
  const ids = rows.map(row => row.id);
  const [tagRows, shareRows, signalRows] = await Promise.all([
    db.query<INotebookTagRow>(
      'SELECT notebook_id, tag FROM notebook_tags WHERE notebook_id = ANY($1) ORDER BY position',
      [ids]
    ),
    // Users before groups, then by name in byte order, as SQLite's default collation sorts.
    db.query<INotebookShareRow>(
      `SELECT notebook_id, principal_kind, principal, role FROM notebook_shares WHERE notebook_id = ANY($1)
       ORDER BY principal_kind COLLATE "C" DESC, principal COLLATE "C"`,
      [ids]
    ),
    db.query<INotebookSignalsRow>(
      `SELECT notebook_id, stars, views, downloads, opens, runs, trending_key AS "trendingKey",
         health_score AS "healthScore",
         EXISTS (SELECT 1 FROM notebook_stars st WHERE st.notebook_id = s.notebook_id AND st.username = $2) AS starred
       FROM notebook_stats s WHERE notebook_id = ANY($1)`,
      [ids, viewer]
    )
  ]);
  return notebookRecords({ notebooks: rows, tags: tagRows, shares: shareRows, signals: signalRows });
}

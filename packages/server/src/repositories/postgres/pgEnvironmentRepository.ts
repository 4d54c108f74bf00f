import type { INotebookEnvironment } from '@notebook-gallery/core';
import type { PgDatabase } from '../../db/postgres/pgDatabase';
import {
  ENVIRONMENT_COLUMNS,
  environmentValues,
  revisionEnvironment,
  type IEnvironmentRow
} from '../environmentRecords';
import type { IEnvironmentRepository, IPendingRevision, IRevisionEnvironment } from '../environmentRepository';

/**
 * The `revision_environments` table and the upgrade's `environment_backfill_queue` in PostgreSQL, the twin of
 * SqliteEnvironmentRepository. Packages stay JSON text (not jsonb) so rows copy between the backends unchanged.
 */
export class PgEnvironmentRepository implements IEnvironmentRepository {
  constructor(private readonly _db: PgDatabase) {}

  async put(notebookId: string, sha: string, recorded: IRevisionEnvironment): Promise<void> {
    await this._db.execute(
      `INSERT INTO revision_environments (${ENVIRONMENT_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (notebook_id, sha) DO UPDATE SET kernel_name = excluded.kernel_name, language = excluded.language,
         language_version = excluded.language_version, packages = excluded.packages, code_hash = excluded.code_hash`,
      environmentValues(notebookId, sha, recorded)
    );
  }

  async forNotebook(notebookId: string): Promise<Map<string, INotebookEnvironment>> {
    const rows = await this._db.query<IEnvironmentRow>('SELECT * FROM revision_environments WHERE notebook_id = $1', [
      notebookId
    ]);
    return new Map(rows.map(row => [row.sha, revisionEnvironment(row)]));
  }

  async forHeads(notebookIds: readonly string[]): Promise<Map<string, INotebookEnvironment>> {
    if (notebookIds.length === 0) {
      return new Map();
    }
    const rows = await this._db.query<IEnvironmentRow>(
      `SELECT e.* FROM notebooks n
       JOIN revision_environments e ON e.notebook_id = n.id AND e.sha = n.head_sha
       WHERE n.id = ANY($1)`,
      [notebookIds]
    );
    return new Map(rows.map(row => [row.notebook_id, revisionEnvironment(row)]));
  }

  async pending(): Promise<IPendingRevision[]> {
    // NULLS LAST: SQLite sorts NULL lowest, so a queued revision of a deleted notebook comes after every other in
    // descending order; PostgreSQL sorts NULL highest unless told. Ids and SHAs in byte order, as SQLite does.
    return this._db.query<IPendingRevision>(
      `SELECT q.notebook_id AS "notebookId", q.sha FROM environment_backfill_queue q
       LEFT JOIN notebooks n ON n.id = q.notebook_id
       ORDER BY (n.head_sha = q.sha) DESC NULLS LAST, q.notebook_id COLLATE "C", q.sha COLLATE "C"`
    );
  }

  async clearPending(revision: IPendingRevision): Promise<void> {
    await this._db.execute('DELETE FROM environment_backfill_queue WHERE notebook_id = $1 AND sha = $2', [
      revision.notebookId,
      revision.sha
    ]);
  }
}

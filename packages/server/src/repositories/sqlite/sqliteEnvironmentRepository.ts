import type { INotebookEnvironment } from '@notebook-gallery/core';
import type { GalleryDatabase } from '../../db/database';
import {
  ENVIRONMENT_COLUMNS,
  environmentValues,
  revisionEnvironment,
  type IEnvironmentRow
} from '../environmentRecords';
import type { IEnvironmentRepository, IPendingRevision, IRevisionEnvironment } from '../environmentRepository';
import { SqliteConnectionGate } from './sqliteConnectionGate';

/** The `revision_environments` table and the upgrade's `environment_backfill_queue`. */
export class SqliteEnvironmentRepository implements IEnvironmentRepository {
  private readonly _gate: SqliteConnectionGate;

  constructor(private readonly _db: GalleryDatabase) {
    this._gate = SqliteConnectionGate.of(_db);
  }

  async put(notebookId: string, sha: string, recorded: IRevisionEnvironment): Promise<void> {
    return this._gate.run(() => {
      this._db
        .prepare(`INSERT OR REPLACE INTO revision_environments (${ENVIRONMENT_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?)`)
        .run(...environmentValues(notebookId, sha, recorded));
    });
  }

  async forNotebook(notebookId: string): Promise<Map<string, INotebookEnvironment>> {
    return this._gate.run(() => {
      const rows = this._db
        .prepare('SELECT * FROM revision_environments WHERE notebook_id = ?')
        .all(notebookId) as IEnvironmentRow[];
      return new Map(rows.map(row => [row.sha, revisionEnvironment(row)]));
    });
  }

  async forHeads(notebookIds: readonly string[]): Promise<Map<string, INotebookEnvironment>> {
    return this._gate.run(() => {
      if (notebookIds.length === 0) {
        return new Map();
      }
      const rows = this._db
        .prepare(
          `SELECT e.* FROM notebooks n
         JOIN revision_environments e ON e.notebook_id = n.id AND e.sha = n.head_sha
         WHERE n.id IN (${notebookIds.map(() => '?').join(',')})`
        )
        .all(...notebookIds) as IEnvironmentRow[];
      return new Map(rows.map(row => [row.notebook_id, revisionEnvironment(row)]));
    });
  }

  async pending(): Promise<IPendingRevision[]> {
    return this._gate.run(
      () =>
        this._db
          .prepare(
            `SELECT q.notebook_id AS notebookId, q.sha FROM environment_backfill_queue q
         LEFT JOIN notebooks n ON n.id = q.notebook_id
         ORDER BY (n.head_sha = q.sha) DESC, q.notebook_id, q.sha`
          )
          .all() as IPendingRevision[]
    );
  }

  async clearPending(revision: IPendingRevision): Promise<void> {
    return this._gate.run(() => {
      this._db
        .prepare('DELETE FROM environment_backfill_queue WHERE notebook_id = ? AND sha = ?')
        .run(revision.notebookId, revision.sha);
    });
  }
}

import type { GalleryDatabase } from '../../db/database';
import {
  healthAggregate,
  HEALTH_REPORT_COLUMNS,
  healthReportValues,
  runEvidence,
  type IHealthAggregateRow,
  type IRunEvidenceRow
} from '../healthRecords';
import type { IHealthAggregate, IHealthReportRow, IHealthRepository, IRunEvidence } from '../healthRepository';
import { SqliteConnectionGate } from './sqliteConnectionGate';

/** The `health_reports` and `notebook_health` tables, and the health columns of `notebook_stats`. */
export class SqliteHealthRepository implements IHealthRepository {
  private readonly _gate: SqliteConnectionGate;

  constructor(private readonly _db: GalleryDatabase) {
    this._gate = SqliteConnectionGate.of(_db);
  }

  async putReport(notebookId: string, report: IHealthReportRow): Promise<void> {
    return this._gate.run(() => {
      this._db
        .prepare(`INSERT OR REPLACE INTO health_reports (${HEALTH_REPORT_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`)
        .run(...healthReportValues(notebookId, report));
    });
  }

  async evidence(notebookId: string): Promise<{ headNumber: number; reports: IRunEvidence[] } | undefined> {
    return this._gate.run(() => {
      // One statement, as it runs in every save: with no reports there is nothing to recompute.
      const rows = this._db
        .prepare(
          `SELECT h.reporter, r.number AS revisionNumber, n.revision_count AS headNumber,
           (r.number = n.revision_count OR e.code_hash = he.code_hash) AS sameCode,
           h.code_cells AS codeCells, h.ok, h.failed, h.reached, h.reported_at AS reportedAt
         FROM health_reports h
         JOIN notebooks n ON n.id = h.notebook_id
         JOIN revisions r ON r.notebook_id = h.notebook_id AND r.sha = h.revision
         LEFT JOIN revision_environments e ON e.notebook_id = h.notebook_id AND e.sha = h.revision
         LEFT JOIN revision_environments he ON he.notebook_id = n.id AND he.sha = n.head_sha
         WHERE h.notebook_id = ?`
        )
        .all(notebookId) as IRunEvidenceRow[];
      return runEvidence(rows);
    });
  }

  async putAggregate(notebookId: string, aggregate: IHealthAggregate): Promise<void> {
    return this._gate.run(() => {
      this._db
        .prepare(
          `INSERT OR REPLACE INTO notebook_health (notebook_id, score, evidence, runs, last_run_at, last_success_at)
         VALUES (?, ?, ?, ?, ?, ?)`
        )
        .run(
          notebookId,
          aggregate.score,
          aggregate.evidence,
          aggregate.runs,
          aggregate.lastRunAt,
          aggregate.lastSuccessAt
        );
      this._db
        .prepare(
          `INSERT INTO notebook_stats (notebook_id, runs, health_score) VALUES (?, ?, ?)
         ON CONFLICT(notebook_id) DO UPDATE SET runs = excluded.runs, health_score = excluded.health_score`
        )
        .run(notebookId, aggregate.runs, aggregate.score);
    });
  }

  async aggregates(notebookIds: readonly string[]): Promise<Map<string, IHealthAggregate>> {
    return this._gate.run(() => {
      if (notebookIds.length === 0) {
        return new Map();
      }
      const rows = this._db
        .prepare(`SELECT * FROM notebook_health WHERE notebook_id IN (${notebookIds.map(() => '?').join(',')})`)
        .all(...notebookIds) as IHealthAggregateRow[];
      return new Map(rows.map(row => [row.notebook_id, healthAggregate(row)]));
    });
  }
}

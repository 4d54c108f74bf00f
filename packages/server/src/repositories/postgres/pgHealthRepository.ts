import type { PgDatabase } from '../../db/postgres/pgDatabase';
import {
  healthAggregate,
  HEALTH_REPORT_COLUMNS,
  healthReportValues,
  runEvidence,
  type IHealthAggregateRow,
  type IRunEvidenceRow
} from '../healthRecords';
import type { IHealthAggregate, IHealthReportRow, IHealthRepository, IRunEvidence } from '../healthRepository';

/**
 * The `health_reports` and `notebook_health` tables, and the health columns of `notebook_stats`, in PostgreSQL (the
 * twin of SqliteHealthRepository). SQLite's `INSERT OR REPLACE` becomes `ON CONFLICT … DO UPDATE`: nothing references
 * these rows, so replacing the columns is the same as replacing the row.
 */
export class PgHealthRepository implements IHealthRepository {
  constructor(private readonly _db: PgDatabase) {}

  async putReport(notebookId: string, report: IHealthReportRow): Promise<void> {
    await this._db.execute(
      `INSERT INTO health_reports (${HEALTH_REPORT_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
       ON CONFLICT (notebook_id, revision, reporter) DO UPDATE SET code_cells = excluded.code_cells, ok = excluded.ok,
         failed = excluded.failed, reached = excluded.reached, reported_at = excluded.reported_at`,
      healthReportValues(notebookId, report)
    );
  }

  async evidence(notebookId: string): Promise<{ headNumber: number; reports: IRunEvidence[] } | undefined> {
    // One statement, as it runs in every save: with no reports there is nothing to recompute.
    const rows = await this._db.query<IRunEvidenceRow>(
      `SELECT h.reporter, r.number AS "revisionNumber", n.revision_count AS "headNumber",
         (r.number = n.revision_count OR e.code_hash = he.code_hash) AS "sameCode",
         h.code_cells AS "codeCells", h.ok, h.failed, h.reached, h.reported_at AS "reportedAt"
       FROM health_reports h
       JOIN notebooks n ON n.id = h.notebook_id
       JOIN revisions r ON r.notebook_id = h.notebook_id AND r.sha = h.revision
       LEFT JOIN revision_environments e ON e.notebook_id = h.notebook_id AND e.sha = h.revision
       LEFT JOIN revision_environments he ON he.notebook_id = n.id AND he.sha = n.head_sha
       WHERE h.notebook_id = $1`,
      [notebookId]
    );
    return runEvidence(rows);
  }

  async putAggregate(notebookId: string, aggregate: IHealthAggregate): Promise<void> {
    await this._db.transaction(async () => {
      await this._db.execute(
        `INSERT INTO notebook_health (notebook_id, score, evidence, runs, last_run_at, last_success_at)
         VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (notebook_id) DO UPDATE SET score = excluded.score, evidence = excluded.evidence,
           runs = excluded.runs, last_run_at = excluded.last_run_at, last_success_at = excluded.last_success_at`,
        [notebookId, aggregate.score, aggregate.evidence, aggregate.runs, aggregate.lastRunAt, aggregate.lastSuccessAt]
      );
      await this._db.execute(
        `INSERT INTO notebook_stats (notebook_id, runs, health_score) VALUES ($1, $2, $3)
         ON CONFLICT (notebook_id) DO UPDATE SET runs = excluded.runs, health_score = excluded.health_score`,
        [notebookId, aggregate.runs, aggregate.score]
      );
    });
  }

  async aggregates(notebookIds: readonly string[]): Promise<Map<string, IHealthAggregate>> {
    if (notebookIds.length === 0) {
      return new Map();
    }
    const rows = await this._db.query<IHealthAggregateRow>(
      'SELECT * FROM notebook_health WHERE notebook_id = ANY($1)',
      [notebookIds]
    );
    return new Map(rows.map(row => [row.notebook_id, healthAggregate(row)]));
  }
}

import type { IHealthAggregate, IHealthReportRow, IRunEvidence } from './healthRepository';
import { fromSqlBoolean, type SqlBoolean } from './sqlBoolean';

/** A row of `notebook_health`. */
export interface IHealthAggregateRow {
  notebook_id: string;
  score: number | null;
  evidence: number;
  runs: number;
  last_run_at: string | null;
  last_success_at: string | null;
}

/** A kept report with its revision's number and the head's, as both backends select it for the evidence. */
export type IRunEvidenceRow = Omit<IRunEvidence, 'sameCodeAsHead'> & {
  headNumber: number;
  /** The report's revision is the head or has the head's code hash (NULL when either hash is unknown). */
  sameCode: SqlBoolean | null;
};

/** A notebook's aggregate as stored. */
export function healthAggregate(row: IHealthAggregateRow): IHealthAggregate {
  return {
    score: row.score,
    evidence: row.evidence,
    runs: row.runs,
    lastRunAt: row.last_run_at,
    lastSuccessAt: row.last_success_at
  };
}

/** The evidence in a notebook's report rows, or undefined when it has none. */
export function runEvidence(
  rows: readonly IRunEvidenceRow[]
): { headNumber: number; reports: IRunEvidence[] } | undefined {
  if (rows.length === 0) {
    return undefined;
  }
  return {
    headNumber: rows[0].headNumber,
    reports: rows.map(row => ({
      reporter: row.reporter,
      revisionNumber: row.revisionNumber,
      sameCodeAsHead: fromSqlBoolean(row.sameCode),
      codeCells: row.codeCells,
      ok: row.ok,
      failed: row.failed,
      reached: row.reached,
      reportedAt: row.reportedAt
    }))
  };
}

/** The columns a report fills, in the order of {@link healthReportValues}. */
export const HEALTH_REPORT_COLUMNS = 'notebook_id, revision, reporter, code_cells, ok, failed, reached, reported_at';

/** The values of {@link HEALTH_REPORT_COLUMNS} for a report on notebook `notebookId`. */
export function healthReportValues(notebookId: string, report: IHealthReportRow): unknown[] {
  return [
    notebookId,
    report.revision,
    report.reporter,
    report.codeCells,
    report.ok,
    report.failed,
    report.reached,
    report.reportedAt
  ];
}

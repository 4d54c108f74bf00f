/** One kept run report, as evidence about a notebook's latest revision. */
export interface IRunEvidence {
  reporter: string;
  /** The number of the revision that ran. */
  revisionNumber: number;
  /** That revision's code cells are those of the latest revision (only markdown or metadata changed since). */
  sameCodeAsHead: boolean;
  /** Runnable code cells of the revision that ran. */
  codeCells: number;
  ok: number;
  failed: number;
  /** Code cells before the first error, or up to the deepest cell that ran when none failed. */
  reached: number;
  reportedAt: string;
}

/** A notebook's health before the clock is applied (what is stored; the status depends on the time). */
export interface IHealthAggregate {
  /** 0..1; null when there is no evidence at all. */
  score: number | null;
  /** Weighted number of distinct reporters behind the score. */
  evidence: number;
  /** Reports kept (one per reporter and revision). */
  runs: number;
  lastRunAt: string | null;
  /** The latest complete run without errors of the latest revision's code. */
  lastSuccessAt: string | null;
}

/** One reporter's latest report on one revision, reduced to counts over that revision's runnable code cells. */
export interface IHealthReportRow {
  revision: string;
  reporter: string;
  /** Runnable code cells the revision has. */
  codeCells: number;
  ok: number;
  failed: number;
  /** Code cells before the first error, or up to the deepest cell that ran when none failed. */
  reached: number;
  reportedAt: string;
}

/** Health reports and each notebook's aggregate; a report and the aggregate it changes share one transaction. */
export interface IHealthRepository {
  /** Stores a report, replacing the same reporter's earlier one on the same revision. */
  putReport(notebookId: string, report: IHealthReportRow): Promise<void>;
  /**
   * Every kept report of a notebook as evidence about its latest revision, or undefined when it has none (reports
   * are only ever replaced, so a notebook without any has nothing to recompute).
   */
  evidence(notebookId: string): Promise<{ headNumber: number; reports: IRunEvidence[] } | undefined>;
  /** Stores a notebook's aggregate and its `runs` and `health_score` in notebook_stats (for sorting). */
  putAggregate(notebookId: string, aggregate: IHealthAggregate): Promise<void>;
  /** The aggregates of these notebooks, in one query; notebooks without one are missing. */
  aggregates(notebookIds: readonly string[]): Promise<Map<string, IHealthAggregate>>;
}

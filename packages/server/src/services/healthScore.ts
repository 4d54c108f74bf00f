import type { HealthStatus, INotebookHealth } from '@notebook-gallery/core';
import type { IHealthAggregate, IRunEvidence } from '../repositories/healthRepository';

export type { IHealthAggregate, IRunEvidence };

/** The aggregate of a notebook nobody has reported on. */
export const NO_HEALTH: IHealthAggregate = {
  score: null,
  evidence: 0,
  runs: 0,
  lastRunAt: null,
  lastSuccessAt: null
};

/** Pseudo-runs of quality 0.5 every score starts from, so one run moves it only part of the way. */
export const PRIOR_RUNS = 2;
/** Evidence (in distinct reporters of the current code) below which the status is unknown. */
export const MIN_EVIDENCE = 1;
/** Scores below this are unhealthy. */
export const HEALTHY_SCORE = 0.5;

/**
 * How good one run was, 0..1: the mean of its success rate (cells that ran without error) and the depth it reached
 * (the share of the revision's code cells before the first error), so an early failure weighs more than a late one
 * and a run that stops half way without errors counts half of its depth.
 */
export function runQuality(run: Pick<IRunEvidence, 'codeCells' | 'ok' | 'failed' | 'reached'>): number {
  const executed = run.ok + run.failed;
  const success = executed === 0 ? 0 : run.ok / executed;
  const depth = run.codeCells === 0 ? 1 : Math.min(run.reached, run.codeCells) / run.codeCells;
  return (success + depth) / 2;
}

/**
 * How much a run tells about the latest revision: fully when its code is the latest code, else half for each
 * revision it is behind (a save may have fixed or broken it, but most saves change little).
 */
export function evidenceWeight(
  run: Pick<IRunEvidence, 'revisionNumber' | 'sameCodeAsHead'>,
  headNumber: number
): number {
  if (run.sameCodeAsHead) {
    return 1;
  }
  return 0.5 ** Math.max(1, headNumber - run.revisionNumber);
}

/** Whether a run went through every code cell without an error. */
export function isCompleteSuccess(run: Pick<IRunEvidence, 'codeCells' | 'ok' | 'failed'>): boolean {
  return run.codeCells > 0 && run.failed === 0 && run.ok >= run.codeCells;
}

/**
 * Aggregates a notebook's kept reports. Each reporter counts once, with their most telling report (highest
 * weight, then latest), so one person cannot raise the evidence by reporting again or on every revision. The score
 * is the weighted mean run quality shrunk toward 0.5 by {@link PRIOR_RUNS} pseudo-runs (a Bayesian mean):
 * little evidence gives a score near 0.5, much evidence the observed quality.
 */
export function aggregateHealth(reports: readonly IRunEvidence[], headNumber: number): IHealthAggregate {
  if (reports.length === 0) {
    return NO_HEALTH;
  }
  const best = new Map<string, { run: IRunEvidence; weight: number }>();
  for (const run of reports) {
    const weight = evidenceWeight(run, headNumber);
    const kept = best.get(run.reporter);
    if (!kept || weight > kept.weight || (weight === kept.weight && run.reportedAt > kept.run.reportedAt)) {
      best.set(run.reporter, { run, weight });
    }
  }
  let evidence = 0;
  let quality = 0;
  for (const { run, weight } of best.values()) {
    evidence += weight;
    quality += weight * runQuality(run);
  }
  let lastRunAt: string | null = null;
  let lastSuccessAt: string | null = null;
  for (const run of reports) {
    lastRunAt = later(lastRunAt, run.reportedAt);
    if (run.sameCodeAsHead && isCompleteSuccess(run)) {
      lastSuccessAt = later(lastSuccessAt, run.reportedAt);
    }
  }
  return {
    score: (quality + PRIOR_RUNS * 0.5) / (evidence + PRIOR_RUNS),
    evidence,
    runs: reports.length,
    lastRunAt,
    lastSuccessAt
  };
}

/**
 * The status at time `now` (milliseconds). In order: too little evidence about the current code is unknown; a low
 * score is unhealthy; no complete successful run of the current code yet is unknown; the last one older than
 * `staleDays` is stale; otherwise healthy.
 */
export function healthStatus(aggregate: IHealthAggregate, now: number, staleDays: number): HealthStatus {
  if (aggregate.score === null || aggregate.evidence < MIN_EVIDENCE) {
    return 'unknown';
  }
  if (aggregate.score < HEALTHY_SCORE) {
    return 'unhealthy';
  }
  if (aggregate.lastSuccessAt === null) {
    return 'unknown';
  }
  return now - Date.parse(aggregate.lastSuccessAt) > staleDays * 86_400_000 ? 'stale' : 'healthy';
}

/** A notebook's health as the API shows it at time `now`. */
export function toHealth(aggregate: IHealthAggregate, now: number, staleDays: number): INotebookHealth {
  return {
    status: healthStatus(aggregate, now, staleDays),
    score: aggregate.score,
    runs: aggregate.runs,
    lastRunAt: aggregate.lastRunAt,
    lastSuccessAt: aggregate.lastSuccessAt
  };
}

function later(a: string | null, b: string): string {
  return a === null || b > a ? b : a;
}

/** A code cell of the revision a report is about: its id (null before nbformat 4.5) and its source hash. */
export interface IRevisionCell {
  id: string | null;
  hash: string;
}

/** A reported cell outcome (the API's shape). */
export interface IReportedCell {
  id: string;
  sourceHash: string;
  status: 'ok' | 'error';
}

/** A report reduced to counts over the revision's code cells. */
export interface IReportCounts {
  ok: number;
  failed: number;
  reached: number;
}

/**
 * Matches reported cells to the revision's code cells, each at most once: a reported cell counts only when its
 * hash is that of a code cell of the revision, preferring the cell with its id (ids tell apart cells with the same
 * source; a copy of a notebook without ids gets new ones), else the first unmatched cell with that hash. Anything
 * else is ignored, so a report can never claim more cells or more depth than the revision has.
 * @returns the counts, or null when no reported cell matched.
 */
export function countReport(
  revisionCells: readonly IRevisionCell[],
  reported: readonly IReportedCell[]
): IReportCounts | null {
  const matched = new Map<number, 'ok' | 'error'>();
  for (const cell of reported) {
    let position = revisionCells.findIndex(
      (candidate, index) => !matched.has(index) && candidate.id === cell.id && candidate.hash === cell.sourceHash
    );
    if (position < 0) {
      position = revisionCells.findIndex(
        (candidate, index) => !matched.has(index) && candidate.hash === cell.sourceHash
      );
    }
    if (position >= 0) {
      matched.set(position, cell.status);
    }
  }
  if (matched.size === 0) {
    return null;
  }
  let ok = 0;
  let firstError = Infinity;
  let deepestOk = -1;
  for (const [position, status] of matched) {
    if (status === 'ok') {
      ok++;
      deepestOk = Math.max(deepestOk, position);
    } else {
      firstError = Math.min(firstError, position);
    }
  }
  return {
    ok,
    failed: matched.size - ok,
    reached: Number.isFinite(firstError) ? firstError : deepestOk + 1
  };
}

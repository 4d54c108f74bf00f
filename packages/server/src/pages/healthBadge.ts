import type { HealthStatus, INotebookHealth } from '@notebook-gallery/core';
import { pageDate } from './pageDate';
import type { Element, IRenderLibraries } from './render/renderLibraries';

/**
 * A badge saying how well a notebook runs, in the sidebar's words: the state is in its text and a symbol, never in
 * its colour alone, and its title says where the verdict comes from.
 */
export function healthBadge(h: IRenderLibraries['h'], health: INotebookHealth): Element {
  return h(`span.health-badge.is-${health.status}`, { title: healthExplanation(health) }, [
    h('span', { ariaHidden: 'true' }, `${SYMBOLS[health.status]} `),
    healthLabel(health.status)
  ]);
}

/** The short name of a health state. */
export function healthLabel(status: HealthStatus): string {
  switch (status) {
    case 'healthy':
      return 'Healthy';
    case 'unhealthy':
      return 'Unhealthy';
    case 'stale':
      return 'Stale';
    default:
      return 'Health unknown';
  }
}

/** What the state means and the evidence behind it, in a sentence or two. */
export function healthExplanation(health: INotebookHealth): string {
  const verdict = VERDICTS[health.status];
  if (health.status === 'unknown') {
    return verdict;
  }
  const score =
    health.score === null || health.status === 'stale' ? '' : `Health score ${Math.round(health.score * 100)}%.`;
  const runs = health.runs === 1 ? '1 reported run.' : `${health.runs} reported runs.`;
  const lastSuccess = health.lastSuccessAt
    ? `Last ran without errors on ${pageDate(health.lastSuccessAt)}.`
    : 'No run without errors reported yet.';
  return [verdict, score, runs, lastSuccess].filter(Boolean).join(' ');
}

const SYMBOLS: Record<HealthStatus, string> = { healthy: '✓', unhealthy: '✗', stale: '⏱', unknown: '?' };

/** What each state means, as docs/user-guide.md explains it. */
const VERDICTS: Record<HealthStatus, string> = {
  healthy: 'Healthy: runs of this notebook reach the end without errors, and one did recently.',
  unhealthy: 'Unhealthy: runs of this notebook fail, or stop early on an error.',
  stale: 'Stale: it used to run, but nobody has run the current code through without errors for a while.',
  unknown:
    'Unknown: too few reported runs of the current code to say (nobody ran it yet, or its code just changed). Runs are reported by people who turned on “Report whether gallery notebooks run” in Settings → Notebook Gallery.'
};

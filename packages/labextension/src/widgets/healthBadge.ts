import type { HealthStatus, INotebookHealth } from '@notebook-gallery/core';
import { Time } from '@jupyterlab/coreutils';
import type { TranslationBundle } from '@jupyterlab/translation';
import { element } from './dom';

/**
 * A badge saying how well a notebook runs. The state is in its text and a symbol, not in its colour alone, and its
 * title says where the verdict comes from.
 */
export function healthBadge(trans: TranslationBundle, health: INotebookHealth): HTMLElement {
  const badge = element('span', `jp-NotebookGallery-health jp-mod-${health.status}`);
  const symbol = element('span', 'jp-NotebookGallery-healthSymbol', Private.SYMBOLS[health.status]);
  symbol.setAttribute('aria-hidden', 'true');
  badge.append(symbol, healthLabel(trans, health.status));
  badge.title = healthExplanation(trans, health);
  return badge;
}

/** The short name of a health state. */
export function healthLabel(trans: TranslationBundle, status: HealthStatus): string {
  switch (status) {
    case 'healthy':
      return trans.__('Healthy');
    case 'unhealthy':
      return trans.__('Unhealthy');
    case 'stale':
      return trans.__('Stale');
    default:
      return trans.__('Health unknown');
  }
}

/** What the state means and the evidence behind it, in a sentence or two. */
export function healthExplanation(trans: TranslationBundle, health: INotebookHealth): string {
  const score = health.score === null ? '' : trans.__('Health score %1%.', Math.round(health.score * 100));
  const lastSuccess = health.lastSuccessAt
    ? trans.__('Last ran without errors %1.', Time.formatHuman(health.lastSuccessAt))
    : trans.__('No run without errors reported yet.');
  const runs = trans._n('%1 reported run.', '%1 reported runs.', health.runs);
  const verdict = Private.verdict(trans, health.status);
  if (health.status === 'unknown') {
    return verdict;
  }
  return [verdict, health.status === 'stale' ? '' : score, runs, lastSuccess].filter(Boolean).join(' ');
}

namespace Private {
  /** What each state means, as docs/user-guide.md explains it. */
  export function verdict(trans: TranslationBundle, status: HealthStatus): string {
    switch (status) {
      case 'healthy':
        return trans.__('Healthy: runs of this notebook reach the end without errors, and one did recently.');
      case 'unhealthy':
        return trans.__('Unhealthy: runs of this notebook fail, or stop early on an error.');
      case 'stale':
        return trans.__(
          'Stale: it used to run, but nobody has run the current code through without errors for a while.'
        );
      default:
        return trans.__(
          'Unknown: too few reported runs of the current code to say (nobody ran it yet, or its code just changed). Runs are reported by people who turned on “Report whether gallery notebooks run” in Settings → Notebook Gallery.'
        );
    }
  }

  export const SYMBOLS: Record<HealthStatus, string> = {
    healthy: '✓',
    unhealthy: '✗',
    stale: '⏱',
    unknown: '?'
  };
}

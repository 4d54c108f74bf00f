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
      return trans.__('Runs');
    case 'unhealthy':
      return trans.__('Fails');
    case 'stale':
      return trans.__('Not run lately');
    default:
      return trans.__('Not run yet');
  }
}

/** What the state means and the evidence behind it, in a sentence or two. */
export function healthExplanation(trans: TranslationBundle, health: INotebookHealth): string {
  const score = health.score === null ? '' : trans.__('Health score %1%.', Math.round(health.score * 100));
  const lastSuccess = health.lastSuccessAt
    ? trans.__('Last ran without errors %1.', Time.formatHuman(health.lastSuccessAt))
    : trans.__('No run without errors reported yet.');
  const runs = trans._n('%1 reported run.', '%1 reported runs.', health.runs);
  switch (health.status) {
    case 'healthy':
      return [trans.__('Healthy: people who ran this notebook found its code cells ran.'), score, runs, lastSuccess]
        .filter(Boolean)
        .join(' ');
    case 'unhealthy':
      return [trans.__('Unhealthy: in recent runs, code cells of this notebook failed.'), score, runs, lastSuccess]
        .filter(Boolean)
        .join(' ');
    case 'stale':
      return [trans.__('Stale: nobody has reported a run without errors for a long time.'), runs, lastSuccess]
        .filter(Boolean)
        .join(' ');
    default:
      return trans.__(
        'Unknown: nobody has reported running this notebook yet. Runs are reported by people who turned on health reports in Settings → Notebook Gallery.'
      );
  }
}

namespace Private {
  export const SYMBOLS: Record<HealthStatus, string> = {
    healthy: '✓',
    unhealthy: '✗',
    stale: '⏱',
    unknown: '?'
  };
}

import type { INotebookEnvironment, INotebookSummary } from '@notebook-gallery/core';
import { canEdit, canManage, type ICaller } from '../auth/permissions';
import type { IEnvironmentRepository } from '../repositories/environmentRepository';
import type { IHealthRepository } from '../repositories/healthRepository';
import type { INotebookRecord } from '../repositories/notebookRepository';
import { NO_HEALTH, toHealth } from './healthScore';
import { trendingScore } from './trending';

/** What summaries read besides the record; built by the composition root. */
export interface INotebookSummariesParts {
  environments: Pick<IEnvironmentRepository, 'forHeads'>;
  health: Pick<IHealthRepository, 'aggregates'>;
  /** The clock staleness is judged by, in milliseconds. */
  now: () => number;
  /** Days without a complete successful run after which a notebook is stale. */
  staleDays: number;
}

/** An environment not recorded (yet): nothing known. */
export const UNKNOWN_ENVIRONMENT: INotebookEnvironment = {
  kernelName: null,
  language: null,
  languageVersion: null,
  packages: []
};

/**
 * Stored notebooks as the API shows them to a caller. Health and the head revision's environment are read for a
 * whole page at once (one query each), never per row; so are the shares (with the records), which only managers see.
 */
export class NotebookSummaries {
  constructor(private readonly _parts: INotebookSummariesParts) {}

  /** One notebook's summary. */
  async one(record: INotebookRecord, caller: ICaller): Promise<INotebookSummary> {
    return (await this.page([record], caller))[0];
  }

  /** The summaries of a page of notebooks, in the same order. */
  async page(records: readonly INotebookRecord[], caller: ICaller): Promise<INotebookSummary[]> {
    const ids = records.map(record => record.id);
    const environments = await this._parts.environments.forHeads(ids);
    const aggregates = await this._parts.health.aggregates(ids);
    const now = this._parts.now();
    return records.map(record => {
      const health = toHealth(aggregates.get(record.id) ?? NO_HEALTH, now, this._parts.staleDays);
      return {
        ...toSummary(record, caller, now),
        runs: health.runs,
        health,
        environment: environments.get(record.id) ?? UNKNOWN_ENVIRONMENT
      };
    });
  }
}

/** The fields of a summary that the record alone gives; `trending` is the score at `nowMs`. */
function toSummary(
  record: INotebookRecord,
  caller: ICaller,
  nowMs: number
): Omit<INotebookSummary, 'runs' | 'health' | 'environment'> {
  const manages = canManage(caller, record);
  return {
    id: record.id,
    title: record.title,
    description: record.description,
    tags: record.tags,
    owner: record.owner,
    ownerKind: record.ownerKind,
    visibility: record.visibility,
    group: record.group,
    createdAt: record.createdAt,
    updatedAt: record.updatedAt,
    revision: record.headSha,
    revisionNumber: record.revisionCount,
    parent: record.parent,
    canEdit: canEdit(caller, record),
    canManage: manages,
    stars: record.signals.stars,
    starred: record.signals.starred,
    views: record.signals.views,
    downloads: record.signals.downloads,
    opens: record.signals.opens,
    trending: trendingScore(record.signals.trendingKey, nowMs),
    // Who else sees it is the managers' business: readers never learn the other share targets.
    ...(manages ? { sharedWith: record.shares } : {})
  };
}

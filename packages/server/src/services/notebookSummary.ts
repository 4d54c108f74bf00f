import type { INotebookSummary } from '@notebook-gallery/core';
import { canEdit, canManage, type ICaller } from '../auth/permissions';
import type { INotebookRecord } from '../repositories/notebookRepository';
import { trendingScore } from './trending';

/** A stored notebook as the API shows it to `caller`; `trending` is the score at `nowMs` (the current time). */
export function toSummary(record: INotebookRecord, caller: ICaller, nowMs = Date.now()): INotebookSummary {
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
    canManage: canManage(caller, record),
    stars: record.signals.stars,
    starred: record.signals.starred,
    views: record.signals.views,
    downloads: record.signals.downloads,
    opens: record.signals.opens,
    trending: trendingScore(record.signals.trendingKey, nowMs)
  };
}

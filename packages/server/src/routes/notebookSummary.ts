import type { INotebookSummary, IUser } from '@notebook-gallery/core';
import { canEdit } from '../auth/permissions';
import type { INotebookRecord } from '../storage/notebookRecord';

/** A stored notebook as the API shows it to `viewer`. */
export function toSummary(record: INotebookRecord, viewer: IUser): INotebookSummary {
  return {
    id: record.id,
    title: record.title,
    description: record.description,
    tags: record.tags,
    owner: record.owner,
    createdAt: record.createdAt,
    updatedAt: record.updatedAt,
    revision: record.headSha,
    revisionNumber: record.revisionCount,
    parent: record.parent,
    canEdit: canEdit(viewer, record)
  };
}

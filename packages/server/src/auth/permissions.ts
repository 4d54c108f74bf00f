import type { IUser } from '@notebook-gallery/core';
import { ForbiddenError } from '../errors/ForbiddenError';
import { NotebookNotFoundError } from '../errors/NotebookNotFoundError';
import type { INotebookRecord } from '../storage/notebookRecord';

/*
 * The one place that decides who may do what to a notebook: private, group and public visibility land here.
 */

/** Whether `user` may see the notebook; in this milestone every logged-in user sees every notebook. */
export function canRead(_user: IUser, _notebook: Pick<INotebookRecord, 'owner'>): boolean {
  return true;
}

/**
 * Checks {@link canRead}; a notebook the caller may not see answers as if it did not exist.
 * @throws {NotebookNotFoundError}
 */
export function assertCanRead(user: IUser, notebook: Pick<INotebookRecord, 'id' | 'owner'>): void {
  if (!canRead(user, notebook)) {
    throw new NotebookNotFoundError(notebook.id);
  }
}

/** Whether `user` may save revisions, change metadata and delete: the owner and admins. */
export function canEdit(user: IUser, notebook: Pick<INotebookRecord, 'owner'>): boolean {
  return user.isAdmin || user.username === notebook.owner;
}

/**
 * Checks {@link canEdit}.
 * @throws {ForbiddenError} naming the owner.
 */
export function assertCanEdit(user: IUser, notebook: Pick<INotebookRecord, 'id' | 'owner'>): void {
  if (!canEdit(user, notebook)) {
    throw new ForbiddenError(
      `Only ${notebook.owner} (the owner) or an admin may change notebook "${notebook.id}"; save a copy instead`
    );
  }
}

import type { IUser } from '@notebook-gallery/core';
import { authorizeNotebook, type ICaller, type NotebookAction } from '../auth/permissions';
import { UnauthorizedError } from '../errors/UnauthorizedError';
import type { IAuditLogRepository } from '../repositories/auditLogRepository';
import type { INotebookRecord } from '../repositories/notebookRepository';
import type { NotebookStore } from '../storage/notebookStore';

/** What loading an authorized notebook needs: the store, and the audit log for what only an admin role allowed. */
export interface IAuthorizedNotebookParts {
  store: Pick<NotebookStore, 'get'>;
  audit: Pick<IAuditLogRepository, 'record'>;
}

/**
 * Loads notebook `id` and checks that `caller` may do `action`, auditing as `auditAction` when only the admin role
 * allows a change.
 * @throws {NotebookNotFoundError} when it does not exist or the caller may not read it.
 * @throws {ForbiddenError} when the caller may read it but not do `action`.
 */
export async function loadAuthorized(
  parts: IAuthorizedNotebookParts,
  caller: ICaller,
  id: string,
  action: NotebookAction,
  auditAction: string
): Promise<INotebookRecord> {
  const record = await parts.store.get(id, caller.user?.username ?? null);
  const { asAdmin } = authorizeNotebook(caller, record, action);
  if (asAdmin && action !== 'read' && caller.user) {
    await auditAsAdmin(parts, caller.user, auditAction, record);
  }
  return record;
}

/** Records in the audit log that `user` did `action` to `record` on the strength of their admin role alone. */
export async function auditAsAdmin(
  parts: Pick<IAuthorizedNotebookParts, 'audit'>,
  user: IUser,
  action: string,
  record: INotebookRecord,
  details: Record<string, unknown> = {}
): Promise<void> {
  await parts.audit.record(user.username, action, record.id, {
    owner: record.owner,
    ownerKind: record.ownerKind,
    ...details
  });
}

/**
 * The user behind a caller that must be logged in.
 * @throws {UnauthorizedError} for the anonymous caller.
 */
export function userOf(caller: ICaller): IUser {
  if (caller.user === null) {
    throw new UnauthorizedError();
  }
  return caller.user;
}

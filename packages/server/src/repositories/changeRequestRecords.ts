import type { INewChangeRequest } from './changeRequestRepository';

/**
 * The columns of an IChangeRequestRecord over {@link CHANGE_REQUEST_FROM}, each aliased to its field: quoted, so that
 * PostgreSQL keeps the case (SQLite keeps it either way) and both backends hand back the records as they are.
 */
export const CHANGE_REQUEST_COLUMNS = `cr.id, cr.notebook_id AS "notebookId", n.title AS "notebookTitle", cr.proposer,
  cr.message, cr.base_revision AS "baseRevision", cr.commit_sha AS "commitSha", cr.blob_sha AS "blobSha", cr.status,
  cr.created_at AS "createdAt", cr.decided_at AS "decidedAt", cr.decided_by AS "decidedBy", cr.comment,
  cr.accepted_revision AS "acceptedRevision"`;

/** `change_requests cr` joined with their `notebooks n`, for {@link CHANGE_REQUEST_COLUMNS}. */
export const CHANGE_REQUEST_FROM = 'FROM change_requests cr JOIN notebooks n ON n.id = cr.notebook_id';

/** The columns a new change request fills, in the order of {@link newChangeRequestValues}. */
export const NEW_CHANGE_REQUEST_COLUMNS =
  'id, notebook_id, proposer, message, base_revision, commit_sha, blob_sha, created_at';

/** The values of {@link NEW_CHANGE_REQUEST_COLUMNS} for `request` (open until decided: the other columns' defaults). */
export function newChangeRequestValues(request: INewChangeRequest): unknown[] {
  return [
    request.id,
    request.notebookId,
    request.proposer,
    request.message,
    request.baseRevision,
    request.commitSha,
    request.blobSha,
    request.createdAt
  ];
}

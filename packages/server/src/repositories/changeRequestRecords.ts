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

import type { ICommentRepository } from '../repositories/commentRepository';
import type { IExportedComment } from '../repositories/exportSnapshotRepository';
import type { IUserRepository } from '../repositories/userRepository';

/** What {@link importComments} did. */
export interface IImportedCommentsReport {
  restored: number;
  /** Already in the target (a re-run). */
  present: number;
  /** Not restored, with why (a reply whose thread, or a review comment whose change request, was not restored). */
  skipped: { id: string; reason: string }[];
}

/**
 * Restores a notebook's comments after its revisions and change requests, keeping ids, authors, dates, anchors,
 * replies, edits and resolution. Roots come before their replies in the archive, so a reply's thread is there when
 * it is inserted. A comment already present (by id) is left alone, so a re-run adds nothing.
 */
export async function importComments(
  repositories: { comments: ICommentRepository; users: IUserRepository },
  notebookId: string,
  comments: readonly IExportedComment[],
  changeRequestExists: (id: string) => Promise<boolean>
): Promise<IImportedCommentsReport> {
  const report: IImportedCommentsReport = { restored: 0, present: 0, skipped: [] };
  for (const comment of comments) {
    if (await repositories.comments.find(comment.id)) {
      report.present++;
      continue;
    }
    const reason =
      comment.parentId !== null && !(await repositories.comments.find(comment.parentId))
        ? 'its thread was not restored'
        : comment.changeRequestId !== null && !(await changeRequestExists(comment.changeRequestId))
          ? `its change request ${comment.changeRequestId} was not restored`
          : !(await repositories.users.find(comment.author))
            ? `its author ${comment.author} has no account here`
            : null;
    if (reason !== null) {
      report.skipped.push({ id: comment.id, reason });
      continue;
    }
    await repositories.comments.insert({
      id: comment.id,
      notebookId,
      author: comment.author,
      body: comment.body,
      createdAt: comment.createdAt,
      parentId: comment.parentId,
      changeRequestId: comment.changeRequestId,
      anchor:
        comment.cellId === null || comment.revision === null || comment.sourceHash === null
          ? null
          : {
              cellId: comment.cellId,
              revision: comment.revision,
              sourceHash: comment.sourceHash,
              lines:
                comment.lineFrom === null || comment.lineTo === null
                  ? null
                  : { from: comment.lineFrom, to: comment.lineTo }
            }
    });
    if (comment.editedAt !== null) {
      await repositories.comments.setBody(comment.id, comment.body, comment.editedAt);
    }
    if (comment.resolvedAt !== null) {
      await repositories.comments.setResolved(comment.id, comment.resolvedAt, comment.resolvedBy);
    }
    report.restored++;
  }
  return report;
}

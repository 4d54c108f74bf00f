import type { ISecretFinding } from '@notebook-gallery/core';
import { SecretsFoundError } from '../errors/SecretsFoundError';
import type { IChangeRequestRepository } from '../repositories/changeRequestRepository';
import {
  isObjectDamage,
  readCommitInfo,
  setChangeRequestRef,
  writeNotebookCommit,
  type IGitIo,
  type IWrittenCommit
} from '../storage/gitRepository';
import { signature } from '../storage/notebookStore';
import { repositoryPath } from '../storage/repositoryLayout';
import type { IExportedChangeRequest } from '../repositories/exportSnapshotRepository';

/** A change request as our archive restores it: its row, and the notebook its proposal commit holds. */
export interface IImportedChangeRequest extends IExportedChangeRequest {
  notebook: unknown;
}

/** What {@link importChangeRequests} did. */
export interface IImportedChangeRequestsReport {
  restored: string[];
  /** Already in the target (a re-run). */
  present: string[];
  /** Not restored, with why: its base revision is not in the target's history, or its proposal holds a secret. */
  skipped: { id: string; reason: string }[];
}

/**
 * Restores a notebook's change requests after its revisions, the way the change request store proposes one
 * (commit, ref, then the row that acknowledges it) but with the archive's id, proposer, date and message, so the
 * proposal is the same commit; then its decision when it was closed. `prepare` is the import service's strip and
 * validation of a save and its secret check (the proposal passes the same checks as a revision). A request whose
 * base revision the target lacks is skipped (its commit would have a parent git cannot find), and so is one whose
 * proposal holds an unconfirmed secret (with its fingerprints, to confirm with `--confirm-secret`).
 */
export async function importChangeRequests(
  parts: { dataDir: string; git: IGitIo; changeRequests: IChangeRequestRepository },
  notebookId: string,
  requests: readonly IImportedChangeRequest[],
  prepare: (notebook: unknown) => Promise<Uint8Array>
): Promise<IImportedChangeRequestsReport> {
  const gitdir = repositoryPath(parts.dataDir, notebookId);
  const report: IImportedChangeRequestsReport = { restored: [], present: [], skipped: [] };
  for (const request of requests) {
    if (await parts.changeRequests.find(notebookId, request.id)) {
      report.present.push(request.id);
      continue;
    }
    if (!(await commitExists(parts.git, gitdir, request.baseRevision))) {
      report.skipped.push({
        id: request.id,
        reason: `its base revision ${request.baseRevision.slice(0, 7)} is not in this notebook's history`
      });
      continue;
    }
    let written: IWrittenCommit;
    try {
      written = await writeProposalCommit(parts.git, gitdir, request, prepare);
    } catch (error) {
      if (error instanceof SecretsFoundError) {
        const { findings } = error.details as { findings: ISecretFinding[] };
        report.skipped.push({
          id: request.id,
          reason:
            `its proposal looks like it holds ${findings.length === 1 ? 'a secret' : `${findings.length} secrets`} ` +
            `(fingerprint ${findings.map(finding => finding.fingerprint).join(', ')}); run again with ` +
            '--confirm-secret FINGERPRINT for what is not a secret'
        });
        continue;
      }
      throw error;
    }
    await setChangeRequestRef(parts.git, gitdir, request.id, written.commit);
    await parts.changeRequests.insert({
      id: request.id,
      notebookId,
      proposer: request.proposer,
      message: request.message,
      baseRevision: request.baseRevision,
      commitSha: written.commit,
      blobSha: written.blob,
      createdAt: request.createdAt
    });
    if (request.status !== 'open') {
      await parts.changeRequests.decide(notebookId, request.id, {
        status: request.status,
        decidedAt: request.decidedAt ?? request.createdAt,
        decidedBy: request.decidedBy ?? request.proposer,
        comment: request.comment,
        acceptedRevision: request.acceptedRevision
      });
    }
    report.restored.push(request.id);
  }
  return report;
}

/**
 * Writes the objects of a change request's proposal commit (no ref, no row) the way the change request store
 * proposed it: on its base revision, by its proposer at its time, with its message, so it is the same commit.
 * Written alone before the revision that accepted it, so that merge can be written as the same commit again.
 * @throws what `prepare` throws (the save's validation, the secret check).
 */
export async function writeProposalCommit(
  io: IGitIo,
  gitdir: string,
  request: IImportedChangeRequest,
  prepare: (notebook: unknown) => Promise<Uint8Array>
): Promise<IWrittenCommit> {
  return writeNotebookCommit(io, gitdir, await prepare(request.notebook), {
    parents: [request.baseRevision],
    author: signature(request.proposer, request.createdAt),
    message: request.message
  });
}

async function commitExists(io: IGitIo, gitdir: string, sha: string): Promise<boolean> {
  try {
    await readCommitInfo(io, gitdir, sha);
    return true;
  } catch (error) {
    if (isObjectDamage(error)) {
      return false;
    }
    throw error;
  }
}

import type { INotebook } from '@notebook-gallery/core';
import type {
  IChangeRequestDecision,
  IChangeRequestRecord,
  IChangeRequestRepository
} from '../repositories/changeRequestRepository';
import type { IUnitOfWork } from '../repositories/unitOfWork';
import type { INotebookRecord } from '../repositories/notebookRepository';
import { StorageDamagedError } from '../errors/StorageDamagedError';
import { isObjectDamage, readBlob, setChangeRequestRef, writeNotebookCommit, type IGitIo } from './gitRepository';
import { signature } from './notebookStore';
import type { IPreparedNotebook } from './preparedNotebook';
import { newChangeRequestId, repositoryPath } from './repositoryLayout';

/** A proposal, already authorized and prepared, of a notebook read under `NotebookStore.exclusive`. */
export interface IProposeInput {
  prepared: IPreparedNotebook;
  proposer: string;
  /** A revision of the notebook (checked by the caller): the proposal commit's parent. */
  baseRevision: string;
  message: string;
}

/** What the change request store needs; built by the composition root. */
export interface IChangeRequestStoreParts {
  dataDir: string;
  changeRequests: IChangeRequestRepository;
  git: IGitIo;
  unitOfWork: IUnitOfWork;
}

/**
 * A change request is a real commit in the notebook's repository, with the base revision as its parent, kept
 * reachable by `refs/change-requests/<id>`, plus a row in the database. The order is commit, ref, row: the row is
 * the acknowledgement, and the ref is not the notebook's branch, so a crash before the row leaves only a ref that
 * nothing lists, never a listed request without its commit.
 */
export class ChangeRequestStore {
  constructor(private readonly _parts: IChangeRequestStoreParts) {}

  /**
   * Stores a new open change request of `notebook` and returns it. `admit` runs in the transaction that inserts the
   * row, so a check it makes (the caps) holds when the row is written; when it throws, no row is written and the
   * ref stays unlisted, as after a crash.
   */
  async propose(
    notebook: INotebookRecord,
    input: IProposeInput,
    admit: () => Promise<void> = async () => undefined
  ): Promise<IChangeRequestRecord> {
    const id = newChangeRequestId();
    const gitdir = repositoryPath(this._parts.dataDir, notebook.id);
    const now = new Date().toISOString();
    const written = await writeNotebookCommit(this._parts.git, gitdir, input.prepared.bytes, {
      parents: [input.baseRevision],
      author: signature(input.proposer, now),
      message: input.message
    });
    await setChangeRequestRef(this._parts.git, gitdir, id, written.commit);
    const row = {
      id,
      notebookId: notebook.id,
      proposer: input.proposer,
      message: input.message,
      baseRevision: input.baseRevision,
      commitSha: written.commit,
      blobSha: written.blob,
      createdAt: now
    };
    await this._parts.unitOfWork.transaction(async () => {
      await admit();
      await this._parts.changeRequests.insert(row);
    });
    return {
      ...row,
      notebookTitle: notebook.title,
      status: 'open',
      decidedAt: null,
      decidedBy: null,
      comment: null,
      acceptedRevision: null
    };
  }

  /**
   * The stored bytes of a change request's proposed notebook.
   * @throws {StorageDamagedError} when its blob is missing or damaged in git.
   */
  async readContent(request: IChangeRequestRecord): Promise<Buffer> {
    const gitdir = repositoryPath(this._parts.dataDir, request.notebookId);
    try {
      return Buffer.from(await readBlob(this._parts.git, gitdir, request.blobSha));
    } catch (error) {
      if (isObjectDamage(error)) {
        throw new StorageDamagedError(
          request.notebookId,
          request.notebookTitle,
          `the notebook file proposed by change request ${request.id} (blob ${request.blobSha.slice(0, 7)}) is missing or unreadable`
        );
      }
      throw error;
    }
  }

  /** The proposed notebook, parsed (it was validated before it was committed). */
  async readNotebook(request: IChangeRequestRecord): Promise<INotebook> {
    return JSON.parse((await this.readContent(request)).toString('utf8')) as INotebook;
  }

  /** Closes an open change request; false when it was closed meanwhile. */
  decide(request: IChangeRequestRecord, decision: IChangeRequestDecision): Promise<boolean> {
    return this._parts.changeRequests.decide(request.notebookId, request.id, decision);
  }
}

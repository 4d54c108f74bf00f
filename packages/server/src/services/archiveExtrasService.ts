import type { ICaller } from '../auth/permissions';
import { ForbiddenError } from '../errors/ForbiddenError';
import { NotebookNotFoundError } from '../errors/NotebookNotFoundError';
import type { IChangeRequestRepository } from '../repositories/changeRequestRepository';
import type { ICommentRepository } from '../repositories/commentRepository';
import type { IGroupRepository } from '../repositories/groupRepository';
import type { INotebookRepository } from '../repositories/notebookRepository';
import type { ISignalRepository } from '../repositories/signalRepository';
import type { IUserRepository } from '../repositories/userRepository';
import type { IGitIo } from '../storage/gitRepository';
import type { NotebookStore } from '../storage/notebookStore';
import { prepareNotebook } from '../storage/preparedNotebook';
import type { IShare } from '@notebook-gallery/core';
import type { IExportedComment, IExportedGroup, IExportedUser } from '../repositories/exportSnapshotRepository';
import { importAccounts, type IImportedAccounts } from './importedAccounts';
import {
  importChangeRequests,
  writeProposalCommit,
  type IImportedChangeRequest,
  type IImportedChangeRequestsReport
} from './importedChangeRequests';
import { importComments, type IImportedCommentsReport } from './importedComments';
import { importSharesAndStars } from './importedSignals';
import { userOf } from './authorizedNotebook';
import type { SecretCheck } from './secretCheck';
import { repositoryPath } from '../storage/repositoryLayout';

/** What the service needs; built by the composition root (the journaled repositories, like every write). */
export interface IArchiveExtrasParts {
  dataDir: string;
  git: IGitIo;
  store: NotebookStore;
  users: IUserRepository;
  groups: IGroupRepository;
  notebooks: INotebookRepository;
  signals: ISignalRepository;
  changeRequests: IChangeRequestRepository;
  comments: ICommentRepository;
  /** The secret check every save runs; a restored proposal passes it like a proposed one. */
  secrets: SecretCheck;
}

/** What our own archive carries for one notebook beyond its revisions, as these steps take it. */
export interface IArchiveExtras {
  users: readonly IExportedUser[];
  groups: readonly IExportedGroup[];
  shares: readonly IShare[];
  stars: readonly { username: string; createdAt: string }[];
  changeRequests: readonly IImportedChangeRequest[];
  comments: readonly IExportedComment[];
}

/** What restoring one notebook's extras did. */
export interface IArchiveExtrasReport {
  changeRequests: IImportedChangeRequestsReport;
  comments: IImportedCommentsReport;
}

/** What an import reports of one notebook's restored extras: counts, and what was left out with why. */
export interface IRestoredExtras {
  changeRequests: number;
  comments: number;
  notRestored: string[];
}

/** The report of {@link ArchiveExtrasService.restore} as an import prints it, the same for `--data-dir` and `--server`. */
export function summarizeRestore(done: IArchiveExtrasReport): IRestoredExtras {
  return {
    changeRequests: done.changeRequests.restored.length,
    comments: done.comments.restored,
    notRestored: [
      ...done.changeRequests.skipped.map(skip => `change request ${skip.id}: ${skip.reason}`),
      ...done.comments.skipped.map(skip => `comment ${skip.id}: ${skip.reason}`)
    ]
  };
}

/**
 * The import service's extra steps for our own archive (issue 19), around the revisions the import service applies:
 * the accounts an item names before them, and its shares, stars, change requests and comments after them, under
 * the notebook's lock. Each step is idempotent, so a re-run adds nothing.
 */
export class ArchiveExtrasService {
  constructor(private readonly _parts: IArchiveExtrasParts) {}

  /**
   * Makes the accounts and groups the item names that are missing (users without a password).
   * @throws {ForbiddenError} when the caller is not an admin.
   */
  prepareAccounts(caller: ICaller, extras: IArchiveExtras): Promise<IImportedAccounts> {
    Private.assertAdmin(caller);
    return importAccounts(this._parts, extras);
  }

  /**
   * Refuses an id with no notebook (a route's caller can name any): a clear 404 rather than a failure deep in git.
   * @throws {NotebookNotFoundError}
   */
  private async _assertNotebook(notebookId: string): Promise<void> {
    if ((await this._parts.notebooks.find(notebookId)) === undefined) {
      throw new NotebookNotFoundError(notebookId);
    }
  }

  /**
   * Restores shares, stars, change requests (proposals go through the save's validation, strip and secret check, with
   * `confirmedSecrets` as `--confirm-secret` gives them) and comments.
   * @throws {ForbiddenError} when the caller is not an admin.
   */
  async restore(
    caller: ICaller,
    notebookId: string,
    extras: IArchiveExtras,
    confirmedSecrets: readonly string[] = []
  ): Promise<IArchiveExtrasReport> {
    Private.assertAdmin(caller);
    await this._assertNotebook(notebookId);
    const parts = this._parts;
    return parts.store.exclusive(notebookId, async () => {
      await importSharesAndStars(parts, notebookId, extras);
      const changeRequests = await importChangeRequests(
        parts,
        notebookId,
        extras.changeRequests,
        this._proposalBytes(notebookId, confirmedSecrets)
      );
      const comments = await importComments(
        parts,
        notebookId,
        extras.comments,
        async id => (await parts.changeRequests.find(notebookId, id)) !== undefined
      );
      return { changeRequests, comments };
    });
  }

  /**
   * Before the revision that accepted a change request is imported: writes the objects of the proposal commit it
   * merges (no ref, no row; {@link restore} adds those after the revisions), so the import service can write that
   * revision as the same two-parent commit. Does nothing when the repository already holds the commit.
   * @returns whether the repository now holds `commit`: false when no change request of the item has it, its base
   *   revision is missing, or its proposal, written again, is not that commit.
   * @throws {ForbiddenError} when the caller is not an admin.
   * @throws {SecretsFoundError} when the proposal holds an unconfirmed secret.
   */
  async writeProposal(
    caller: ICaller,
    notebookId: string,
    extras: IArchiveExtras,
    commit: string,
    confirmedSecrets: readonly string[] = []
  ): Promise<boolean> {
    Private.assertAdmin(caller);
    await this._assertNotebook(notebookId);
    const { store, git, dataDir } = this._parts;
    return store.exclusive(notebookId, async () => {
      if (await store.hasCommit(notebookId, commit)) {
        return true;
      }
      const request = extras.changeRequests.find(candidate => candidate.commit === commit);
      if (request === undefined || !(await store.hasCommit(notebookId, request.baseRevision))) {
        return false;
      }
      const gitdir = repositoryPath(dataDir, notebookId);
      const written = await writeProposalCommit(
        git,
        gitdir,
        request,
        this._proposalBytes(notebookId, confirmedSecrets)
      );
      return written.commit === commit;
    });
  }

  /** A proposal's bytes as a save would store them, after the save's validation, strip and secret check. */
  private _proposalBytes(
    notebookId: string,
    confirmedSecrets: readonly string[]
  ): (notebook: unknown) => Promise<Uint8Array> {
    return async notebook => {
      const prepared = prepareNotebook(notebook);
      await this._parts.secrets.check([notebookId], prepared.notebook, confirmedSecrets);
      return prepared.bytes;
    };
  }
}

namespace Private {
  export function assertAdmin(caller: ICaller): void {
    if (!userOf(caller).isAdmin) {
      throw new ForbiddenError('Only admins may import notebooks');
    }
  }
}

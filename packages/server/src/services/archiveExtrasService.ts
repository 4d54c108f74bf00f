import type { ICaller } from '../auth/permissions';
import { ForbiddenError } from '../errors/ForbiddenError';
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
  type IImportedChangeRequest,
  type IImportedChangeRequestsReport
} from './importedChangeRequests';
import { importComments, type IImportedCommentsReport } from './importedComments';
import { importSharesAndStars } from './importedSignals';
import { userOf } from './authorizedNotebook';

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
  prepareAccounts(caller: ICaller, extras: IArchiveExtras): IImportedAccounts {
    Private.assertAdmin(caller);
    return importAccounts(this._parts, extras);
  }

  /**
   * Restores shares, stars, change requests (proposals go through the save's validation and strip) and comments.
   * @throws {ForbiddenError} when the caller is not an admin.
   */
  async restore(caller: ICaller, notebookId: string, extras: IArchiveExtras): Promise<IArchiveExtrasReport> {
    Private.assertAdmin(caller);
    const parts = this._parts;
    return parts.store.exclusive(notebookId, async () => {
      importSharesAndStars(parts, notebookId, extras);
      const changeRequests = await importChangeRequests(
        parts,
        notebookId,
        extras.changeRequests,
        async notebook => prepareNotebook(notebook).bytes
      );
      const comments = importComments(
        parts,
        notebookId,
        extras.comments,
        id => parts.changeRequests.find(notebookId, id) !== undefined
      );
      return { changeRequests, comments };
    });
  }
}

namespace Private {
  export function assertAdmin(caller: ICaller): void {
    if (!userOf(caller).isAdmin) {
      throw new ForbiddenError('Only admins may import notebooks');
    }
  }
}

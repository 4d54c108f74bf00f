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
import type { IGalleryImportExtras } from '../transfer/gallerySource';
import { importAccounts, type IImportedAccounts } from '../transfer/importedAccounts';
import { importChangeRequests, type IImportedChangeRequestsReport } from '../transfer/importedChangeRequests';
import { importComments, type IImportedCommentsReport } from '../transfer/importedComments';
import { importSharesAndStars } from '../transfer/importedSignals';
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
  prepareAccounts(caller: ICaller, extras: IGalleryImportExtras): IImportedAccounts {
    Private.assertAdmin(caller);
    return importAccounts(this._parts, extras);
  }

  /**
   * Restores shares, stars, change requests (proposals go through the save's validation and strip) and comments.
   * @throws {ForbiddenError} when the caller is not an admin.
   */
  async restore(caller: ICaller, notebookId: string, extras: IGalleryImportExtras): Promise<IArchiveExtrasReport> {
    Private.assertAdmin(caller);
    const parts = this._parts;
    return parts.store.exclusive(notebookId, async () => {
      importSharesAndStars(parts, notebookId, {
        shares: extras.shares ?? [],
        stars: extras.stars.map(username => ({ username, createdAt: extras.starDates[username] }))
      });
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

import type { IShare } from '@notebook-gallery/core';
import type { IGroupRepository } from '../repositories/groupRepository';
import type { INotebookRepository } from '../repositories/notebookRepository';
import type { ISignalRepository } from '../repositories/signalRepository';
import type { IUserRepository } from '../repositories/userRepository';

/**
 * Restores a notebook's explicit shares and its stars (with the dates they were given) after its revisions. Shares
 * replace the notebook's (the archive says who it is shared with); a share or star of a principal the target lacks
 * is left out, which importAccounts (importedAccounts.ts) prevents for the ones the archive names. Stars are idempotent, so a
 * re-run changes nothing.
 */
export function importSharesAndStars(
  repositories: {
    notebooks: INotebookRepository;
    signals: ISignalRepository;
    users: IUserRepository;
    groups: IGroupRepository;
  },
  notebookId: string,
  archived: { shares: readonly IShare[]; stars: readonly { username: string; createdAt: string }[] }
): void {
  const exists = (share: IShare): boolean =>
    share.kind === 'user' ? repositories.users.find(share.name) !== undefined : repositories.groups.exists(share.name);
  repositories.notebooks.replaceShares(notebookId, archived.shares.filter(exists));
  for (const star of archived.stars) {
    if (repositories.users.find(star.username)) {
      repositories.signals.setStar(notebookId, star.username, true, star.createdAt);
    }
  }
}

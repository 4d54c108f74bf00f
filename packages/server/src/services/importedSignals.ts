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
export async function importSharesAndStars(
  repositories: {
    notebooks: INotebookRepository;
    signals: ISignalRepository;
    users: IUserRepository;
    groups: IGroupRepository;
  },
  notebookId: string,
  archived: { shares: readonly IShare[]; stars: readonly { username: string; createdAt: string }[] }
): Promise<void> {
  const exists = async (share: IShare): Promise<boolean> =>
    share.kind === 'user'
      ? (await repositories.users.find(share.name)) !== undefined
      : await repositories.groups.exists(share.name);
  const shares: IShare[] = [];
  for (const share of archived.shares) {
    if (await exists(share)) {
      shares.push(share);
    }
  }
  await repositories.notebooks.replaceShares(notebookId, shares);
  for (const star of archived.stars) {
    if (await repositories.users.find(star.username)) {
      await repositories.signals.setStar(notebookId, star.username, true, star.createdAt);
    }
  }
}

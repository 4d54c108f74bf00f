import type { IGroupRepository } from '../repositories/groupRepository';
import type { IExportedGroup, IExportedUser } from '../repositories/exportSnapshotRepository';
import { NO_PASSWORD, type IUserRepository } from '../repositories/userRepository';

/** What {@link importAccounts} made. */
export interface IImportedAccounts {
  /** Accounts made without a password: they cannot log in until an admin sets one (the import's summary says so). */
  usersWithoutPassword: string[];
  groupsCreated: string[];
}

/**
 * Makes the accounts and groups an archive's notebook names that the target lacks, before its revisions are applied
 * (the owner and authors must exist). A new account gets no password and never the admin flag; an existing account
 * or group is left as it is (the target's own memberships decide), and a group made here gets the members the
 * archive lists.
 */
export async function importAccounts(
  repositories: { users: IUserRepository; groups: IGroupRepository },
  archived: { users: readonly IExportedUser[]; groups: readonly IExportedGroup[] }
): Promise<IImportedAccounts> {
  const made: IImportedAccounts = { usersWithoutPassword: [], groupsCreated: [] };
  for (const user of archived.users) {
    const inserted = await repositories.users.insert({
      username: user.username,
      passwordHash: NO_PASSWORD,
      isAdmin: false,
      email: user.email,
      createdAt: user.createdAt
    });
    if (inserted) {
      made.usersWithoutPassword.push(user.username);
    }
  }
  for (const group of archived.groups) {
    if (!(await repositories.groups.ensure(group.name, group.createdAt))) {
      continue;
    }
    made.groupsCreated.push(group.name);
    for (const member of group.members) {
      if (await repositories.users.find(member.username)) {
        await repositories.groups.setMember(group.name, member.username, member.role);
      }
    }
  }
  return made;
}

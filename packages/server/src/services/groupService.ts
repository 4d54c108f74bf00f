import type { GroupRole, IGroup } from '@notebook-gallery/core';
import { hasGroupRole, withoutAdmin, type ICaller } from '../auth/permissions';
import { isValidName } from '../auth/usernames';
import { ForbiddenError } from '../errors/ForbiddenError';
import { GroupExistsError } from '../errors/GroupExistsError';
import { GroupNotFoundError } from '../errors/GroupNotFoundError';
import { InvalidRequestError } from '../errors/InvalidRequestError';
import { MemberNotFoundError } from '../errors/MemberNotFoundError';
import { UserNotFoundError } from '../errors/UserNotFoundError';
import type { IAccountRepositories } from '../repositories/accountRepositories';

/**
 * Groups: anyone may create one (and owns it); members see it; only its owners (and admins) change membership.
 * Reading a group the caller is not in fails with GROUP_NOT_FOUND, so member lists stay private. Changing the
 * members of an existing group without owning it is an escalation attempt and fails with FORBIDDEN: group names
 * are not secret (notebooks show them), and the refusal must say so. What only the admin role allowed is audited.
 */
export class GroupService {
  constructor(private readonly _repos: Pick<IAccountRepositories, 'groups' | 'users' | 'audit' | 'unitOfWork'>) {}

  /**
   * Creates a group with `owner` as its first owner.
   * @throws {InvalidRequestError} for a bad name.
   * @throws {GroupExistsError}
   * @throws {UserNotFoundError} when `owner` is not a user.
   */
  async create(name: string, owner: string): Promise<IGroup> {
    if (!isValidName(name)) {
      throw new InvalidRequestError(
        `group name "${name}" must be 1-64 letters, digits, ".", "_" or "-", starting with a letter or digit`
      );
    }
    await this._assertUser(owner);
    if (!(await this._repos.groups.insert(name, owner, new Date().toISOString()))) {
      throw new GroupExistsError(name);
    }
    return this.get(name, owner);
  }

  exists(name: string): Promise<boolean> {
    return this._repos.groups.exists(name);
  }

  /**
   * The group as `viewer` sees it (their role, null when they are not a member).
   * @throws {GroupNotFoundError}
   */
  async get(name: string, viewer: string | null): Promise<IGroup> {
    await this._assertGroup(name);
    const members = await this._repos.groups.members(name);
    return { name, role: members.find(member => member.username === viewer)?.role ?? null, members };
  }

  /** The groups `username` belongs to (every group when `all`), by name. */
  async list(username: string, all: boolean): Promise<IGroup[]> {
    const groups: IGroup[] = [];
    for (const name of await this._repos.groups.names(all ? null : username)) {
      groups.push(await this.get(name, username));
    }
    return groups;
  }

  /** `username`'s role in each of their groups. */
  rolesOf(username: string): Promise<Map<string, GroupRole>> {
    return this._repos.groups.rolesOf(username);
  }

  /**
   * Adds a member or changes their role.
   * @throws {GroupNotFoundError}
   * @throws {UserNotFoundError}
   * @throws {InvalidRequestError} when it would leave the group without an owner.
   */
  async setMember(name: string, username: string, role: GroupRole): Promise<void> {
    await this._repos.unitOfWork.transaction(async () => {
      await this._assertUser(username);
      await this._assertGroup(name);
      if (role !== 'owner') {
        await this._assertNotLastOwner(name, username);
      }
      await this._repos.groups.setMember(name, username, role);
    });
  }

  /**
   * Removes a member.
   * @throws {GroupNotFoundError}
   * @throws {MemberNotFoundError} when they are not a member.
   * @throws {InvalidRequestError} when they are the last owner.
   */
  async removeMember(name: string, username: string): Promise<void> {
    await this._repos.unitOfWork.transaction(async () => {
      await this._assertGroup(name);
      await this._assertNotLastOwner(name, username);
      if (!(await this._repos.groups.removeMember(name, username))) {
        throw new MemberNotFoundError(name, username);
      }
    });
  }

  /**
   * The group, for a caller who must be a member (or an admin).
   * @throws {GroupNotFoundError} also when the caller is not a member.
   */
  async getFor(caller: ICaller & { user: { username: string } }, name: string): Promise<IGroup> {
    await this._authorize(caller, name, 'member');
    return this.get(name, caller.user.username);
  }

  /**
   * {@link setMember} for a caller who must own the group (or be an admin); returns the group after the change.
   * @throws {GroupNotFoundError} also when the caller cannot see the group.
   * @throws {ForbiddenError} when the caller sees it but does not own it.
   */
  async setMemberFor(
    caller: ICaller & { user: { username: string } },
    name: string,
    username: string,
    role: GroupRole
  ): Promise<IGroup> {
    return this._repos.unitOfWork.transaction(async () => {
      await this._authorize(caller, name, 'owner');
      await this.setMember(name, username, role);
      await this._auditIfAdminOnly(caller, 'group.member.put', name, { username, role });
      return this.get(name, caller.user.username);
    });
  }

  /**
   * {@link removeMember} for a caller who must own the group (or be an admin).
   * @throws {GroupNotFoundError}
   * @throws {ForbiddenError}
   * @throws {MemberNotFoundError}
   */
  async removeMemberFor(
    caller: ICaller & { user: { username: string } },
    name: string,
    username: string
  ): Promise<void> {
    await this._repos.unitOfWork.transaction(async () => {
      await this._authorize(caller, name, 'owner');
      await this.removeMember(name, username);
      await this._auditIfAdminOnly(caller, 'group.member.delete', name, { username });
    });
  }

  /** A reader outside the group gets GROUP_NOT_FOUND, anyone else without the role FORBIDDEN. */
  private async _authorize(caller: ICaller, name: string, minimum: GroupRole): Promise<void> {
    if (!(await this.exists(name)) || (minimum === 'member' && !hasGroupRole(caller, name, 'member'))) {
      throw new GroupNotFoundError(name);
    }
    if (!hasGroupRole(caller, name, minimum)) {
      throw new ForbiddenError(`Only owners of group "${name}" or an admin may change its members`);
    }
  }

  private async _auditIfAdminOnly(
    caller: ICaller & { user: { username: string } },
    action: string,
    group: string,
    details: Record<string, unknown>
  ): Promise<void> {
    if (!hasGroupRole(withoutAdmin(caller), group, 'owner')) {
      await this._repos.audit.record(caller.user.username, action, `group:${group}`, details);
    }
  }

  private async _assertNotLastOwner(name: string, username: string): Promise<void> {
    const owners = (await this._repos.groups.members(name)).filter(member => member.role === 'owner');
    if (owners.length === 1 && owners[0].username === username) {
      throw new InvalidRequestError(`${username} is the last owner of group "${name}"; make someone else owner first`);
    }
  }

  private async _assertGroup(name: string): Promise<void> {
    if (!(await this.exists(name))) {
      throw new GroupNotFoundError(name);
    }
  }

  private async _assertUser(username: string): Promise<void> {
    if (!(await this._repos.users.find(username))) {
      throw new UserNotFoundError(username);
    }
  }
}

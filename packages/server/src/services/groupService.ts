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
  constructor(private readonly _repos: Pick<IAccountRepositories, 'groups' | 'users' | 'audit'>) {}

  /**
   * Creates a group with `owner` as its first owner.
   * @throws {InvalidRequestError} for a bad name.
   * @throws {GroupExistsError}
   * @throws {UserNotFoundError} when `owner` is not a user.
   */
  create(name: string, owner: string): IGroup {
    if (!isValidName(name)) {
      throw new InvalidRequestError(
        `group name "${name}" must be 1-64 letters, digits, ".", "_" or "-", starting with a letter or digit`
      );
    }
    this._assertUser(owner);
    if (!this._repos.groups.insert(name, owner, new Date().toISOString())) {
      throw new GroupExistsError(name);
    }
    return this.get(name, owner);
  }

  exists(name: string): boolean {
    return this._repos.groups.exists(name);
  }

  /**
   * The group as `viewer` sees it (their role, null when they are not a member).
   * @throws {GroupNotFoundError}
   */
  get(name: string, viewer: string | null): IGroup {
    this._assertGroup(name);
    const members = this._repos.groups.members(name);
    return { name, role: members.find(member => member.username === viewer)?.role ?? null, members };
  }

  /** The groups `username` belongs to (every group when `all`), by name. */
  list(username: string, all: boolean): IGroup[] {
    return this._repos.groups.names(all ? null : username).map(name => this.get(name, username));
  }

  /** `username`'s role in each of their groups. */
  rolesOf(username: string): Map<string, GroupRole> {
    return this._repos.groups.rolesOf(username);
  }

  /**
   * Adds a member or changes their role.
   * @throws {GroupNotFoundError}
   * @throws {UserNotFoundError}
   * @throws {InvalidRequestError} when it would leave the group without an owner.
   */
  setMember(name: string, username: string, role: GroupRole): void {
    this._assertUser(username);
    this._repos.groups.transaction(() => {
      this._assertGroup(name);
      if (role !== 'owner') {
        this._assertNotLastOwner(name, username);
      }
      this._repos.groups.setMember(name, username, role);
    });
  }

  /**
   * Removes a member.
   * @throws {GroupNotFoundError}
   * @throws {MemberNotFoundError} when they are not a member.
   * @throws {InvalidRequestError} when they are the last owner.
   */
  removeMember(name: string, username: string): void {
    this._repos.groups.transaction(() => {
      this._assertGroup(name);
      this._assertNotLastOwner(name, username);
      if (!this._repos.groups.removeMember(name, username)) {
        throw new MemberNotFoundError(name, username);
      }
    });
  }

  /**
   * The group, for a caller who must be a member (or an admin).
   * @throws {GroupNotFoundError} also when the caller is not a member.
   */
  getFor(caller: ICaller & { user: { username: string } }, name: string): IGroup {
    this._authorize(caller, name, 'member');
    return this.get(name, caller.user.username);
  }

  /**
   * {@link setMember} for a caller who must own the group (or be an admin); returns the group after the change.
   * @throws {GroupNotFoundError} also when the caller cannot see the group.
   * @throws {ForbiddenError} when the caller sees it but does not own it.
   */
  setMemberFor(
    caller: ICaller & { user: { username: string } },
    name: string,
    username: string,
    role: GroupRole
  ): IGroup {
    this._authorize(caller, name, 'owner');
    this.setMember(name, username, role);
    this._auditIfAdminOnly(caller, 'group.member.put', name, { username, role });
    return this.get(name, caller.user.username);
  }

  /**
   * {@link removeMember} for a caller who must own the group (or be an admin).
   * @throws {GroupNotFoundError}
   * @throws {ForbiddenError}
   * @throws {MemberNotFoundError}
   */
  removeMemberFor(caller: ICaller & { user: { username: string } }, name: string, username: string): void {
    this._authorize(caller, name, 'owner');
    this.removeMember(name, username);
    this._auditIfAdminOnly(caller, 'group.member.delete', name, { username });
  }

  /** A reader outside the group gets GROUP_NOT_FOUND, anyone else without the role FORBIDDEN. */
  private _authorize(caller: ICaller, name: string, minimum: GroupRole): void {
    if (!this.exists(name) || (minimum === 'member' && !hasGroupRole(caller, name, 'member'))) {
      throw new GroupNotFoundError(name);
    }
    if (!hasGroupRole(caller, name, minimum)) {
      throw new ForbiddenError(`Only owners of group "${name}" or an admin may change its members`);
    }
  }

  private _auditIfAdminOnly(
    caller: ICaller & { user: { username: string } },
    action: string,
    group: string,
    details: Record<string, unknown>
  ): void {
    if (!hasGroupRole(withoutAdmin(caller), group, 'owner')) {
      this._repos.audit.record(caller.user.username, action, `group:${group}`, details);
    }
  }

  private _assertNotLastOwner(name: string, username: string): void {
    const owners = this._repos.groups.members(name).filter(member => member.role === 'owner');
    if (owners.length === 1 && owners[0].username === username) {
      throw new InvalidRequestError(`${username} is the last owner of group "${name}"; make someone else owner first`);
    }
  }

  private _assertGroup(name: string): void {
    if (!this.exists(name)) {
      throw new GroupNotFoundError(name);
    }
  }

  private _assertUser(username: string): void {
    if (!this._repos.users.find(username)) {
      throw new UserNotFoundError(username);
    }
  }
}

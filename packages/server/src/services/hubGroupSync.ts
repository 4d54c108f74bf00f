import type { GroupRole } from '@notebook-gallery/core';
import { isValidName, sanitizeUsername } from '../auth/usernames';
import type { IAccountRepositories } from '../repositories/accountRepositories';

/** Members of hub group `hubGroup` get `role` in gallery group `group` (config's `--hub-group-roles`). */
export interface IHubRoleMapping {
  hubGroup: string;
  role: GroupRole;
  group: string;
}

/** A hub group and its members' hub usernames. */
export interface IHubGroupMembers {
  name: string;
  users: string[];
}

/** What a full sync did. */
export interface IHubSyncReport {
  /** Gallery groups the hub's groups (and the mapping's targets) correspond to. */
  groups: number;
  /** Hub groups whose names cannot be gallery group names; they are left out. */
  skippedGroups: string[];
  /** Gallery users whose synced memberships were brought up to date. */
  users: number;
}

const RANK: Record<GroupRole, number> = { member: 0, editor: 1, owner: 2 };

/**
 * Keeps gallery groups in step with JupyterHub groups: a hub group's members are members of the gallery group of the
 * same name, and the mapping can give a hub group a higher role in any gallery group. Only memberships the sync made
 * are ever changed or removed: a role set in the gallery stays as it was, even when the hub would give less.
 */
export class HubGroupSync {
  constructor(
    private readonly _repos: Pick<IAccountRepositories, 'groups' | 'users' | 'unitOfWork'>,
    private readonly _mapping: readonly IHubRoleMapping[],
    private readonly _now: () => Date = () => new Date()
  ) {}

  /** Brings `username`'s synced memberships in line with their hub groups (from the hub's `/user` reply). */
  async syncUser(username: string, hubGroups: readonly string[]): Promise<void> {
    await this._repos.unitOfWork.transaction(() => this._apply(username, this._desired(hubGroups)));
  }

  /**
   * Brings every synced membership in line with the hub's full group list: creates the groups, updates the members
   * who have a gallery account (the others are synced when they first arrive) and drops synced memberships the hub
   * no longer gives.
   */
  async syncAll(hubGroups: readonly IHubGroupMembers[]): Promise<IHubSyncReport> {
    const skippedGroups = hubGroups.map(group => group.name).filter(name => !isValidName(name));
    const groupsOf = new Map<string, string[]>();
    for (const group of hubGroups) {
      for (const rawName of group.users) {
        const username = sanitizeUsername(rawName);
        if (username !== null && (await this._repos.users.find(username))) {
          groupsOf.set(username, [...(groupsOf.get(username) ?? []), group.name]);
        }
      }
    }
    return this._repos.unitOfWork.transaction(async () => {
      const names = new Set([
        ...hubGroups.map(group => group.name).filter(isValidName),
        ...this._mapping.map(entry => entry.group)
      ]);
      for (const name of names) {
        await this._repos.groups.ensure(name, this._now().toISOString());
      }
      const synced = new Set((await this._repos.groups.syncedMemberships(null)).map(row => row.username));
      for (const username of new Set([...groupsOf.keys(), ...synced])) {
        await this._apply(username, this._desired(groupsOf.get(username) ?? []));
      }
      return { groups: names.size, skippedGroups, users: groupsOf.size };
    });
  }

  /** The gallery role each hub group list gives, in each gallery group. */
  private _desired(hubGroups: readonly string[]): Map<string, GroupRole> {
    const roles = new Map<string, GroupRole>();
    const raise = (group: string, role: GroupRole): void => {
      const current = roles.get(group);
      if (current === undefined || RANK[role] > RANK[current]) {
        roles.set(group, role);
      }
    };
    for (const name of hubGroups) {
      if (isValidName(name)) {
        raise(name, 'member');
      }
    }
    for (const entry of this._mapping) {
      if (hubGroups.includes(entry.hubGroup)) {
        raise(entry.group, entry.role);
      }
    }
    return roles;
  }

  private async _apply(username: string, desired: Map<string, GroupRole>): Promise<void> {
    for (const [group, role] of desired) {
      await this._repos.groups.ensure(group, this._now().toISOString());
      await this._repos.groups.setSyncedMember(group, username, role);
    }
    for (const row of await this._repos.groups.syncedMemberships(username)) {
      if (!desired.has(row.group)) {
        await this._repos.groups.removeSyncedMember(row.group, username);
      }
    }
  }
}

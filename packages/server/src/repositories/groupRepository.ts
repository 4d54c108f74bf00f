import type { GroupRole, IGroupMatch, IGroupMember } from '@notebook-gallery/core';

/** A membership the JupyterHub group sync made. */
export interface ISyncedMembership {
  group: string;
  username: string;
  role: GroupRole;
}

/**
 * Where groups and their members' roles are kept. Rules live in services/groupService.ts. Each membership records
 * where it came from: set in the gallery, or made by the JupyterHub group sync, which touches only its own.
 */
export interface IGroupRepository {
  exists(name: string): Promise<boolean>;
  /** Adds the group with `owner` as its owner; false when the name is taken. */
  insert(name: string, owner: string, createdAt: string): Promise<boolean>;
  /** The members, owners first, then editors, then members, each by name. */
  members(name: string): Promise<IGroupMember[]>;
  /** Group names, alphabetically: `username`'s groups, or every group when `username` is null. */
  names(username: string | null): Promise<string[]>;
  /**
   * Groups whose names start with `prefix` in any case, with their member counts, at most `limit`: the one equal to
   * it first (its own spelling before other cases), then alphabetically ignoring case. `%` and `_` are plain
   * characters.
   */
  search(prefix: string, limit: number): Promise<IGroupMatch[]>;
  /** `username`'s role in each of their groups. */
  rolesOf(username: string): Promise<Map<string, GroupRole>>;
  /** Adds the group without members unless it exists; true when it was added. */
  ensure(name: string, createdAt: string): Promise<boolean>;
  /** Adds a member or changes their role; the membership counts as set in the gallery from then on. */
  setMember(name: string, username: string, role: GroupRole): Promise<void>;
  /** The memberships the hub sync made: `username`'s, or everyone's when null. */
  syncedMemberships(username: string | null): Promise<ISyncedMembership[]>;
  /** Adds a synced membership or changes a synced one's role; a membership set in the gallery is left as it is. */
  setSyncedMember(name: string, username: string, role: GroupRole): Promise<void>;
  /** Removes a membership only if the hub sync made it. */
  removeSyncedMember(name: string, username: string): Promise<void>;
  /** False when `username` was not a member. */
  removeMember(name: string, username: string): Promise<boolean>;
}

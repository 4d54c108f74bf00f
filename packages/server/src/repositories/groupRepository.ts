import type { GroupRole, IGroupMember } from '@notebook-gallery/core';

/** Where groups and their members' roles are kept. Rules live in services/groupService.ts. */
export interface IGroupRepository {
  exists(name: string): boolean;
  /** Adds the group with `owner` as its owner; false when the name is taken. */
  insert(name: string, owner: string, createdAt: string): boolean;
  /** The members, owners first, then editors, then members, each by name. */
  members(name: string): IGroupMember[];
  /** Group names, alphabetically: `username`'s groups, or every group when `username` is null. */
  names(username: string | null): string[];
  /** `username`'s role in each of their groups. */
  rolesOf(username: string): Map<string, GroupRole>;
  /** Adds a member or changes their role. */
  setMember(name: string, username: string, role: GroupRole): void;
  /** False when `username` was not a member. */
  removeMember(name: string, username: string): boolean;
  /** Runs `work` atomically: every read and write in it sees and leaves a consistent state. */
  transaction<T>(work: () => T): T;
}

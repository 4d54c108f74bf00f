import type { GroupRole, IGroup } from '@notebook-gallery/core';
import type { GalleryDatabase } from '../db/database';
import { GroupExistsError } from '../errors/GroupExistsError';
import { GroupNotFoundError } from '../errors/GroupNotFoundError';
import { InvalidRequestError } from '../errors/InvalidRequestError';
import { UserNotFoundError } from '../errors/UserNotFoundError';
import { USERNAME_PATTERN } from './userStore';

/** Group names follow the username rules; the two live in separate namespaces. */
export const GROUP_NAME_PATTERN = USERNAME_PATTERN;

/** Groups and their members' roles. Who may call what is the routes' business, via permissions.ts. */
export class GroupStore {
  constructor(private readonly _db: GalleryDatabase) {}

  /**
   * Creates a group with `owner` as its first owner.
   * @throws {InvalidRequestError} for a bad name.
   * @throws {GroupExistsError}
   * @throws {UserNotFoundError} when `owner` is not a user.
   */
  create(name: string, owner: string): IGroup {
    if (!new RegExp(GROUP_NAME_PATTERN).test(name)) {
      throw new InvalidRequestError(
        `group name "${name}" must be 1-64 letters, digits, ".", "_" or "-", starting with a letter or digit`
      );
    }
    this._assertUser(owner);
    this._db.transaction(() => {
      if (this.exists(name)) {
        throw new GroupExistsError(name);
      }
      this._db.prepare('INSERT INTO groups (name, created_at) VALUES (?, ?)').run(name, new Date().toISOString());
      this._db
        .prepare("INSERT INTO group_members (group_name, username, role) VALUES (?, ?, 'owner')")
        .run(name, owner);
    })();
    return this.get(name, owner);
  }

  exists(name: string): boolean {
    return this._db.prepare('SELECT 1 FROM groups WHERE name = ?').get(name) !== undefined;
  }

  /**
   * The group as `viewer` sees it (their role, null when they are not a member).
   * @throws {GroupNotFoundError}
   */
  get(name: string, viewer: string | null): IGroup {
    if (!this.exists(name)) {
      throw new GroupNotFoundError(name);
    }
    const members = this._db
      .prepare(
        `SELECT username, role FROM group_members WHERE group_name = ?
         ORDER BY CASE role WHEN 'owner' THEN 0 WHEN 'editor' THEN 1 ELSE 2 END, username`
      )
      .all(name) as Array<{ username: string; role: GroupRole }>;
    return { name, role: members.find(member => member.username === viewer)?.role ?? null, members };
  }

  /** The groups `username` belongs to (every group when `all`), by name. */
  list(username: string, all: boolean): IGroup[] {
    const names = (
      all
        ? this._db.prepare('SELECT name FROM groups ORDER BY name').all()
        : this._db
            .prepare('SELECT group_name AS name FROM group_members WHERE username = ? ORDER BY group_name')
            .all(username)
    ) as Array<{ name: string }>;
    return names.map(({ name }) => this.get(name, username));
  }

  /** `username`'s role in each of their groups. */
  rolesOf(username: string): Map<string, GroupRole> {
    const rows = this._db
      .prepare('SELECT group_name, role FROM group_members WHERE username = ?')
      .all(username) as Array<{ group_name: string; role: GroupRole }>;
    return new Map(rows.map(row => [row.group_name, row.role]));
  }

  /**
   * Adds a member or changes their role.
   * @throws {GroupNotFoundError}
   * @throws {UserNotFoundError}
   * @throws {InvalidRequestError} when it would leave the group without an owner.
   */
  setMember(name: string, username: string, role: GroupRole): void {
    this._assertUser(username);
    this._db.transaction(() => {
      this._assertGroup(name);
      if (role !== 'owner') {
        this._assertNotLastOwner(name, username);
      }
      this._db
        .prepare(
          `INSERT INTO group_members (group_name, username, role) VALUES (?, ?, ?)
           ON CONFLICT (group_name, username) DO UPDATE SET role = excluded.role`
        )
        .run(name, username, role);
    })();
  }

  /**
   * Removes a member.
   * @throws {GroupNotFoundError}
   * @throws {UserNotFoundError} when they are not a member.
   * @throws {InvalidRequestError} when they are the last owner.
   */
  removeMember(name: string, username: string): void {
    this._db.transaction(() => {
      this._assertGroup(name);
      this._assertNotLastOwner(name, username);
      const removed = this._db
        .prepare('DELETE FROM group_members WHERE group_name = ? AND username = ?')
        .run(name, username).changes;
      if (removed === 0) {
        throw new UserNotFoundError(username);
      }
    })();
  }

  private _assertNotLastOwner(name: string, username: string): void {
    const owners = this._db
      .prepare("SELECT username FROM group_members WHERE group_name = ? AND role = 'owner'")
      .all(name) as Array<{ username: string }>;
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
    if (this._db.prepare('SELECT 1 FROM users WHERE username = ?').get(username) === undefined) {
      throw new UserNotFoundError(username);
    }
  }
}

import type { GroupRole, IGroupMatch, IGroupMember } from '@notebook-gallery/core';
import type { GalleryDatabase } from '../../db/database';
import type { IGroupRepository, ISyncedMembership } from '../groupRepository';
import { foldedNameRange } from '../namePrefixRange';
import { SqliteConnectionGate } from './sqliteConnectionGate';

/** Groups in the `groups` and `group_members` tables. */
export class SqliteGroupRepository implements IGroupRepository {
  private readonly _gate: SqliteConnectionGate;

  constructor(private readonly _db: GalleryDatabase) {
    this._gate = SqliteConnectionGate.of(_db);
  }

  async exists(name: string): Promise<boolean> {
    return this._gate.run(() => this._db.prepare('SELECT 1 FROM groups WHERE name = ?').get(name) !== undefined);
  }

  async insert(name: string, owner: string, createdAt: string): Promise<boolean> {
    return this._gate.run(() =>
      this._db.transaction(() => {
        if (
          this._db
            .prepare('INSERT INTO groups (name, created_at) VALUES (?, ?) ON CONFLICT DO NOTHING')
            .run(name, createdAt).changes === 0
        ) {
          return false;
        }
        this._db
          .prepare("INSERT INTO group_members (group_name, username, role) VALUES (?, ?, 'owner')")
          .run(name, owner);
        return true;
      })()
    );
  }

  async members(name: string): Promise<IGroupMember[]> {
    return this._gate.run(
      () =>
        this._db
          .prepare(
            `SELECT username, role FROM group_members WHERE group_name = ?
         ORDER BY CASE role WHEN 'owner' THEN 0 WHEN 'editor' THEN 1 ELSE 2 END, username`
          )
          .all(name) as IGroupMember[]
    );
  }

  async names(username: string | null): Promise<string[]> {
    return this._gate.run(() => {
      const rows = (
        username === null
          ? this._db.prepare('SELECT name FROM groups ORDER BY name').all()
          : this._db
              .prepare('SELECT group_name AS name FROM group_members WHERE username = ? ORDER BY group_name')
              .all(username)
      ) as Array<{ name: string }>;
      return rows.map(row => row.name);
    });
  }

  async search(prefix: string, limit: number): Promise<IGroupMatch[]> {
    return this._gate.run(() => {
      const range = foldedNameRange(prefix);
      if (range === null) {
        return [];
      }
      return this._db
        .prepare(
          `SELECT name, (SELECT COUNT(*) FROM group_members WHERE group_name = groups.name) AS memberCount FROM groups
         WHERE lower(name) >= ? AND lower(name) < ?
         ORDER BY lower(name), CASE WHEN name = ? THEN 0 ELSE 1 END, name LIMIT ?`
        )
        .all(range.from, range.to, prefix, limit) as IGroupMatch[];
    });
  }

  async rolesOf(username: string): Promise<Map<string, GroupRole>> {
    return this._gate.run(() => {
      const rows = this._db
        .prepare('SELECT group_name, role FROM group_members WHERE username = ?')
        .all(username) as Array<{ group_name: string; role: GroupRole }>;
      return new Map(rows.map(row => [row.group_name, row.role]));
    });
  }

  async ensure(name: string, createdAt: string): Promise<boolean> {
    return this._gate.run(
      () =>
        this._db
          .prepare('INSERT INTO groups (name, created_at) VALUES (?, ?) ON CONFLICT DO NOTHING')
          .run(name, createdAt).changes > 0
    );
  }

  async setMember(name: string, username: string, role: GroupRole): Promise<void> {
    return this._gate.run(() => {
      this._db
        .prepare(
          `INSERT INTO group_members (group_name, username, role, source) VALUES (?, ?, ?, 'gallery')
         ON CONFLICT (group_name, username) DO UPDATE SET role = excluded.role, source = 'gallery'`
        )
        .run(name, username, role);
    });
  }

  async syncedMemberships(username: string | null): Promise<ISyncedMembership[]> {
    return this._gate.run(
      () =>
        (username === null
          ? this._db
              .prepare('SELECT group_name AS "group", username, role FROM group_members WHERE source = \'hub\'')
              .all()
          : this._db
              .prepare(
                'SELECT group_name AS "group", username, role FROM group_members WHERE source = \'hub\' AND username = ?'
              )
              .all(username)) as ISyncedMembership[]
    );
  }

  async setSyncedMember(name: string, username: string, role: GroupRole): Promise<void> {
    return this._gate.run(() => {
      this._db
        .prepare(
          `INSERT INTO group_members (group_name, username, role, source) VALUES (?, ?, ?, 'hub')
         ON CONFLICT (group_name, username) DO UPDATE SET role = excluded.role WHERE group_members.source = 'hub'`
        )
        .run(name, username, role);
    });
  }

  async removeSyncedMember(name: string, username: string): Promise<void> {
    return this._gate.run(() => {
      this._db
        .prepare("DELETE FROM group_members WHERE group_name = ? AND username = ? AND source = 'hub'")
        .run(name, username);
    });
  }

  async removeMember(name: string, username: string): Promise<boolean> {
    return this._gate.run(
      () =>
        this._db.prepare('DELETE FROM group_members WHERE group_name = ? AND username = ?').run(name, username)
          .changes > 0
    );
  }
}

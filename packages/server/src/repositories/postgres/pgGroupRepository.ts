import type { GroupRole, IGroupMatch, IGroupMember } from '@notebook-gallery/core';
import { advisoryKey, type PgDatabase } from '../../db/postgres/pgDatabase';
import type { IGroupRepository, ISyncedMembership } from '../groupRepository';
import { foldedNameRange } from '../namePrefixRange';
import { foldAscii } from './pgAsciiFold';

/**
 * The advisory lock every group transaction takes. One for all groups, not one per group: the hub sync changes many
 * groups in one transaction, and group changes are rare and short.
 */
const GROUPS_LOCK = advisoryKey('groups', 'transaction');

/** Owners first, then editors, then members (the order `members` promises). */
const ROLE_ORDER = "CASE role WHEN 'owner' THEN 0 WHEN 'editor' THEN 1 ELSE 2 END";

/**
 * A group name folded as SQLite's `lower()` folds it (ASCII letters only, compared in byte order; see pgAsciiFold.ts);
 * the index `groups_by_folded_name` is on this expression.
 */
const FOLDED_NAME = foldAscii('name');

/**
 * Groups in PostgreSQL's `groups` and `group_members` tables: the twin of SqliteGroupRepository. Names sort in byte
 * order (`COLLATE "C"`), as SQLite's default collation sorts them. Where SQLite's answer has no ORDER BY
 * (`rolesOf`, `syncedMemberships`) this one names the order SQLite's index walk gives, so both read the same.
 */
export class PgGroupRepository implements IGroupRepository {
  constructor(private readonly _db: PgDatabase) {}

  async exists(name: string): Promise<boolean> {
    return (await this._db.queryOne('SELECT 1 FROM groups WHERE name = $1', [name])) !== undefined;
  }

  /**
   * The group and its owner in one transaction. A concurrent insert of the same name waits on the first one's row
   * and then inserts nothing, so exactly one of two replicas gets true.
   */
  async insert(name: string, owner: string, createdAt: string): Promise<boolean> {
    return this._db.transaction(async () => {
      const added = await this._db.execute(
        'INSERT INTO groups (name, created_at) VALUES ($1, $2) ON CONFLICT DO NOTHING',
        [name, createdAt]
      );
      if (added === 0) {
        return false;
      }
      await this._db.execute("INSERT INTO group_members (group_name, username, role) VALUES ($1, $2, 'owner')", [
        name,
        owner
      ]);
      return true;
    });
  }

  async members(name: string): Promise<IGroupMember[]> {
    return this._db.query<IGroupMember>(
      `SELECT username, role FROM group_members WHERE group_name = $1 ORDER BY ${ROLE_ORDER}, username COLLATE "C"`,
      [name]
    );
  }

  async names(username: string | null): Promise<string[]> {
    const rows =
      username === null
        ? await this._db.query<{ name: string }>('SELECT name FROM groups ORDER BY name COLLATE "C"')
        : await this._db.query<{ name: string }>(
            'SELECT group_name AS name FROM group_members WHERE username = $1 ORDER BY group_name COLLATE "C"',
            [username]
          );
    return rows.map(row => row.name);
  }

  async search(prefix: string, limit: number): Promise<IGroupMatch[]> {
    const range = foldedNameRange(prefix);
    if (range === null) {
      return [];
    }
    return this._db.query<IGroupMatch>(
      `SELECT name, (SELECT count(*) FROM group_members WHERE group_name = groups.name) AS "memberCount"
       FROM groups
       WHERE ${FOLDED_NAME} >= $1 AND ${FOLDED_NAME} < $2
       ORDER BY ${FOLDED_NAME}, CASE WHEN name = $3 THEN 0 ELSE 1 END, name COLLATE "C" LIMIT $4`,
      [range.from, range.to, prefix, limit]
    );
  }

  async rolesOf(username: string): Promise<Map<string, GroupRole>> {
    const rows = await this._db.query<{ group_name: string; role: GroupRole }>(
      'SELECT group_name, role FROM group_members WHERE username = $1 ORDER BY group_name COLLATE "C"',
      [username]
    );
    return new Map(rows.map(row => [row.group_name, row.role]));
  }

  async ensure(name: string, createdAt: string): Promise<boolean> {
    return (
      (await this._db.execute('INSERT INTO groups (name, created_at) VALUES ($1, $2) ON CONFLICT DO NOTHING', [
        name,
        createdAt
      ])) > 0
    );
  }

  async setMember(name: string, username: string, role: GroupRole): Promise<void> {
    await this._db.execute(
      `INSERT INTO group_members (group_name, username, role, source) VALUES ($1, $2, $3, 'gallery')
       ON CONFLICT (group_name, username) DO UPDATE SET role = excluded.role, source = 'gallery'`,
      [name, username, role]
    );
  }

  async syncedMemberships(username: string | null): Promise<ISyncedMembership[]> {
    return username === null
      ? this._db.query<ISyncedMembership>(
          `SELECT group_name AS "group", username, role FROM group_members WHERE source = 'hub'
           ORDER BY username COLLATE "C", group_name COLLATE "C"`
        )
      : this._db.query<ISyncedMembership>(
          `SELECT group_name AS "group", username, role FROM group_members WHERE source = 'hub' AND username = $1
           ORDER BY group_name COLLATE "C"`,
          [username]
        );
  }

  async setSyncedMember(name: string, username: string, role: GroupRole): Promise<void> {
    await this._db.execute(
      `INSERT INTO group_members (group_name, username, role, source) VALUES ($1, $2, $3, 'hub')
       ON CONFLICT (group_name, username) DO UPDATE SET role = excluded.role WHERE group_members.source = 'hub'`,
      [name, username, role]
    );
  }

  async removeSyncedMember(name: string, username: string): Promise<void> {
    await this._db.execute("DELETE FROM group_members WHERE group_name = $1 AND username = $2 AND source = 'hub'", [
      name,
      username
    ]);
  }

  async removeMember(name: string, username: string): Promise<boolean> {
    return (
      (await this._db.execute('DELETE FROM group_members WHERE group_name = $1 AND username = $2', [name, username])) >
      0
    );
  }

  /**
   * Runs `work` in one PostgreSQL transaction (joining the caller's, if any) that holds {@link GROUPS_LOCK}, so group
   * transactions on every replica run one at a time, as they do on SQLite's one connection. READ COMMITTED alone
   * would let two of them read the same state and both act on it: two owners each removing themselves would each
   * see the other and leave the group without an owner.
   *
   * The synchronous interface types `work` as `() => T`; on PostgreSQL every repository call in it is asynchronous,
   * so `work` returns a Promise and the transaction lasts until it settles (a plain value is taken as it is).
   */
  async transaction<T>(work: () => Promise<T> | T): Promise<T> {
    return this._db.lockedTransaction(GROUPS_LOCK, async () => work());
  }
}

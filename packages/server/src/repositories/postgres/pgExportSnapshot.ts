import type { PgDatabase } from '../../db/postgres/pgDatabase';
import {
  EXPORTED_NOTEBOOK_COLUMNS,
  exportedNotebook,
  namedGroups,
  namedUsers,
  type IExportedNotebookRow
} from '../exportSnapshotRecords';
import type {
  IExportFilters,
  IExportSnapshotRepository,
  IExportedChangeRequest,
  IExportedComment,
  IExportedGroup,
  IExportedNotebook,
  IExportedUser
} from '../exportSnapshotRepository';
import { foldAscii } from './pgAsciiFold';

/**
 * The export's reads in PostgreSQL, the twin of SqliteExportSnapshot: every query runs on one client inside one
 * `REPEATABLE READ READ ONLY` transaction, so all of them see the snapshot taken by the first, however the replicas
 * write meanwhile (READ COMMITTED, the default, would give each statement a newer snapshot). Orders compare text in
 * byte order (`COLLATE "C"`), as SQLite's default collation does.
 */
export class PgExportSnapshot implements IExportSnapshotRepository {
  constructor(private readonly _db: PgDatabase) {}

  async readNotebooks(filters: IExportFilters): Promise<IExportedNotebook[]> {
    if (this._db.inTransaction) {
      // Inside a caller's transaction the snapshot is that transaction's; its isolation cannot change half-way.
      return this._read(filters);
    }
    return this._db.transaction(async () => {
      await this._db.execute('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY');
      return this._read(filters);
    });
  }

  private async _read(filters: IExportFilters): Promise<IExportedNotebook[]> {
    const notebooks: IExportedNotebook[] = [];
    // One notebook at a time: they share the transaction's one client, which runs one statement at a time anyway.
    for (const row of await this._selected(filters)) {
      notebooks.push(await this._notebook(row));
    }
    return notebooks;
  }

  private async _selected(filters: IExportFilters): Promise<IExportedNotebookRow[]> {
    const where: string[] = [];
    const values: string[] = [];
    if (filters.owner !== null) {
      values.push(filters.owner);
      where.push(`n.owner_kind = 'user' AND n.owner = $${values.length}`);
    }
    if (filters.group !== null) {
      values.push(filters.group);
      where.push(`n.group_name = $${values.length}`);
    }
    if (filters.tag !== null) {
      values.push(filters.tag);
      // SQLite's lower() folds ASCII only, so "É" and "é" stay apart on both backends.
      where.push(
        `EXISTS (SELECT 1 FROM notebook_tags t WHERE t.notebook_id = n.id
           AND ${foldAscii('t.tag')} = ${foldAscii(`$${values.length}::text`)})`
      );
    }
    return this._db.query<IExportedNotebookRow>(
      `SELECT ${EXPORTED_NOTEBOOK_COLUMNS}
       FROM notebooks n ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY n.id COLLATE "C"`,
      values
    );
  }

  private async _notebook(row: IExportedNotebookRow): Promise<IExportedNotebook> {
    const tags = (
      await this._db.query<{ tag: string }>('SELECT tag FROM notebook_tags WHERE notebook_id = $1 ORDER BY position', [
        row.id
      ])
    ).map(tag => tag.tag);
    const revisions = await this._db.query<IExportedNotebook['revisions'][number]>(
      `SELECT number, sha AS "commit", author, message, created_at AS "createdAt"
       FROM revisions WHERE notebook_id = $1 ORDER BY number`,
      [row.id]
    );
    const shares = await this._db.query<IExportedNotebook['shares'][number]>(
      `SELECT principal_kind AS kind, principal, role FROM notebook_shares WHERE notebook_id = $1
       ORDER BY principal_kind COLLATE "C", principal COLLATE "C"`,
      [row.id]
    );
    const stars = await this._db.query<IExportedNotebook['stars'][number]>(
      `SELECT username, created_at AS "createdAt" FROM notebook_stars WHERE notebook_id = $1
       ORDER BY username COLLATE "C"`,
      [row.id]
    );
    const comments = await this._db.query<IExportedComment>(
      `SELECT id, author, body, created_at AS "createdAt", edited_at AS "editedAt", resolved_at AS "resolvedAt",
         resolved_by AS "resolvedBy", parent_id AS "parentId", change_request_id AS "changeRequestId",
         cell_id AS "cellId", revision, source_hash AS "sourceHash", line_from AS "lineFrom", line_to AS "lineTo"
       FROM comments WHERE notebook_id = $1
       ORDER BY CASE WHEN parent_id IS NULL THEN 0 ELSE 1 END, created_at COLLATE "C", id COLLATE "C"`,
      [row.id]
    );
    const changeRequests = await this._db.query<IExportedChangeRequest>(
      `SELECT id, proposer, message, base_revision AS "baseRevision", commit_sha AS "commit", status,
         created_at AS "createdAt", decided_at AS "decidedAt", decided_by AS "decidedBy", comment,
         accepted_revision AS "acceptedRevision"
       FROM change_requests WHERE notebook_id = $1 ORDER BY created_at COLLATE "C", id COLLATE "C"`,
      [row.id]
    );
    const parts = { tags, revisions, shares, stars, comments, changeRequests };
    const groups = await this._groups(namedGroups(row, parts));
    return exportedNotebook(row, parts, await this._users(namedUsers(row, parts, groups)), groups);
  }

  /**
   * The accounts of `wanted` (those the notebook names, sorted): name, email and creation only (never a password
   * hash, a token or the admin flag).
   */
  private async _users(wanted: readonly string[]): Promise<IExportedUser[]> {
    const rows = await this._db.query<IExportedUser>(
      'SELECT username, email, created_at AS "createdAt" FROM users WHERE username = ANY($1)',
      [wanted]
    );
    const byName = new Map(rows.map(user => [user.username, user]));
    return wanted.flatMap(username => byName.get(username) ?? []);
  }

  /**
   * The groups of `wanted` (those the notebook names, sorted), with the members the gallery gave them (a JupyterHub
   * sync gives its own again).
   */
  private async _groups(wanted: readonly string[]): Promise<IExportedGroup[]> {
    if (wanted.length === 0) {
      return [];
    }
    const groups = await this._db.query<Omit<IExportedGroup, 'members'>>(
      'SELECT name, created_at AS "createdAt" FROM groups WHERE name = ANY($1)',
      [wanted]
    );
    const members = await this._db.query<IExportedGroup['members'][number] & { group_name: string }>(
      `SELECT group_name, username, role FROM group_members WHERE group_name = ANY($1) AND source = 'gallery'
       ORDER BY username COLLATE "C"`,
      [wanted]
    );
    const byName = new Map(groups.map(group => [group.name, group]));
    return wanted.flatMap(name => {
      const group = byName.get(name);
      if (!group) {
        return [];
      }
      const own = members.filter(member => member.group_name === name);
      return [{ ...group, members: own.map(({ username, role }) => ({ username, role })) }];
    });
  }
}

import type { GalleryDatabase } from '../../db/database';
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
import { SqliteConnectionGate } from './sqliteConnectionGate';

/**
 * The export's reads over a connection of its own (read-only while a server runs): one deferred transaction, so
 * SQLite's WAL gives every query the same snapshot.
 */
export class SqliteExportSnapshot implements IExportSnapshotRepository {
  private readonly _gate: SqliteConnectionGate;

  constructor(private readonly _db: GalleryDatabase) {
    this._gate = SqliteConnectionGate.of(_db);
  }

  async readNotebooks(filters: IExportFilters): Promise<IExportedNotebook[]> {
    return this._gate.run(() =>
      this._db.transaction(() => this._selected(filters).map(row => this._notebook(row))).deferred()
    );
  }

  private _selected(filters: IExportFilters): IExportedNotebookRow[] {
    const where: string[] = [];
    const values: string[] = [];
    if (filters.owner !== null) {
      where.push(`n.owner_kind = 'user' AND n.owner = ?`);
      values.push(filters.owner);
    }
    if (filters.group !== null) {
      where.push('n.group_name = ?');
      values.push(filters.group);
    }
    if (filters.tag !== null) {
      // Tags are ASCII-folded like the listing's filter; lower() is the same in SQLite and PostgreSQL for ASCII.
      where.push('EXISTS (SELECT 1 FROM notebook_tags t WHERE t.notebook_id = n.id AND lower(t.tag) = lower(?))');
      values.push(filters.tag);
    }
    return this._db
      .prepare(
        `SELECT ${EXPORTED_NOTEBOOK_COLUMNS}
         FROM notebooks n ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY n.id`
      )
      .all(...values) as IExportedNotebookRow[];
  }

  private _notebook(row: IExportedNotebookRow): IExportedNotebook {
    const tags = (
      this._db.prepare('SELECT tag FROM notebook_tags WHERE notebook_id = ? ORDER BY position').all(row.id) as {
        tag: string;
      }[]
    ).map(tag => tag.tag);
    const revisions = this._db
      .prepare(
        `SELECT number, sha AS "commit", author, message, created_at AS "createdAt"
         FROM revisions WHERE notebook_id = ? ORDER BY number`
      )
      .all(row.id) as IExportedNotebook['revisions'];
    const shares = this._db
      .prepare(
        `SELECT principal_kind AS kind, principal, role FROM notebook_shares WHERE notebook_id = ?
         ORDER BY principal_kind, principal`
      )
      .all(row.id) as IExportedNotebook['shares'];
    const stars = this._db
      .prepare(`SELECT username, created_at AS "createdAt" FROM notebook_stars WHERE notebook_id = ? ORDER BY username`)
      .all(row.id) as IExportedNotebook['stars'];
    const comments = this._db
      .prepare(
        `SELECT id, author, body, created_at AS "createdAt", edited_at AS "editedAt", resolved_at AS "resolvedAt",
           resolved_by AS "resolvedBy", parent_id AS "parentId", change_request_id AS "changeRequestId",
           cell_id AS "cellId", revision, source_hash AS "sourceHash", line_from AS "lineFrom", line_to AS "lineTo"
         FROM comments WHERE notebook_id = ?
         ORDER BY CASE WHEN parent_id IS NULL THEN 0 ELSE 1 END, created_at, id`
      )
      .all(row.id) as IExportedComment[];
    const changeRequests = this._db
      .prepare(
        `SELECT id, proposer, message, base_revision AS "baseRevision", commit_sha AS "commit", status,
           created_at AS "createdAt", decided_at AS "decidedAt", decided_by AS "decidedBy", comment,
           accepted_revision AS "acceptedRevision"
         FROM change_requests WHERE notebook_id = ? ORDER BY created_at, id`
      )
      .all(row.id) as IExportedChangeRequest[];
    const parts = { tags, revisions, shares, stars, comments, changeRequests };
    const groups = this._groups(namedGroups(row, parts));
    return exportedNotebook(row, parts, this._users(namedUsers(row, parts, groups)), groups);
  }

  /**
   * The accounts of `wanted` (those the notebook names, sorted): name, email and creation only (never a password
   * hash, a token or the admin flag).
   */
  private _users(wanted: readonly string[]): IExportedUser[] {
    return wanted.flatMap(username => {
      const user = this._db
        .prepare('SELECT username, email, created_at AS "createdAt" FROM users WHERE username = ?')
        .get(username) as IExportedUser | undefined;
      return user ? [user] : [];
    });
  }

  /**
   * The groups of `wanted` (those the notebook names, sorted), with the members the gallery gave them (a JupyterHub
   * sync gives its own again).
   */
  private _groups(wanted: readonly string[]): IExportedGroup[] {
    return wanted.flatMap(name => {
      const group = this._db.prepare('SELECT name, created_at AS "createdAt" FROM groups WHERE name = ?').get(name) as
        Omit<IExportedGroup, 'members'> | undefined;
      if (!group) {
        return [];
      }
      const members = this._db
        .prepare(
          `SELECT username, role FROM group_members WHERE group_name = ? AND source = 'gallery' ORDER BY username`
        )
        .all(name) as IExportedGroup['members'];
      return [{ ...group, members }];
    });
  }
}

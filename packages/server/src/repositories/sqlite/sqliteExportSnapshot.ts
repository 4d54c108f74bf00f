import type { Visibility } from '@notebook-gallery/core';
import type { GalleryDatabase } from '../../db/database';
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

interface INotebookRow {
  id: string;
  title: string;
  description: string;
  visibility: Visibility;
  owner_kind: 'user' | 'group';
  owner: string;
  group_name: string | null;
  parent_id: string | null;
  parent_revision: string | null;
  created_at: string;
  updated_at: string;
}

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

  private _selected(filters: IExportFilters): INotebookRow[] {
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
        `SELECT n.id, n.title, n.description, n.visibility, n.owner_kind, n.owner, n.group_name, n.parent_id,
           n.parent_revision, n.created_at, n.updated_at
         FROM notebooks n ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY n.id`
      )
      .all(...values) as INotebookRow[];
  }

  private _notebook(row: INotebookRow): IExportedNotebook {
    const id = row.id;
    const tags = (
      this._db.prepare('SELECT tag FROM notebook_tags WHERE notebook_id = ? ORDER BY position').all(id) as {
        tag: string;
      }[]
    ).map(tag => tag.tag);
    const revisions = this._db
      .prepare(
        `SELECT number, sha AS "commit", author, message, created_at AS "createdAt"
         FROM revisions WHERE notebook_id = ? ORDER BY number`
      )
      .all(id) as IExportedNotebook['revisions'];
    const shares = this._db
      .prepare(
        `SELECT principal_kind AS kind, principal, role FROM notebook_shares WHERE notebook_id = ?
         ORDER BY principal_kind, principal`
      )
      .all(id) as IExportedNotebook['shares'];
    const stars = this._db
      .prepare(`SELECT username, created_at AS "createdAt" FROM notebook_stars WHERE notebook_id = ? ORDER BY username`)
      .all(id) as IExportedNotebook['stars'];
    const comments = this._db
      .prepare(
        `SELECT id, author, body, created_at AS "createdAt", edited_at AS "editedAt", resolved_at AS "resolvedAt",
           resolved_by AS "resolvedBy", parent_id AS "parentId", change_request_id AS "changeRequestId",
           cell_id AS "cellId", revision, source_hash AS "sourceHash", line_from AS "lineFrom", line_to AS "lineTo"
         FROM comments WHERE notebook_id = ?
         ORDER BY CASE WHEN parent_id IS NULL THEN 0 ELSE 1 END, created_at, id`
      )
      .all(id) as IExportedComment[];
    const changeRequests = this._db
      .prepare(
        `SELECT id, proposer, message, base_revision AS "baseRevision", commit_sha AS "commit", status,
           created_at AS "createdAt", decided_at AS "decidedAt", decided_by AS "decidedBy", comment,
           accepted_revision AS "acceptedRevision"
         FROM change_requests WHERE notebook_id = ? ORDER BY created_at, id`
      )
      .all(id) as IExportedChangeRequest[];
    const groups = this._groups([
      row.group_name,
      ...shares.filter(share => share.kind === 'group').map(share => share.principal)
    ]);
    const users = this._users([
      row.owner,
      ...revisions.map(revision => revision.author),
      ...shares.filter(share => share.kind === 'user').map(share => share.principal),
      ...stars.map(star => star.username),
      ...comments.flatMap(comment => [comment.author, comment.resolvedBy]),
      ...changeRequests.flatMap(request => [request.proposer, request.decidedBy]),
      ...groups.flatMap(group => group.members.map(member => member.username))
    ]);
    return {
      id,
      title: row.title,
      description: row.description,
      tags,
      visibility: row.visibility,
      ownerKind: row.owner_kind,
      owner: row.owner,
      group: row.group_name,
      forkedFrom: row.parent_id === null ? null : { id: row.parent_id, revision: row.parent_revision },
      createdAt: row.created_at,
      updatedAt: row.updated_at,
      revisions,
      shares,
      stars,
      comments,
      changeRequests,
      users,
      groups
    };
  }

  /** The accounts named, sorted: name, email and creation only (never a password hash, a token or the admin flag). */
  private _users(names: readonly (string | null)[]): IExportedUser[] {
    const wanted = uniqueSorted(names);
    return wanted.flatMap(username => {
      const user = this._db
        .prepare('SELECT username, email, created_at AS "createdAt" FROM users WHERE username = ?')
        .get(username) as IExportedUser | undefined;
      return user ? [user] : [];
    });
  }

  /** The groups named, sorted, with the members the gallery gave them (a JupyterHub sync gives its own again). */
  private _groups(names: readonly (string | null)[]): IExportedGroup[] {
    return uniqueSorted(names).flatMap(name => {
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

function uniqueSorted(names: readonly (string | null)[]): string[] {
  return [...new Set(names.filter((name): name is string => name !== null))].sort();
}

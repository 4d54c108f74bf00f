import type { GalleryDatabase } from '../../db/database';
import {
  commentRecord,
  COMMENT_COLUMNS,
  newCommentValues,
  NEW_COMMENT_COLUMNS,
  type ICommentRow
} from '../commentRecords';
import type { ICommentRecord, ICommentRepository, INewComment } from '../commentRepository';
import { SqliteConnectionGate } from './sqliteConnectionGate';

const OLDEST_FIRST = 'ORDER BY c.created_at, c.id';

/** Comments in SQLite. */
export class SqliteCommentRepository implements ICommentRepository {
  private readonly _gate: SqliteConnectionGate;

  constructor(private readonly _db: GalleryDatabase) {
    this._gate = SqliteConnectionGate.of(_db);
  }

  async insert(comment: INewComment): Promise<void> {
    return this._gate.run(() => {
      this._db
        .prepare(`INSERT INTO comments (${NEW_COMMENT_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
        .run(...newCommentValues(comment));
    });
  }

  async find(id: string): Promise<ICommentRecord | undefined> {
    return this._gate.run(() => {
      const row = this._db.prepare(`SELECT ${COMMENT_COLUMNS} FROM comments c WHERE c.id = ?`).get(id) as
        ICommentRow | undefined;
      return row && commentRecord(row);
    });
  }

  async listForNotebook(notebookId: string): Promise<ICommentRecord[]> {
    return this._gate.run(() => {
      const rows = this._db
        .prepare(
          `SELECT ${COMMENT_COLUMNS} FROM comments c
         LEFT JOIN change_requests cr ON cr.id = c.change_request_id
         WHERE c.notebook_id = ? AND (c.change_request_id IS NULL OR cr.status = 'accepted')
         ${OLDEST_FIRST}`
        )
        .all(notebookId) as ICommentRow[];
      return rows.map(commentRecord);
    });
  }

  async listForChangeRequest(changeRequestId: string): Promise<ICommentRecord[]> {
    return this._gate.run(() => {
      const rows = this._db
        .prepare(`SELECT ${COMMENT_COLUMNS} FROM comments c WHERE c.change_request_id = ? ${OLDEST_FIRST}`)
        .all(changeRequestId) as ICommentRow[];
      return rows.map(commentRecord);
    });
  }

  async threadAuthors(rootId: string): Promise<string[]> {
    return this._gate.run(() => {
      const rows = this._db
        .prepare('SELECT DISTINCT author FROM comments WHERE id = ? OR parent_id = ?')
        .all(rootId, rootId) as { author: string }[];
      return rows.map(row => row.author);
    });
  }

  async setBody(id: string, body: string, editedAt: string): Promise<void> {
    return this._gate.run(() => {
      this._db.prepare('UPDATE comments SET body = ?, edited_at = ? WHERE id = ?').run(body, editedAt, id);
    });
  }

  async setResolved(id: string, at: string | null, by: string | null): Promise<void> {
    return this._gate.run(() => {
      this._db.prepare('UPDATE comments SET resolved_at = ?, resolved_by = ? WHERE id = ?').run(at, by, id);
    });
  }

  async delete(id: string): Promise<void> {
    return this._gate.run(() => {
      this._db.prepare('DELETE FROM comments WHERE id = ?').run(id);
    });
  }
}

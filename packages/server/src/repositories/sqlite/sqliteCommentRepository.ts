import type { GalleryDatabase } from '../../db/database';
import type { ICommentRecord, ICommentRepository, INewComment } from '../commentRepository';
import { SqliteConnectionGate } from './sqliteConnectionGate';

/** A row of `comments`. */
interface ICommentRow {
  id: string;
  notebook_id: string;
  author: string;
  body: string;
  created_at: string;
  edited_at: string | null;
  resolved_at: string | null;
  resolved_by: string | null;
  parent_id: string | null;
  change_request_id: string | null;
  cell_id: string | null;
  revision: string | null;
  source_hash: string | null;
  line_from: number | null;
  line_to: number | null;
}

const COLUMNS = `c.id, c.notebook_id, c.author, c.body, c.created_at, c.edited_at, c.resolved_at, c.resolved_by,
  c.parent_id, c.change_request_id, c.cell_id, c.revision, c.source_hash, c.line_from, c.line_to`;
const OLDEST_FIRST = 'ORDER BY c.created_at, c.id';

/** Comments in SQLite. */
export class SqliteCommentRepository implements ICommentRepository {
  private readonly _gate: SqliteConnectionGate;

  constructor(private readonly _db: GalleryDatabase) {
    this._gate = SqliteConnectionGate.of(_db);
  }

  async insert(comment: INewComment): Promise<void> {
    return this._gate.run(() => {
      const anchor = comment.anchor;
      this._db
        .prepare(
          `INSERT INTO comments (id, notebook_id, author, body, created_at, parent_id, change_request_id, cell_id,
           revision, source_hash, line_from, line_to)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`
        )
        .run(
          comment.id,
          comment.notebookId,
          comment.author,
          comment.body,
          comment.createdAt,
          comment.parentId,
          comment.changeRequestId,
          anchor?.cellId ?? null,
          anchor?.revision ?? null,
          anchor?.sourceHash ?? null,
          anchor?.lines?.from ?? null,
          anchor?.lines?.to ?? null
        );
    });
  }

  async find(id: string): Promise<ICommentRecord | undefined> {
    return this._gate.run(() => {
      const row = this._db.prepare(`SELECT ${COLUMNS} FROM comments c WHERE c.id = ?`).get(id) as
        ICommentRow | undefined;
      return row && Private.toRecord(row);
    });
  }

  async listForNotebook(notebookId: string): Promise<ICommentRecord[]> {
    return this._gate.run(() => {
      const rows = this._db
        .prepare(
          `SELECT ${COLUMNS} FROM comments c
         LEFT JOIN change_requests cr ON cr.id = c.change_request_id
         WHERE c.notebook_id = ? AND (c.change_request_id IS NULL OR cr.status = 'accepted')
         ${OLDEST_FIRST}`
        )
        .all(notebookId) as ICommentRow[];
      return rows.map(Private.toRecord);
    });
  }

  async listForChangeRequest(changeRequestId: string): Promise<ICommentRecord[]> {
    return this._gate.run(() => {
      const rows = this._db
        .prepare(`SELECT ${COLUMNS} FROM comments c WHERE c.change_request_id = ? ${OLDEST_FIRST}`)
        .all(changeRequestId) as ICommentRow[];
      return rows.map(Private.toRecord);
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

namespace Private {
  export function toRecord(row: ICommentRow): ICommentRecord {
    return {
      id: row.id,
      notebookId: row.notebook_id,
      author: row.author,
      body: row.body,
      createdAt: row.created_at,
      editedAt: row.edited_at,
      resolvedAt: row.resolved_at,
      resolvedBy: row.resolved_by,
      parentId: row.parent_id,
      changeRequestId: row.change_request_id,
      anchor:
        row.cell_id !== null && row.revision !== null && row.source_hash !== null
          ? {
              cellId: row.cell_id,
              revision: row.revision,
              sourceHash: row.source_hash,
              lines: row.line_from !== null && row.line_to !== null ? { from: row.line_from, to: row.line_to } : null
            }
          : null
    };
  }
}

import type { PgDatabase } from '../../db/postgres/pgDatabase';
import type { ICommentRecord, ICommentRepository, INewComment } from '../commentRepository';

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

/** Oldest first, ties by id, both in byte order as SQLite sorts them. */
const OLDEST_FIRST = 'ORDER BY c.created_at COLLATE "C", c.id COLLATE "C"';

/**
 * Comments in PostgreSQL: the twin of SqliteCommentRepository. Replies go with their root through the schema's
 * `ON DELETE CASCADE`, as in SQLite.
 */
export class PgCommentRepository implements ICommentRepository {
  constructor(private readonly _db: PgDatabase) {}

  async insert(comment: INewComment): Promise<void> {
    const anchor = comment.anchor;
    await this._db.execute(
      `INSERT INTO comments (id, notebook_id, author, body, created_at, parent_id, change_request_id, cell_id,
         revision, source_hash, line_from, line_to)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
      [
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
      ]
    );
  }

  async find(id: string): Promise<ICommentRecord | undefined> {
    const row = await this._db.queryOne<ICommentRow>(`SELECT ${COLUMNS} FROM comments c WHERE c.id = $1`, [id]);
    return row && Private.toRecord(row);
  }

  async listForNotebook(notebookId: string): Promise<ICommentRecord[]> {
    const rows = await this._db.query<ICommentRow>(
      `SELECT ${COLUMNS} FROM comments c
       LEFT JOIN change_requests cr ON cr.id = c.change_request_id
       WHERE c.notebook_id = $1 AND (c.change_request_id IS NULL OR cr.status = 'accepted')
       ${OLDEST_FIRST}`,
      [notebookId]
    );
    return rows.map(Private.toRecord);
  }

  async listForChangeRequest(changeRequestId: string): Promise<ICommentRecord[]> {
    const rows = await this._db.query<ICommentRow>(
      `SELECT ${COLUMNS} FROM comments c WHERE c.change_request_id = $1 ${OLDEST_FIRST}`,
      [changeRequestId]
    );
    return rows.map(Private.toRecord);
  }

  async threadAuthors(rootId: string): Promise<string[]> {
    const rows = await this._db.query<{ author: string }>(
      'SELECT DISTINCT author FROM comments WHERE id = $1 OR parent_id = $1',
      [rootId]
    );
    return rows.map(row => row.author);
  }

  async setBody(id: string, body: string, editedAt: string): Promise<void> {
    await this._db.execute('UPDATE comments SET body = $1, edited_at = $2 WHERE id = $3', [body, editedAt, id]);
  }

  async setResolved(id: string, at: string | null, by: string | null): Promise<void> {
    await this._db.execute('UPDATE comments SET resolved_at = $1, resolved_by = $2 WHERE id = $3', [at, by, id]);
  }

  async delete(id: string): Promise<void> {
    await this._db.execute('DELETE FROM comments WHERE id = $1', [id]);
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

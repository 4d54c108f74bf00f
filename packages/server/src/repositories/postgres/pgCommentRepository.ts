import type { PgDatabase } from '../../db/postgres/pgDatabase';
import {
  commentRecord,
  COMMENT_COLUMNS,
  newCommentValues,
  NEW_COMMENT_COLUMNS,
  type ICommentRow
} from '../commentRecords';
import type { ICommentRecord, ICommentRepository, INewComment } from '../commentRepository';

/** Oldest first, ties by id, both in byte order as SQLite sorts them. */
const OLDEST_FIRST = 'ORDER BY c.created_at COLLATE "C", c.id COLLATE "C"';

/**
 * Comments in PostgreSQL: the twin of SqliteCommentRepository. Replies go with their root through the schema's
 * `ON DELETE CASCADE`, as in SQLite.
 */
export class PgCommentRepository implements ICommentRepository {
  constructor(private readonly _db: PgDatabase) {}

  async insert(comment: INewComment): Promise<void> {
    await this._db.execute(
      `INSERT INTO comments (${NEW_COMMENT_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
      newCommentValues(comment)
    );
  }

  async find(id: string): Promise<ICommentRecord | undefined> {
    const row = await this._db.queryOne<ICommentRow>(`SELECT ${COMMENT_COLUMNS} FROM comments c WHERE c.id = $1`, [id]);
    return row && commentRecord(row);
  }

  async listForNotebook(notebookId: string): Promise<ICommentRecord[]> {
    const rows = await this._db.query<ICommentRow>(
      `SELECT ${COMMENT_COLUMNS} FROM comments c
       LEFT JOIN change_requests cr ON cr.id = c.change_request_id
       WHERE c.notebook_id = $1 AND (c.change_request_id IS NULL OR cr.status = 'accepted')
       ${OLDEST_FIRST}`,
      [notebookId]
    );
    return rows.map(commentRecord);
  }

  async listForChangeRequest(changeRequestId: string): Promise<ICommentRecord[]> {
    const rows = await this._db.query<ICommentRow>(
      `SELECT ${COMMENT_COLUMNS} FROM comments c WHERE c.change_request_id = $1 ${OLDEST_FIRST}`,
      [changeRequestId]
    );
    return rows.map(commentRecord);
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

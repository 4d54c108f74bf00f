import type { PgDatabase } from '../../db/postgres/pgDatabase';
import { foldedNameRange } from '../namePrefixRange';
import { userRecord, type IUserRow } from '../userRecords';
import type { INewUser, IUserRecord, IUserRepository } from '../userRepository';
import { foldAscii } from './pgAsciiFold';

/**
 * A username folded as SQLite's `lower()` folds it, ASCII letters only, compared in byte order (see pgAsciiFold.ts).
 * The index `users_by_folded_name` is on this very expression, so prefix searches and their order read the index.
 */
const FOLDED_USERNAME = foldAscii('username');

/**
 * Accounts in PostgreSQL's `users` table: the twin of SqliteUserRepository. Names sort in byte order (`COLLATE "C"`)
 * as SQLite's default collation does, whatever the database's own collation; the case-insensitive order folds
 * ASCII letters only, as SQLite's `lower()` does (see {@link FOLDED_USERNAME}).
 */
export class PgUserRepository implements IUserRepository {
  constructor(private readonly _db: PgDatabase) {}

  async find(username: string): Promise<IUserRecord | undefined> {
    const row = await this._db.queryOne<IUserRow>('SELECT * FROM users WHERE username = $1', [username]);
    return row && userRecord(row);
  }

  /** One statement: two replicas adding one name at once get true once (the second waits, then does nothing). */
  async insert(user: INewUser): Promise<boolean> {
    return (
      (await this._db.execute(
        `INSERT INTO users (username, password_hash, is_admin, created_at, email) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (username) DO NOTHING`,
        [user.username, user.passwordHash, user.isAdmin, user.createdAt, user.email]
      )) > 0
    );
  }

  async setPasswordHash(username: string, passwordHash: string): Promise<void> {
    await this._db.execute('UPDATE users SET password_hash = $1 WHERE username = $2', [passwordHash, username]);
  }

  async setAdmin(username: string, isAdmin: boolean): Promise<void> {
    await this._db.execute('UPDATE users SET is_admin = $1 WHERE username = $2', [isAdmin, username]);
  }

  async setDisabled(username: string, disabled: boolean): Promise<boolean> {
    return (await this._db.execute('UPDATE users SET disabled = $1 WHERE username = $2', [disabled, username])) > 0;
  }

  /** The epoch is raised in the row, not read and written back, so two replicas ending sessions at once raise it twice. */
  async endSessions(username: string, keptSessionId: string | null): Promise<void> {
    await this._db.execute(
      'UPDATE users SET session_epoch = session_epoch + 1, kept_session_id = $1 WHERE username = $2',
      [keptSessionId, username]
    );
  }

  async searchEnabled(prefix: string, limit: number): Promise<string[]> {
    const range = foldedNameRange(prefix);
    if (range === null) {
      return [];
    }
    const rows = await this._db.query<{ username: string }>(
      `SELECT username FROM users
       WHERE ${FOLDED_USERNAME} >= $1 AND ${FOLDED_USERNAME} < $2 AND NOT disabled
       ORDER BY ${FOLDED_USERNAME}, CASE WHEN username = $3 THEN 0 ELSE 1 END, username COLLATE "C" LIMIT $4`,
      [range.from, range.to, prefix, limit]
    );
    return rows.map(row => row.username);
  }

  async list(): Promise<IUserRecord[]> {
    return (await this._db.query<IUserRow>('SELECT * FROM users ORDER BY username COLLATE "C"')).map(userRecord);
  }
}

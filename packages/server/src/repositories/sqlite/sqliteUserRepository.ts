import type { GalleryDatabase } from '../../db/database';
import type { INewUser, IUserRecord, IUserRepository } from '../userRepository';
import { foldedNameRange } from './namePrefixRange';

interface IUserRow {
  username: string;
  password_hash: string;
  is_admin: number;
  disabled: number;
  created_at: string;
  email: string | null;
  session_epoch: number;
  kept_session_id: string | null;
}

/** Accounts in the `users` table. */
export class SqliteUserRepository implements IUserRepository {
  constructor(private readonly _db: GalleryDatabase) {}

  find(username: string): IUserRecord | undefined {
    const row = this._db.prepare('SELECT * FROM users WHERE username = ?').get(username) as IUserRow | undefined;
    return row ? toRecord(row) : undefined;
  }

  insert(user: INewUser): boolean {
    return (
      this._db
        .prepare(
          `INSERT INTO users (username, password_hash, is_admin, created_at, email) VALUES (?, ?, ?, ?, ?)
           ON CONFLICT (username) DO NOTHING`
        )
        .run(user.username, user.passwordHash, user.isAdmin ? 1 : 0, user.createdAt, user.email).changes > 0
    );
  }

  setPasswordHash(username: string, passwordHash: string): void {
    this._db.prepare('UPDATE users SET password_hash = ? WHERE username = ?').run(passwordHash, username);
  }

  setAdmin(username: string, isAdmin: boolean): void {
    this._db.prepare('UPDATE users SET is_admin = ? WHERE username = ?').run(isAdmin ? 1 : 0, username);
  }

  setDisabled(username: string, disabled: boolean): boolean {
    return (
      this._db.prepare('UPDATE users SET disabled = ? WHERE username = ?').run(disabled ? 1 : 0, username).changes > 0
    );
  }

  endSessions(username: string, keptSessionId: string | null): void {
    this._db
      .prepare('UPDATE users SET session_epoch = session_epoch + 1, kept_session_id = ? WHERE username = ?')
      .run(keptSessionId, username);
  }

  searchEnabled(prefix: string, limit: number): string[] {
    const range = foldedNameRange(prefix);
    if (range === null) {
      return [];
    }
    const rows = this._db
      .prepare(
        `SELECT username FROM users WHERE lower(username) >= ? AND lower(username) < ? AND disabled = 0
         ORDER BY lower(username), CASE WHEN username = ? THEN 0 ELSE 1 END, username LIMIT ?`
      )
      .all(range.from, range.to, prefix, limit) as Array<{ username: string }>;
    return rows.map(row => row.username);
  }

  list(): IUserRecord[] {
    return (this._db.prepare('SELECT * FROM users ORDER BY username').all() as IUserRow[]).map(toRecord);
  }
}

function toRecord(row: IUserRow): IUserRecord {
  return {
    username: row.username,
    isAdmin: row.is_admin === 1,
    disabled: row.disabled === 1,
    createdAt: row.created_at,
    email: row.email,
    passwordHash: row.password_hash,
    sessionEpoch: row.session_epoch,
    keptSessionId: row.kept_session_id
  };
}

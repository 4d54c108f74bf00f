import type { GalleryDatabase } from '../../db/database';
import { userRecord, type IUserRow } from '../userRecords';
import type { INewUser, IUserRecord, IUserRepository } from '../userRepository';
import { foldedNameRange } from '../namePrefixRange';
import { SqliteConnectionGate } from './sqliteConnectionGate';

/** Accounts in the `users` table. */
export class SqliteUserRepository implements IUserRepository {
  private readonly _gate: SqliteConnectionGate;

  constructor(private readonly _db: GalleryDatabase) {
    this._gate = SqliteConnectionGate.of(_db);
  }

  async find(username: string): Promise<IUserRecord | undefined> {
    return this._gate.run(() => {
      const row = this._db.prepare('SELECT * FROM users WHERE username = ?').get(username) as IUserRow | undefined;
      return row ? userRecord(row) : undefined;
    });
  }

  async insert(user: INewUser): Promise<boolean> {
    return this._gate.run(
      () =>
        this._db
          .prepare(
            `INSERT INTO users (username, password_hash, is_admin, created_at, email) VALUES (?, ?, ?, ?, ?)
           ON CONFLICT (username) DO NOTHING`
          )
          .run(user.username, user.passwordHash, user.isAdmin ? 1 : 0, user.createdAt, user.email).changes > 0
    );
  }

  async setPasswordHash(username: string, passwordHash: string): Promise<void> {
    return this._gate.run(() => {
      this._db.prepare('UPDATE users SET password_hash = ? WHERE username = ?').run(passwordHash, username);
    });
  }

  async setAdmin(username: string, isAdmin: boolean): Promise<void> {
    return this._gate.run(() => {
      this._db.prepare('UPDATE users SET is_admin = ? WHERE username = ?').run(isAdmin ? 1 : 0, username);
    });
  }

  async setDisabled(username: string, disabled: boolean): Promise<boolean> {
    return this._gate.run(
      () =>
        this._db.prepare('UPDATE users SET disabled = ? WHERE username = ?').run(disabled ? 1 : 0, username).changes > 0
    );
  }

  async endSessions(username: string, keptSessionId: string | null): Promise<void> {
    return this._gate.run(() => {
      this._db
        .prepare('UPDATE users SET session_epoch = session_epoch + 1, kept_session_id = ? WHERE username = ?')
        .run(keptSessionId, username);
    });
  }

  async searchEnabled(prefix: string, limit: number): Promise<string[]> {
    return this._gate.run(() => {
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
    });
  }

  async list(): Promise<IUserRecord[]> {
    return this._gate.run(() =>
      (this._db.prepare('SELECT * FROM users ORDER BY username').all() as IUserRow[]).map(userRecord)
    );
  }
}

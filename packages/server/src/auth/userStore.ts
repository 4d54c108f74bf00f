import type { IUser } from '@notebook-gallery/core';
import type { GalleryDatabase } from '../db/database';
import { InvalidCredentialsError } from '../errors/InvalidCredentialsError';
import { InvalidRequestError } from '../errors/InvalidRequestError';
import { UserExistsError } from '../errors/UserExistsError';
import { hashPassword, verifyPassword } from './passwords';

/** Usernames appear in URLs, commit authors and emails, so they stay simple. */
export const USERNAME_PATTERN = '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$';

/** Stored instead of a hash for accounts made by single sign-on: no password matches it. */
const NO_PASSWORD = '!';

interface IUserRow {
  username: string;
  password_hash: string;
  is_admin: number;
}

/**
 * Turns a name from an identity provider or proxy header (e.g. `Ann.Lee@uni.example`) into a valid username,
 * or null when nothing usable is left.
 */
export function sanitizeUsername(raw: string): string | null {
  const cleaned = raw
    .trim()
    .replace(/[^A-Za-z0-9._-]+/g, '-')
    .replace(/^[^A-Za-z0-9]+/, '')
    .slice(0, 64);
  return new RegExp(USERNAME_PATTERN).test(cleaned) ? cleaned : null;
}

/** Gallery accounts with scrypt password hashes. */
export class UserStore {
  /** Hash checked when the username is unknown, so a miss takes as long as a wrong password. */
  private _decoyHash: Promise<string> | undefined;

  constructor(private readonly _db: GalleryDatabase) {}

  /**
   * Adds a user.
   * @throws {InvalidRequestError} for a bad username or an empty password.
   * @throws {UserExistsError}
   */
  async add(username: string, password: string, isAdmin = false, email: string | null = null): Promise<IUser> {
    if (!new RegExp(USERNAME_PATTERN).test(username)) {
      throw new InvalidRequestError(
        `username "${username}" must be 1-64 letters, digits, ".", "_" or "-", starting with a letter or digit`
      );
    }
    if (password.length === 0) {
      throw new InvalidRequestError('password must not be empty');
    }
    if (this.find(username)) {
      throw new UserExistsError(username);
    }
    const hash = await hashPassword(password);
    try {
      this._db
        .prepare('INSERT INTO users (username, password_hash, is_admin, created_at, email) VALUES (?, ?, ?, ?, ?)')
        .run(username, hash, isAdmin ? 1 : 0, new Date().toISOString(), email);
    } catch (error) {
      if ((error as { code?: string }).code === 'SQLITE_CONSTRAINT_PRIMARYKEY') {
        throw new UserExistsError(username);
      }
      throw error;
    }
    return { username, isAdmin };
  }

  /**
   * The user a single sign-on identity names, created without a password on first login; undefined when that
   * account is disabled.
   * @throws {InvalidRequestError} when `username` is not a valid username.
   */
  findOrCreateExternal(username: string, email: string | null = null): IUser | undefined {
    if (!new RegExp(USERNAME_PATTERN).test(username)) {
      throw new InvalidRequestError(`"${username}" cannot be a gallery username`);
    }
    this._db
      .prepare(
        `INSERT INTO users (username, password_hash, is_admin, created_at, email) VALUES (?, ?, 0, ?, ?)
         ON CONFLICT (username) DO NOTHING`
      )
      .run(username, NO_PASSWORD, new Date().toISOString(), email);
    return this.find(username);
  }

  /**
   * Replaces the password after checking the current one.
   * @throws {InvalidCredentialsError} when `currentPassword` is wrong (or the account has no password).
   * @throws {InvalidRequestError} for an empty new password.
   */
  async changePassword(username: string, currentPassword: string, newPassword: string): Promise<void> {
    if (newPassword.length === 0) {
      throw new InvalidRequestError('the new password must not be empty');
    }
    await this.verify(username, currentPassword);
    this._db
      .prepare('UPDATE users SET password_hash = ? WHERE username = ?')
      .run(await hashPassword(newPassword), username);
  }

  /** Marks an account disabled (or enabled again); a disabled user's tokens stop working at once. */
  setDisabled(username: string, disabled: boolean): boolean {
    return (
      this._db.prepare('UPDATE users SET disabled = ? WHERE username = ?').run(disabled ? 1 : 0, username).changes > 0
    );
  }

  /** Enabled usernames starting with `prefix` (case-insensitive), alphabetically, at most `limit`. */
  search(prefix: string, limit: number): string[] {
    const pattern = `${prefix.replace(/[\\%_]/g, char => `\\${char}`)}%`;
    const rows = this._db
      .prepare(
        "SELECT username FROM users WHERE disabled = 0 AND username LIKE ? ESCAPE '\\' ORDER BY username LIMIT ?"
      )
      .all(pattern, limit) as Array<{ username: string }>;
    return rows.map(row => row.username);
  }

  /** The user with this name, or undefined (also for a disabled account). */
  find(username: string): IUser | undefined {
    const row = this._row(username);
    return row ? { username: row.username, isAdmin: row.is_admin === 1 } : undefined;
  }

  /**
   * The user these credentials belong to.
   * @throws {InvalidCredentialsError} for an unknown user and a wrong password alike.
   */
  async verify(username: string, password: string): Promise<IUser> {
    const row = this._row(username);
    this._decoyHash ??= hashPassword('decoy password for unknown users');
    const matches = await verifyPassword(password, row ? row.password_hash : await this._decoyHash);
    if (!row || !matches) {
      throw new InvalidCredentialsError();
    }
    return { username: row.username, isAdmin: row.is_admin === 1 };
  }

  private _row(username: string): IUserRow | undefined {
    return this._db
      .prepare('SELECT username, password_hash, is_admin FROM users WHERE username = ? AND disabled = 0')
      .get(username) as IUserRow | undefined;
  }
}

import type { IUser } from '@notebook-gallery/core';
import type { GalleryDatabase } from '../db/database';
import { InvalidCredentialsError } from '../errors/InvalidCredentialsError';
import { InvalidRequestError } from '../errors/InvalidRequestError';
import { UserExistsError } from '../errors/UserExistsError';
import { hashPassword, verifyPassword } from './passwords';

/** Usernames appear in URLs, commit authors and emails, so they stay simple. */
export const USERNAME_PATTERN = '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$';

interface IUserRow {
  username: string;
  password_hash: string;
  is_admin: number;
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
  async add(username: string, password: string, isAdmin = false): Promise<IUser> {
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
        .prepare('INSERT INTO users (username, password_hash, is_admin, created_at) VALUES (?, ?, ?, ?)')
        .run(username, hash, isAdmin ? 1 : 0, new Date().toISOString());
    } catch (error) {
      if ((error as { code?: string }).code === 'SQLITE_CONSTRAINT_PRIMARYKEY') {
        throw new UserExistsError(username);
      }
      throw error;
    }
    return { username, isAdmin };
  }

  /** The user with this name, or undefined. */
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
    return this._db.prepare('SELECT username, password_hash, is_admin FROM users WHERE username = ?').get(username) as
      IUserRow | undefined;
  }
}

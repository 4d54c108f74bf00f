import { fromSqlBoolean, type SqlBoolean } from './sqlBoolean';
import type { IUserRecord } from './userRepository';

/** A row of `users` (`SELECT *`); the flags are PostgreSQL booleans or SQLite's 0 and 1. */
export interface IUserRow {
  username: string;
  password_hash: string;
  is_admin: SqlBoolean;
  disabled: SqlBoolean;
  created_at: string;
  email: string | null;
  session_epoch: number;
  kept_session_id: string | null;
}

/** The account a row holds. */
export function userRecord(row: IUserRow): IUserRecord {
  return {
    username: row.username,
    isAdmin: fromSqlBoolean(row.is_admin),
    disabled: fromSqlBoolean(row.disabled),
    createdAt: row.created_at,
    email: row.email,
    passwordHash: row.password_hash,
    sessionEpoch: row.session_epoch,
    keptSessionId: row.kept_session_id
  };
}

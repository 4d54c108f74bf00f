/** An account as stored. */
export interface IUserRecord {
  username: string;
  isAdmin: boolean;
  disabled: boolean;
  createdAt: string;
  email: string | null;
  /** An scrypt hash from auth/passwords.ts, or {@link NO_PASSWORD}. */
  passwordHash: string;
  /** Raised to end every login token (JWT) signed before; a JWT carries the epoch it was signed in. */
  sessionEpoch: number;
  /** The JWT session that raised the epoch last (it keeps working), or null. */
  keptSessionId: string | null;
}

/** Stored instead of a hash for accounts made by single sign-on: no password matches it. */
export const NO_PASSWORD = '!';

/** A new account. */
export type INewUser = Pick<IUserRecord, 'username' | 'passwordHash' | 'isAdmin' | 'email' | 'createdAt'>;

/** Where accounts are kept. Rules (names, hashing, who may do what) live in services/accountService.ts. */
export interface IUserRepository {
  /** The account, disabled or not. */
  find(username: string): Promise<IUserRecord | undefined>;
  /** Adds the account; false when the name is taken. */
  insert(user: INewUser): Promise<boolean>;
  setPasswordHash(username: string, passwordHash: string): Promise<void>;
  /** Makes the account an admin or not; JupyterHub's admin flag decides it in hub mode. */
  setAdmin(username: string, isAdmin: boolean): Promise<void>;
  /** False when there is no such account. */
  setDisabled(username: string, disabled: boolean): Promise<boolean>;
  /** Raises the session epoch, so earlier JWTs stop working, except session `keptSessionId` (null: none). */
  endSessions(username: string, keptSessionId: string | null): Promise<void>;
  /**
   * Enabled usernames starting with `prefix` in any case, at most `limit`: the one equal to it first (its own
   * spelling before other cases), then alphabetically ignoring case. `%` and `_` are plain characters.
   */
  searchEnabled(prefix: string, limit: number): Promise<string[]>;
  /** Every account, by username. */
  list(): Promise<IUserRecord[]>;
}

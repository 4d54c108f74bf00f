import type { ApiTokenKind } from '@notebook-gallery/core';

/** An API token as stored (the secret itself never is, only its hash). */
export interface IApiTokenRecord {
  id: string;
  username: string;
  name: string;
  kind: ApiTokenKind;
  createdAt: string;
  lastUsedAt: string | null;
  expiresAt: string | null;
}

/** Where API tokens are kept. */
export interface IApiTokenRepository {
  insert(token: IApiTokenRecord, tokenHash: string): Promise<void>;
  /** `username`'s tokens, newest first. */
  listByUser(username: string): Promise<IApiTokenRecord[]>;
  /** The token with this hash, or undefined. */
  findByHash(tokenHash: string): Promise<IApiTokenRecord | undefined>;
  setLastUsed(id: string, at: string): Promise<void>;
  /** Deletes one of `username`'s tokens; false when they have none with this id. */
  delete(username: string, id: string): Promise<boolean>;
  /** How many of `username`'s tokens have not expired at `now` (ISO 8601); tokens without an expiry count. */
  countLive(username: string, now: string): Promise<number>;
  /** Deletes `username`'s least recently used session token (never used: oldest); false when they have none. */
  deleteLeastRecentSession(username: string): Promise<boolean>;
  /** Deletes `username`'s session tokens except `keptId` (null: all of them). */
  deleteSessions(username: string, keptId: string | null): Promise<void>;
}

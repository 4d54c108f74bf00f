import type { IApiTokenInfo, ICreateApiTokenResponse } from '@notebook-gallery/core';
import * as crypto from 'node:crypto';
import type { GalleryDatabase } from '../db/database';
import { TokenNotFoundError } from '../errors/TokenNotFoundError';

/** Every personal API token starts with this, so the bearer authenticators can tell them from JWTs. */
export const API_TOKEN_PREFIX = 'ngp_';

interface ITokenRow {
  id: string;
  name: string;
  created_at: string;
  last_used_at: string | null;
  expires_at: string | null;
}

/** Personal API tokens: `ngp_` + 32 random bytes, stored only as their SHA-256. */
export class ApiTokenStore {
  constructor(private readonly _db: GalleryDatabase) {}

  /** Creates a token for `username`; the reply holds the secret, which is not stored and cannot be shown again. */
  create(username: string, name: string, expiresAt: Date | null): ICreateApiTokenResponse {
    const token = API_TOKEN_PREFIX + crypto.randomBytes(32).toString('base64url');
    const id = crypto.randomBytes(9).toString('base64url');
    const createdAt = new Date().toISOString();
    this._db
      .prepare(
        'INSERT INTO api_tokens (id, username, name, token_hash, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)'
      )
      .run(id, username, name, hashToken(token), createdAt, expiresAt?.toISOString() ?? null);
    return { id, name, createdAt, lastUsedAt: null, expiresAt: expiresAt?.toISOString() ?? null, token };
  }

  /** `username`'s tokens, newest first (expired ones included, so they can be seen and deleted). */
  list(username: string): IApiTokenInfo[] {
    const rows = this._db
      .prepare(
        `SELECT id, name, created_at, last_used_at, expires_at FROM api_tokens WHERE username = ?
         ORDER BY created_at DESC, id`
      )
      .all(username) as ITokenRow[];
    return rows.map(row => ({
      id: row.id,
      name: row.name,
      createdAt: row.created_at,
      lastUsedAt: row.last_used_at,
      expiresAt: row.expires_at
    }));
  }

  /**
   * Revokes (deletes) one of `username`'s tokens.
   * @throws {TokenNotFoundError} when `username` has no token with this id.
   */
  revoke(username: string, id: string): void {
    if (this._db.prepare('DELETE FROM api_tokens WHERE id = ? AND username = ?').run(id, username).changes === 0) {
      throw new TokenNotFoundError(id);
    }
  }

  /** The owner of a live token (and notes its use), or null for an unknown, revoked or expired one. */
  resolve(token: string): string | null {
    const row = this._db
      .prepare('SELECT id, username, expires_at FROM api_tokens WHERE token_hash = ?')
      .get(hashToken(token)) as { id: string; username: string; expires_at: string | null } | undefined;
    const now = new Date().toISOString();
    if (!row || (row.expires_at !== null && row.expires_at <= now)) {
      return null;
    }
    this._db.prepare('UPDATE api_tokens SET last_used_at = ? WHERE id = ?').run(now, row.id);
    return row.username;
  }
}

function hashToken(token: string): string {
  return crypto.createHash('sha256').update(token, 'utf8').digest('hex');
}

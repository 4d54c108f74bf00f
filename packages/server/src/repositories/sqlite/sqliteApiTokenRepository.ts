import type { ApiTokenKind } from '@notebook-gallery/core';
import type { GalleryDatabase } from '../../db/database';
import type { IApiTokenRecord, IApiTokenRepository } from '../apiTokenRepository';

interface ITokenRow {
  id: string;
  username: string;
  name: string;
  kind: ApiTokenKind;
  created_at: string;
  last_used_at: string | null;
  expires_at: string | null;
}

const COLUMNS = 'id, username, name, kind, created_at, last_used_at, expires_at';

/** API tokens in the `api_tokens` table. */
export class SqliteApiTokenRepository implements IApiTokenRepository {
  constructor(private readonly _db: GalleryDatabase) {}

  insert(token: IApiTokenRecord, tokenHash: string): void {
    this._db
      .prepare(
        `INSERT INTO api_tokens (id, username, name, kind, token_hash, created_at, last_used_at, expires_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`
      )
      .run(
        token.id,
        token.username,
        token.name,
        token.kind,
        tokenHash,
        token.createdAt,
        token.lastUsedAt,
        token.expiresAt
      );
  }

  listByUser(username: string): IApiTokenRecord[] {
    const rows = this._db
      .prepare(`SELECT ${COLUMNS} FROM api_tokens WHERE username = ? ORDER BY created_at DESC, id`)
      .all(username) as ITokenRow[];
    return rows.map(toRecord);
  }

  findByHash(tokenHash: string): IApiTokenRecord | undefined {
    const row = this._db.prepare(`SELECT ${COLUMNS} FROM api_tokens WHERE token_hash = ?`).get(tokenHash) as
      ITokenRow | undefined;
    return row ? toRecord(row) : undefined;
  }

  setLastUsed(id: string, at: string): void {
    this._db.prepare('UPDATE api_tokens SET last_used_at = ? WHERE id = ?').run(at, id);
  }

  delete(username: string, id: string): boolean {
    return this._db.prepare('DELETE FROM api_tokens WHERE id = ? AND username = ?').run(id, username).changes > 0;
  }

  countLive(username: string, now: string): number {
    const row = this._db
      .prepare('SELECT COUNT(*) AS n FROM api_tokens WHERE username = ? AND (expires_at IS NULL OR expires_at > ?)')
      .get(username, now) as { n: number };
    return row.n;
  }

  deleteLeastRecentSession(username: string): boolean {
    const row = this._db
      .prepare(
        `SELECT id FROM api_tokens WHERE username = ? AND kind = 'session'
         ORDER BY COALESCE(last_used_at, created_at), id LIMIT 1`
      )
      .get(username) as { id: string } | undefined;
    return row !== undefined && this.delete(username, row.id);
  }

  deleteSessions(username: string, keptId: string | null): void {
    this._db
      .prepare("DELETE FROM api_tokens WHERE username = ? AND kind = 'session' AND id IS NOT ?")
      .run(username, keptId);
  }
}

function toRecord(row: ITokenRow): IApiTokenRecord {
  return {
    id: row.id,
    username: row.username,
    name: row.name,
    kind: row.kind,
    createdAt: row.created_at,
    lastUsedAt: row.last_used_at,
    expiresAt: row.expires_at
  };
}

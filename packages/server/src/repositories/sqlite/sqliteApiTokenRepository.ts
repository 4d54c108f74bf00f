import type { GalleryDatabase } from '../../db/database';
import { apiTokenRecord, API_TOKEN_COLUMNS, type IApiTokenRow } from '../apiTokenRecords';
import type { IApiTokenRecord, IApiTokenRepository } from '../apiTokenRepository';
import { SqliteConnectionGate } from './sqliteConnectionGate';

/** API tokens in the `api_tokens` table. */
export class SqliteApiTokenRepository implements IApiTokenRepository {
  private readonly _gate: SqliteConnectionGate;

  constructor(private readonly _db: GalleryDatabase) {
    this._gate = SqliteConnectionGate.of(_db);
  }

  async insert(token: IApiTokenRecord, tokenHash: string): Promise<void> {
    return this._gate.run(() => {
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
    });
  }

  async listByUser(username: string): Promise<IApiTokenRecord[]> {
    return this._gate.run(() => {
      const rows = this._db
        .prepare(`SELECT ${API_TOKEN_COLUMNS} FROM api_tokens WHERE username = ? ORDER BY created_at DESC, id`)
        .all(username) as IApiTokenRow[];
      return rows.map(apiTokenRecord);
    });
  }

  async findByHash(tokenHash: string): Promise<IApiTokenRecord | undefined> {
    return this._gate.run(() => {
      const row = this._db
        .prepare(`SELECT ${API_TOKEN_COLUMNS} FROM api_tokens WHERE token_hash = ?`)
        .get(tokenHash) as IApiTokenRow | undefined;
      return row ? apiTokenRecord(row) : undefined;
    });
  }

  async setLastUsed(id: string, at: string): Promise<void> {
    return this._gate.run(() => {
      this._db.prepare('UPDATE api_tokens SET last_used_at = ? WHERE id = ?').run(at, id);
    });
  }

  async delete(username: string, id: string): Promise<boolean> {
    return this._gate.run(() => this._delete(username, id));
  }

  async countLive(username: string, now: string): Promise<number> {
    return this._gate.run(() => {
      const row = this._db
        .prepare('SELECT COUNT(*) AS n FROM api_tokens WHERE username = ? AND (expires_at IS NULL OR expires_at > ?)')
        .get(username, now) as { n: number };
      return row.n;
    });
  }

  async deleteLeastRecentSession(username: string): Promise<boolean> {
    return this._gate.run(() => {
      const row = this._db
        .prepare(
          `SELECT id FROM api_tokens WHERE username = ? AND kind = 'session'
         ORDER BY COALESCE(last_used_at, created_at), id LIMIT 1`
        )
        .get(username) as { id: string } | undefined;
      return row !== undefined && this._delete(username, row.id);
    });
  }

  private _delete(username: string, id: string): boolean {
    return this._db.prepare('DELETE FROM api_tokens WHERE id = ? AND username = ?').run(id, username).changes > 0;
  }

  async deleteSessions(username: string, keptId: string | null): Promise<void> {
    return this._gate.run(() => {
      this._db
        .prepare("DELETE FROM api_tokens WHERE username = ? AND kind = 'session' AND id IS NOT ?")
        .run(username, keptId);
    });
  }
}

import type { PgDatabase } from '../../db/postgres/pgDatabase';
import { apiTokenRecord, API_TOKEN_COLUMNS, type IApiTokenRow } from '../apiTokenRecords';
import type { IApiTokenRecord, IApiTokenRepository } from '../apiTokenRepository';

/**
 * API tokens in PostgreSQL's `api_tokens` table: the twin of SqliteApiTokenRepository. Times are ISO-8601 text, so
 * they are compared and sorted in byte order (`COLLATE "C"`), as SQLite compares them; a language collation could
 * weigh `T`, `Z` and punctuation otherwise.
 */
export class PgApiTokenRepository implements IApiTokenRepository {
  constructor(private readonly _db: PgDatabase) {}

  async insert(token: IApiTokenRecord, tokenHash: string): Promise<void> {
    await this._db.execute(
      `INSERT INTO api_tokens (id, username, name, kind, token_hash, created_at, last_used_at, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [token.id, token.username, token.name, token.kind, tokenHash, token.createdAt, token.lastUsedAt, token.expiresAt]
    );
  }

  async listByUser(username: string): Promise<IApiTokenRecord[]> {
    const rows = await this._db.query<IApiTokenRow>(
      `SELECT ${API_TOKEN_COLUMNS} FROM api_tokens WHERE username = $1
       ORDER BY created_at COLLATE "C" DESC, id COLLATE "C"`,
      [username]
    );
    return rows.map(apiTokenRecord);
  }

  async findByHash(tokenHash: string): Promise<IApiTokenRecord | undefined> {
    const row = await this._db.queryOne<IApiTokenRow>(
      `SELECT ${API_TOKEN_COLUMNS} FROM api_tokens WHERE token_hash = $1`,
      [tokenHash]
    );
    return row && apiTokenRecord(row);
  }

  async setLastUsed(id: string, at: string): Promise<void> {
    await this._db.execute('UPDATE api_tokens SET last_used_at = $1 WHERE id = $2', [at, id]);
  }

  async delete(username: string, id: string): Promise<boolean> {
    return (await this._db.execute('DELETE FROM api_tokens WHERE id = $1 AND username = $2', [id, username])) > 0;
  }

  async countLive(username: string, now: string): Promise<number> {
    const row = await this._db.queryOne<{ n: number }>(
      `SELECT count(*) AS n FROM api_tokens
       WHERE username = $1 AND (expires_at IS NULL OR expires_at COLLATE "C" > $2)`,
      [username, now]
    );
    return row?.n ?? 0;
  }

  /**
   * One statement choosing and deleting. `SKIP LOCKED` makes two replicas that make room at once (two logins over
   * the session limit) delete two different sessions, as two logins one after the other would; without it both
   * would pick the same one and the second would delete nothing. The price: a session whose row another transaction
   * is updating at that instant (its last use being recorded) is passed over for the next least recent one.
   */
  async deleteLeastRecentSession(username: string): Promise<boolean> {
    return (
      (await this._db.execute(
        `DELETE FROM api_tokens WHERE id = (
           SELECT id FROM api_tokens WHERE username = $1 AND kind = 'session'
           ORDER BY COALESCE(last_used_at, created_at) COLLATE "C", id COLLATE "C" LIMIT 1
           FOR UPDATE SKIP LOCKED)`,
        [username]
      )) > 0
    );
  }

  async deleteSessions(username: string, keptId: string | null): Promise<void> {
    await this._db.execute(
      "DELETE FROM api_tokens WHERE username = $1 AND kind = 'session' AND id IS DISTINCT FROM $2",
      [username, keptId]
    );
  }
}

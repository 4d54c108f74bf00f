import type { GalleryDatabase } from '../../db/database';
import type { IWebhookDelivery, IWebhookRecord, IWebhookRepository } from '../webhookRepository';

/** Users' webhooks and the delivery queue in SQLite. */
export class SqliteWebhookRepository implements IWebhookRepository {
  constructor(private readonly _db: GalleryDatabase) {}

  find(username: string): IWebhookRecord | undefined {
    return this._db
      .prepare('SELECT username, url, secret, created_at AS createdAt FROM webhooks WHERE username = ?')
      .get(username) as IWebhookRecord | undefined;
  }

  withWebhook(usernames: readonly string[]): Set<string> {
    if (usernames.length === 0) {
      return new Set();
    }
    const rows = this._db
      .prepare(`SELECT username FROM webhooks WHERE username IN (${usernames.map(() => '?').join(', ')})`)
      .all(...usernames) as { username: string }[];
    return new Set(rows.map(row => row.username));
  }

  put(webhook: IWebhookRecord): void {
    this._db
      .prepare(
        `INSERT INTO webhooks (username, url, secret, created_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (username) DO UPDATE SET url = excluded.url, secret = excluded.secret,
           created_at = excluded.created_at`
      )
      .run(webhook.username, webhook.url, webhook.secret, webhook.createdAt);
  }

  remove(username: string): boolean {
    return this._db.prepare('DELETE FROM webhooks WHERE username = ?').run(username).changes > 0;
  }

  enqueue(deliveries: readonly { username: string | null; payload: string }[], at: number, createdAt: string): void {
    const insert = this._db.prepare(
      'INSERT INTO webhook_deliveries (username, payload, next_attempt_at, created_at) VALUES (?, ?, ?, ?)'
    );
    this._db.transaction(() => {
      for (const delivery of deliveries) {
        insert.run(delivery.username, delivery.payload, at, createdAt);
      }
    })();
  }

  due(now: number, limit: number): IWebhookDelivery[] {
    return this._db
      .prepare(
        `SELECT seq, username, payload, attempts, next_attempt_at AS nextAttemptAt FROM webhook_deliveries
         WHERE next_attempt_at <= ? ORDER BY next_attempt_at, seq LIMIT ?`
      )
      .all(now, limit) as IWebhookDelivery[];
  }

  nextDueAt(): number | null {
    const row = this._db.prepare('SELECT min(next_attempt_at) AS at FROM webhook_deliveries').get() as {
      at: number | null;
    };
    return row.at;
  }

  retryLater(seq: number, attempts: number, nextAttemptAt: number): void {
    this._db
      .prepare('UPDATE webhook_deliveries SET attempts = ?, next_attempt_at = ? WHERE seq = ?')
      .run(attempts, nextAttemptAt, seq);
  }

  finish(seq: number): void {
    this._db.prepare('DELETE FROM webhook_deliveries WHERE seq = ?').run(seq);
  }
}

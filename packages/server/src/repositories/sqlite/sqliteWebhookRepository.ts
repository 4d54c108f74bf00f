import type { GalleryDatabase } from '../../db/database';
import type { IWebhookDelivery, IWebhookRecord, IWebhookRepository } from '../webhookRepository';
import { SqliteConnectionGate } from './sqliteConnectionGate';

/** Users' webhooks and the delivery queue in SQLite. */
export class SqliteWebhookRepository implements IWebhookRepository {
  private readonly _gate: SqliteConnectionGate;

  constructor(private readonly _db: GalleryDatabase) {
    this._gate = SqliteConnectionGate.of(_db);
  }

  async find(username: string): Promise<IWebhookRecord | undefined> {
    return this._gate.run(
      () =>
        this._db
          .prepare('SELECT username, url, secret, created_at AS createdAt FROM webhooks WHERE username = ?')
          .get(username) as IWebhookRecord | undefined
    );
  }

  async withWebhook(usernames: readonly string[]): Promise<Set<string>> {
    return this._gate.run(() => {
      if (usernames.length === 0) {
        return new Set();
      }
      const rows = this._db
        .prepare(`SELECT username FROM webhooks WHERE username IN (${usernames.map(() => '?').join(', ')})`)
        .all(...usernames) as { username: string }[];
      return new Set(rows.map(row => row.username));
    });
  }

  async put(webhook: IWebhookRecord): Promise<void> {
    return this._gate.run(() => {
      this._db
        .prepare(
          `INSERT INTO webhooks (username, url, secret, created_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (username) DO UPDATE SET url = excluded.url, secret = excluded.secret,
           created_at = excluded.created_at`
        )
        .run(webhook.username, webhook.url, webhook.secret, webhook.createdAt);
    });
  }

  async remove(username: string): Promise<boolean> {
    return this._gate.run(() => this._db.prepare('DELETE FROM webhooks WHERE username = ?').run(username).changes > 0);
  }

  async enqueue(
    deliveries: readonly { username: string | null; payload: string }[],
    at: number,
    createdAt: string
  ): Promise<void> {
    return this._gate.run(() => {
      const insert = this._db.prepare(
        'INSERT INTO webhook_deliveries (username, payload, next_attempt_at, created_at) VALUES (?, ?, ?, ?)'
      );
      this._db.transaction(() => {
        for (const delivery of deliveries) {
          insert.run(delivery.username, delivery.payload, at, createdAt);
        }
      })();
    });
  }

  async due(now: number, limit: number): Promise<IWebhookDelivery[]> {
    return this._gate.run(
      () =>
        this._db
          .prepare(
            `SELECT seq, username, payload, attempts, next_attempt_at AS nextAttemptAt FROM webhook_deliveries
         WHERE next_attempt_at <= ? ORDER BY next_attempt_at, seq LIMIT ?`
          )
          .all(now, limit) as IWebhookDelivery[]
    );
  }

  async nextDueAt(): Promise<number | null> {
    return this._gate.run(() => {
      const row = this._db.prepare('SELECT min(next_attempt_at) AS at FROM webhook_deliveries').get() as {
        at: number | null;
      };
      return row.at;
    });
  }

  async retryLater(seq: number, attempts: number, nextAttemptAt: number): Promise<void> {
    return this._gate.run(() => {
      this._db
        .prepare('UPDATE webhook_deliveries SET attempts = ?, next_attempt_at = ? WHERE seq = ?')
        .run(attempts, nextAttemptAt, seq);
    });
  }

  async finish(seq: number): Promise<void> {
    return this._gate.run(() => {
      this._db.prepare('DELETE FROM webhook_deliveries WHERE seq = ?').run(seq);
    });
  }
}

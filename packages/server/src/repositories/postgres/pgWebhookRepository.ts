import type { PgDatabase } from '../../db/postgres/pgDatabase';
import type { IWebhookDelivery, IWebhookRecord, IWebhookRepository } from '../webhookRepository';

/** Users' webhooks and the delivery queue in PostgreSQL: the twin of SqliteWebhookRepository. */
export class PgWebhookRepository implements IWebhookRepository {
  constructor(private readonly _db: PgDatabase) {}

  async find(username: string): Promise<IWebhookRecord | undefined> {
    return this._db.queryOne<IWebhookRecord>(
      'SELECT username, url, secret, created_at AS "createdAt" FROM webhooks WHERE username = $1',
      [username]
    );
  }

  async withWebhook(usernames: readonly string[]): Promise<Set<string>> {
    if (usernames.length === 0) {
      return new Set();
    }
    const rows = await this._db.query<{ username: string }>('SELECT username FROM webhooks WHERE username = ANY($1)', [
      usernames
    ]);
    return new Set(rows.map(row => row.username));
  }

  async put(webhook: IWebhookRecord): Promise<void> {
    await this._db.execute(
      `INSERT INTO webhooks (username, url, secret, created_at) VALUES ($1, $2, $3, $4)
       ON CONFLICT (username) DO UPDATE SET url = excluded.url, secret = excluded.secret,
         created_at = excluded.created_at`,
      [webhook.username, webhook.url, webhook.secret, webhook.createdAt]
    );
  }

  async remove(username: string): Promise<boolean> {
    return (await this._db.execute('DELETE FROM webhooks WHERE username = $1', [username])) > 0;
  }

  /** One statement for the whole batch (all queued or none), the deliveries in the order given. */
  async enqueue(
    deliveries: readonly { username: string | null; payload: string }[],
    at: number,
    createdAt: string
  ): Promise<void> {
    if (deliveries.length === 0) {
      return;
    }
    await this._db.execute(
      `INSERT INTO webhook_deliveries (username, payload, next_attempt_at, created_at)
       SELECT d.username, d.payload, $3, $4 FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS d (username, payload, n)
       ORDER BY d.n`,
      [deliveries.map(d => d.username), deliveries.map(d => d.payload), at, createdAt]
    );
  }

  /**
   * `SKIP LOCKED` lets replicas share the queue: when the dispatcher takes what is due and leases it
   * (`retryLater`) in one transaction, a second replica doing the same meanwhile passes over the rows the first
   * holds and takes the next ones, so no delivery is sent twice. Outside a transaction it reads as a plain SELECT.
   */
  async due(now: number, limit: number): Promise<IWebhookDelivery[]> {
    return this._db.query<IWebhookDelivery>(
      `SELECT seq, username, payload, attempts, next_attempt_at AS "nextAttemptAt" FROM webhook_deliveries
       WHERE next_attempt_at <= $1 ORDER BY next_attempt_at, seq LIMIT $2
       FOR UPDATE SKIP LOCKED`,
      [now, limit]
    );
  }

  async nextDueAt(): Promise<number | null> {
    const row = await this._db.queryOne<{ at: number | null }>(
      'SELECT min(next_attempt_at) AS at FROM webhook_deliveries'
    );
    return row?.at ?? null;
  }

  async retryLater(seq: number, attempts: number, nextAttemptAt: number): Promise<void> {
    await this._db.execute('UPDATE webhook_deliveries SET attempts = $1, next_attempt_at = $2 WHERE seq = $3', [
      attempts,
      nextAttemptAt,
      seq
    ]);
  }

  async finish(seq: number): Promise<void> {
    await this._db.execute('DELETE FROM webhook_deliveries WHERE seq = $1', [seq]);
  }
}

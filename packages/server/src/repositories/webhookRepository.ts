/** A user's webhook as stored. */
export interface IWebhookRecord {
  username: string;
  url: string;
  secret: string;
  createdAt: string;
}

/** A delivery waiting to be made: to `username`'s webhook, or the site-wide one when null. */
export interface IWebhookDelivery {
  seq: number;
  username: string | null;
  payload: string;
  attempts: number;
  nextAttemptAt: number;
}

/** Users' webhooks and the queue of deliveries. */
export interface IWebhookRepository {
  find(username: string): Promise<IWebhookRecord | undefined>;
  /** Which of `usernames` have a webhook. */
  withWebhook(usernames: readonly string[]): Promise<Set<string>>;
  put(webhook: IWebhookRecord): Promise<void>;
  /** False when there was none. */
  remove(username: string): Promise<boolean>;
  /** Queues deliveries, due at `at` (milliseconds since the epoch). */
  enqueue(
    deliveries: readonly { username: string | null; payload: string }[],
    at: number,
    createdAt: string
  ): Promise<void>;
  /** Up to `limit` deliveries due at `now`, oldest first. */
  due(now: number, limit: number): Promise<IWebhookDelivery[]>;
  /** When the next delivery is due, or null when the queue is empty. */
  nextDueAt(): Promise<number | null>;
  /** Counts a failed attempt and sets when to try again. */
  retryLater(seq: number, attempts: number, nextAttemptAt: number): Promise<void>;
  /** Removes a delivery that was made or given up. */
  finish(seq: number): Promise<void>;
}

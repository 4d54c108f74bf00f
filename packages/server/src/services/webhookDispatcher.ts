import type { IInboxEvent } from '@notebook-gallery/core';
import * as crypto from 'node:crypto';
import type { ILogger } from '../logger';
import type { IUnitOfWork } from '../repositories/unitOfWork';
import type { IWebhookDelivery, IWebhookRepository } from '../repositories/webhookRepository';

/** The header that carries `sha256=<hex HMAC-SHA256 of the raw body, keyed with the webhook's secret>`. */
export const SIGNATURE_HEADER = 'x-gallery-signature-256';

/** The site-wide webhook an admin configured. */
export interface ISiteWebhook {
  url: string;
  secret: string;
}

/** How deliveries are made; the composition root passes the configured values. */
export interface IWebhookDispatcherOptions {
  /** Receives every event of every user; null: none. */
  siteWide: ISiteWebhook | null;
  /** A delivery that has not answered after this long failed. */
  timeoutMs: number;
  /** Attempts per delivery before it is given up. */
  attempts: number;
  /** Wait after the first failure; doubled after each further one. */
  retryDelayMs: number;
}

/** What the dispatcher needs; built by the composition root. */
export interface IWebhookDispatcherParts extends IWebhookDispatcherOptions {
  webhooks: IWebhookRepository;
  /** Taking due deliveries and leasing them is one change, so two runs (or replicas) never take the same one. */
  unitOfWork: IUnitOfWork;
  log: ILogger;
}

/** Deliveries in flight at once. */
const MAX_IN_FLIGHT = 20;

/** How long past its timeout a delivery being sent stays leased (not due), in milliseconds. */
const LEASE_MARGIN_MS = 5_000;

/** The longest a Node timer may wait. */
const MAX_TIMER_MS = 2_147_483_647;

/** The JSON a webhook receives (signed as sent). */
export interface IWebhookPayload {
  /** The same on every attempt of one delivery, so a receiver can drop repeats. */
  id: string;
  type: 'inbox.event';
  recipient: string;
  event: IInboxEvent;
}

/**
 * Sends inbox events to users' webhooks and the site-wide one: signed JSON POSTs, each with a timeout, retried with
 * exponential backoff up to a bounded number of attempts. Queueing is a database write; sending happens on timers
 * after the request that caused the event has been answered, so a slow or broken receiver never delays a request.
 * Only the server sends ({@link start}); the CLI only queues.
 */
export class WebhookDispatcher {
  private _started = false;
  private _timer: NodeJS.Timeout | null = null;
  private readonly _inFlight = new Set<AbortController>();

  constructor(private readonly _parts: IWebhookDispatcherParts) {}

  /** Queues `events` for their recipients' webhooks and the site-wide one; nothing when neither exists. */
  async enqueue(events: readonly (IInboxEvent & { recipient: string })[]): Promise<void> {
    if (events.length === 0) {
      return;
    }
    const withHook = await this._parts.webhooks.withWebhook([...new Set(events.map(event => event.recipient))]);
    const deliveries: { username: string | null; payload: string }[] = [];
    for (const { recipient, ...event } of events) {
      const payload = (): string =>
        JSON.stringify({ id: crypto.randomUUID(), type: 'inbox.event', recipient, event } satisfies IWebhookPayload);
      if (withHook.has(recipient)) {
        deliveries.push({ username: recipient, payload: payload() });
      }
      if (this._parts.siteWide) {
        deliveries.push({ username: null, payload: payload() });
      }
    }
    if (deliveries.length > 0) {
      await this._parts.webhooks.enqueue(deliveries, Date.now(), new Date().toISOString());
      this._schedule(0);
    }
  }

  /** Starts sending, beginning with what an earlier run left queued. */
  start(): void {
    this._started = true;
    void this._scheduleNext();
  }

  /** Stops sending: clears the timer and aborts deliveries in flight (they stay queued for the next start). */
  stop(): void {
    this._started = false;
    if (this._timer) {
      clearTimeout(this._timer);
      this._timer = null;
    }
    for (const controller of this._inFlight) {
      controller.abort();
    }
  }

  /** Sets the timer for the next due delivery; a failure to read the queue is logged (the next enqueue retries). */
  private async _scheduleNext(): Promise<void> {
    if (!this._started) {
      return;
    }
    try {
      const next = await this._parts.webhooks.nextDueAt();
      if (next !== null) {
        this._schedule(next - Date.now());
      }
    } catch (error) {
      if (this._started) {
        this._parts.log.warn({ err: error }, 'could not read the webhook queue');
      }
    }
  }

  private _schedule(delayMs: number): void {
    if (!this._started) {
      return;
    }
    if (this._timer) {
      clearTimeout(this._timer);
    }
    this._timer = setTimeout(() => void this._run(), Math.min(Math.max(0, delayMs), MAX_TIMER_MS));
    this._timer.unref();
  }

  /**
   * Sends what is due, up to {@link MAX_IN_FLIGHT} at a time, each on its own: a receiver that hangs holds up only
   * its own deliveries. A delivery taken is leased (not due again until its attempt has timed out), so a later run,
   * or the next start after a crash, does not send it twice meanwhile.
   */
  private async _run(): Promise<void> {
    this._timer = null;
    if (!this._started) {
      return;
    }
    try {
      const room = MAX_IN_FLIGHT - this._inFlight.size;
      if (room > 0) {
        const now = Date.now();
        const { webhooks, unitOfWork } = this._parts;
        const taken = await unitOfWork.transaction(async () => {
          const due = await webhooks.due(now, room);
          for (const delivery of due) {
            await webhooks.retryLater(delivery.seq, delivery.attempts, now + this._parts.timeoutMs + LEASE_MARGIN_MS);
          }
          return due;
        });
        for (const delivery of taken) {
          const controller = new AbortController();
          this._inFlight.add(controller);
          void this._deliver(delivery, controller).then(
            () => this._scheduleNext(),
            error => this._parts.log.warn({ err: error }, 'a webhook delivery failed')
          );
        }
      }
      if (this._inFlight.size < MAX_IN_FLIGHT) {
        await this._scheduleNext();
      }
    } catch (error) {
      if (this._started) {
        this._parts.log.warn({ err: error }, 'webhook deliveries failed');
      }
    }
  }

  /** Sends one delivery; `controller` is already counted in flight, and is let go here. */
  private async _deliver(delivery: IWebhookDelivery, controller: AbortController): Promise<void> {
    let target: ISiteWebhook | null;
    try {
      target =
        delivery.username === null
          ? this._parts.siteWide
          : ((await this._parts.webhooks.find(delivery.username)) ?? null);
    } catch (error) {
      this._inFlight.delete(controller);
      throw error;
    }
    if (target === null) {
      // The user removed their webhook (or the site-wide one was unset) since: nobody to deliver to.
      this._inFlight.delete(controller);
      await this._parts.webhooks.finish(delivery.seq);
      return;
    }
    const timeout = setTimeout(() => controller.abort(), this._parts.timeoutMs);
    let failure: string | null = null;
    try {
      const response = await fetch(target.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': 'notebook-gallery-webhook',
          [SIGNATURE_HEADER]: signWebhookBody(target.secret, delivery.payload)
        },
        body: delivery.payload,
        redirect: 'manual',
        signal: controller.signal
      });
      // The body is not needed; reading it frees the connection.
      await response.arrayBuffer().catch(() => undefined);
      failure = response.ok ? null : `answered ${response.status}`;
    } catch (error) {
      failure = controller.signal.aborted ? 'timed out or stopped' : String((error as Error).message ?? error);
    } finally {
      clearTimeout(timeout);
      this._inFlight.delete(controller);
    }
    if (!this._started) {
      // Stopped while sending: the delivery stays queued as it was.
      return;
    }
    if (failure === null) {
      await this._parts.webhooks.finish(delivery.seq);
      return;
    }
    const attempts = delivery.attempts + 1;
    if (attempts >= this._parts.attempts) {
      await this._parts.webhooks.finish(delivery.seq);
      this._parts.log.warn({ url: target.url, attempts, failure }, 'gave up a webhook delivery');
      return;
    }
    const wait = this._parts.retryDelayMs * 2 ** (attempts - 1);
    await this._parts.webhooks.retryLater(delivery.seq, attempts, Date.now() + wait);
  }
}

/** `sha256=<hex HMAC-SHA256 of body keyed with secret>`: the value of {@link SIGNATURE_HEADER}. */
export function signWebhookBody(secret: string, body: string): string {
  return `sha256=${crypto.createHmac('sha256', secret).update(body, 'utf8').digest('hex')}`;
}

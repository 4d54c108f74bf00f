import type { IWebhook, IWebhookCreated } from '@notebook-gallery/core';
import * as crypto from 'node:crypto';
import type { ICaller } from '../auth/permissions';
import { InvalidRequestError } from '../errors/InvalidRequestError';
import type { IWebhookRepository } from '../repositories/webhookRepository';
import { userOf } from './authorizedNotebook';

/** A user's own webhook: where their inbox events are POSTed (see webhookDispatcher.ts). */
export class WebhookSettings {
  constructor(private readonly _webhooks: Pick<IWebhookRepository, 'find' | 'put' | 'remove'>) {}

  /**
   * The caller's webhook URL, or nulls when they have none; the secret is never shown again.
   * @throws {UnauthorizedError} for the anonymous caller.
   */
  async get(caller: ICaller): Promise<IWebhook> {
    const found = await this._webhooks.find(userOf(caller).username);
    return { url: found?.url ?? null, createdAt: found?.createdAt ?? null };
  }

  /**
   * Sets the caller's webhook to `url` with a new secret, which the reply shows this once.
   * @throws {UnauthorizedError} for the anonymous caller.
   * @throws {InvalidRequestError} when `url` is not an http or https URL.
   */
  async set(caller: ICaller, url: string): Promise<IWebhookCreated> {
    const user = userOf(caller);
    const checked = checkWebhookUrl(url, 'url');
    const webhook = {
      username: user.username,
      url: checked,
      secret: crypto.randomBytes(32).toString('base64url'),
      createdAt: new Date().toISOString()
    };
    await this._webhooks.put(webhook);
    return { url: webhook.url, createdAt: webhook.createdAt, secret: webhook.secret };
  }

  /**
   * Removes the caller's webhook (none: no change); deliveries still queued for it are dropped.
   * @throws {UnauthorizedError} for the anonymous caller.
   */
  async remove(caller: ICaller): Promise<void> {
    await this._webhooks.remove(userOf(caller).username);
  }
}

/**
 * `raw` as a webhook URL: http or https, without user name or password.
 * @throws {InvalidRequestError} naming `field` otherwise.
 */
export function checkWebhookUrl(raw: string, field: string): string {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw new InvalidRequestError(`"${raw}" is not a URL like https://chat.example.org/hooks/gallery`, field);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new InvalidRequestError(`A webhook URL must start with http:// or https://, got "${url.protocol}"`, field);
  }
  if (url.username || url.password) {
    throw new InvalidRequestError('A webhook URL must not hold a user name or password', field);
  }
  return url.href;
}

import * as crypto from 'node:crypto';

/** Every API token starts with this, so the bearer authenticators can tell them from JWTs. */
export const API_TOKEN_PREFIX = 'ngp_';

/** A fresh token secret: `ngp_` + 32 random bytes. */
export function newApiTokenSecret(): string {
  return API_TOKEN_PREFIX + crypto.randomBytes(32).toString('base64url');
}

/** What is stored of a token: its SHA-256, enough for a secret with 256 random bits. */
export function hashApiToken(token: string): string {
  return crypto.createHash('sha256').update(token, 'utf8').digest('hex');
}

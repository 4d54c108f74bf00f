import { ErrorCode } from '@notebook-gallery/core';
import { GalleryError } from './GalleryError';

/** A rate limit as the server applies it; named so a 429 can say which one was hit. */
export interface IRateLimitInfo {
  /** The limit's name in replies, e.g. `save` or `login-address`. */
  name: string;
  /** Requests allowed per window. */
  max: number;
  windowSeconds: number;
  /** The CLI flag that sets it, e.g. `--save-rate-limit`, so an admin knows what to change. */
  flag: string;
}

/**
 * Too many attempts; `retryAfterSeconds` says when the next one will be accepted (the error handler also sends it as
 * Retry-After) and `limit` names the limit that was hit.
 */
export class RateLimitedError extends GalleryError {
  constructor(what: string, retryAfterSeconds: number, limit: IRateLimitInfo) {
    super(
      ErrorCode.RATE_LIMITED,
      429,
      `Too many ${what}: at most ${limit.max} per ${Private.window(limit.windowSeconds)} (${limit.flag}); ` +
        `try again in ${retryAfterSeconds} second${retryAfterSeconds === 1 ? '' : 's'}`,
      { retryAfterSeconds, limit: limit.name }
    );
  }
}

namespace Private {
  /** 60 -> `minute`, 900 -> `15 minutes`, 3600 -> `hour`. */
  export function window(seconds: number): string {
    const units: [number, string][] = [
      [86_400, 'day'],
      [3600, 'hour'],
      [60, 'minute'],
      [1, 'second']
    ];
    const [size, unit] = units.find(([size]) => seconds % size === 0) ?? [1, 'second'];
    const count = seconds / size;
    return count === 1 ? unit : `${count} ${unit}s`;
  }
}

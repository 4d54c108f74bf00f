import { ErrorCode } from '@notebook-gallery/core';
import { GalleryError } from './GalleryError';

/** Too many attempts; `retryAfterSeconds` says when the next one will be accepted. */
export class RateLimitedError extends GalleryError {
  constructor(what: string, retryAfterSeconds: number) {
    super(
      ErrorCode.RATE_LIMITED,
      429,
      `Too many ${what}; try again in ${retryAfterSeconds} second${retryAfterSeconds === 1 ? '' : 's'}`,
      { retryAfterSeconds }
    );
  }
}

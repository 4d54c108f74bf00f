import { ErrorCode } from '@notebook-gallery/core';
import { GalleryError } from './GalleryError';

/**
 * A query did not finish within its time budget (or the server is stopping); answered 503 with Retry-After, so a
 * client tries again later instead of waiting on a request that may never end.
 */
export class ServerBusyError extends GalleryError {
  constructor(why: string, retryAfterSeconds: number) {
    super(
      ErrorCode.SERVER_BUSY,
      503,
      `The server is busy (${why}); try again in ${retryAfterSeconds} second${retryAfterSeconds === 1 ? '' : 's'}`,
      { retryAfterSeconds }
    );
  }
}

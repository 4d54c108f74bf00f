import { ErrorCode } from '@notebook-gallery/core';
import { GalleryError } from './GalleryError';

/**
 * A user already has as many of something as the server allows (API tokens, open change requests). Unlike a rate
 * limit, waiting does not help: the user removes one first. `limit` names the cap and `max` says how many.
 */
export class LimitReachedError extends GalleryError {
  constructor(limit: string, max: number, message: string) {
    super(ErrorCode.LIMIT_REACHED, 409, message, { limit, max });
  }
}

import { ErrorCode } from '@notebook-gallery/core';
import { GalleryError } from './GalleryError';

/** No API token with that id among the caller's. */
export class TokenNotFoundError extends GalleryError {
  constructor(id: string) {
    super(ErrorCode.TOKEN_NOT_FOUND, 404, `You have no API token with id "${id}"`, { id });
  }
}

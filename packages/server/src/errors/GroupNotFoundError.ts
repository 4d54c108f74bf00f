import { ErrorCode } from '@notebook-gallery/core';
import { GalleryError } from './GalleryError';

/** No group with that name (or the caller may not see it). */
export class GroupNotFoundError extends GalleryError {
  constructor(name: string) {
    super(ErrorCode.GROUP_NOT_FOUND, 404, `No group "${name}"`, { group: name });
  }
}

import { ErrorCode } from '@notebook-gallery/core';
import { GalleryError } from './GalleryError';

/** No notebook with that id (or the caller may not see it). */
export class NotebookNotFoundError extends GalleryError {
  constructor(id: string) {
    super(ErrorCode.NOTEBOOK_NOT_FOUND, 404, `No notebook with id "${id}"`, { id });
  }
}

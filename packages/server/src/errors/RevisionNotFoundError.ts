import { ErrorCode } from '@notebook-gallery/core';
import { GalleryError } from './GalleryError';

/** The notebook exists but has no such revision. */
export class RevisionNotFoundError extends GalleryError {
  constructor(id: string, revision: string) {
    super(ErrorCode.REVISION_NOT_FOUND, 404, `Notebook "${id}" has no revision "${revision}"`, { id, revision });
  }
}

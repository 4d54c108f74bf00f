import { ErrorCode } from '@notebook-gallery/core';
import { GalleryError } from './GalleryError';

/** A save based on a revision that is no longer the latest; the client must reload or save a copy. */
export class RevisionConflictError extends GalleryError {
  constructor(id: string, baseRevision: string, currentRevision: string) {
    super(
      ErrorCode.REVISION_CONFLICT,
      409,
      `Notebook "${id}" was saved by someone else since revision ${baseRevision}; its latest revision is ${currentRevision}`,
      { currentRevision }
    );
  }
}

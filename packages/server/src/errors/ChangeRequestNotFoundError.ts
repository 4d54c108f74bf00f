import { ErrorCode } from '@notebook-gallery/core';
import { GalleryError } from './GalleryError';

/** No such change request on that notebook, or the caller may not see it (only its proposer and editors may). */
export class ChangeRequestNotFoundError extends GalleryError {
  constructor(notebookId: string, requestId: string) {
    super(
      ErrorCode.CHANGE_REQUEST_NOT_FOUND,
      404,
      `Notebook "${notebookId}" has no change request "${requestId}" you may see`,
      { id: notebookId, requestId }
    );
  }
}

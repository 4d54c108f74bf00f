import { ErrorCode, type IMergeConflict } from '@notebook-gallery/core';
import { GalleryError } from './GalleryError';

/**
 * A three-way merge the server tried (a save with `merge: true`, or accepting a change request) found changes both
 * sides made differently; nothing was committed. The reply carries the conflicts so the client can settle them.
 */
export class MergeConflictError extends GalleryError {
  constructor(message: string, currentRevision: string, conflicts: IMergeConflict[]) {
    super(ErrorCode.REVISION_CONFLICT, 409, message, { currentRevision, conflicts });
  }
}

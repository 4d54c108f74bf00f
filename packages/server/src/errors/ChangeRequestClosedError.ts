import { ErrorCode, type ChangeRequestStatus } from '@notebook-gallery/core';
import { GalleryError } from './GalleryError';

/** The change request was already accepted, declined or withdrawn, so it cannot be decided or withdrawn again. */
export class ChangeRequestClosedError extends GalleryError {
  constructor(requestId: string, status?: Exclude<ChangeRequestStatus, 'open'>) {
    super(ErrorCode.CHANGE_REQUEST_CLOSED, 409, `Change request "${requestId}" was already ${status ?? 'closed'}`, {
      requestId,
      ...(status ? { status } : {})
    });
  }
}

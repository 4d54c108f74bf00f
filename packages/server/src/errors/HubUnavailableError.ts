import { ErrorCode } from '@notebook-gallery/core';
import { GalleryError } from './GalleryError';

/** The hub's API could not be reached, timed out or failed, so a hub token cannot be checked now. */
export class HubUnavailableError extends GalleryError {
  constructor(
    /** What went wrong, for the log, e.g. `no connection from http://127.0.0.1:8081/hub/api`. */
    readonly reason: string
  ) {
    super(
      ErrorCode.HUB_UNAVAILABLE,
      503,
      `The gallery cannot reach JupyterHub to check who you are (${reason}); try again in a moment`
    );
  }
}

import { ErrorCode } from '@notebook-gallery/core';
import { GalleryError } from './GalleryError';

/** No credentials, or credentials that no longer work (expired token, deleted user). */
export class UnauthorizedError extends GalleryError {
  constructor(message = 'Log in first: send "Authorization: Bearer <token>" from POST /api/auth/login') {
    super(ErrorCode.UNAUTHORIZED, 401, message);
  }
}

import { ErrorCode } from '@notebook-gallery/core';
import { GalleryError } from './GalleryError';

/** Self-registration is closed, or not open to this email domain. */
export class RegistrationClosedError extends GalleryError {
  constructor(message = 'Registration is closed; ask an admin for an account') {
    super(ErrorCode.REGISTRATION_CLOSED, 403, message);
  }
}

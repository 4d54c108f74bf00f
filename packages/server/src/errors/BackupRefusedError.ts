import { ErrorCode } from '@notebook-gallery/core';
import { GalleryError } from './GalleryError';

/** `backup` or `restore` was given a place it must not write (not empty) or cannot use (not a backup). */
export class BackupRefusedError extends GalleryError {
  constructor(message: string) {
    super(ErrorCode.BACKUP_REFUSED, 409, message);
  }
}

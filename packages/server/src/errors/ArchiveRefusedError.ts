import { ErrorCode } from '@notebook-gallery/core';
import { GalleryError } from './GalleryError';

/**
 * An archive given to `import` failed a safety check (a path outside the archive, a link, a duplicate name, too many
 * entries or bytes, a truncated file); it is refused whole, before anything of it is imported.
 */
export class ArchiveRefusedError extends GalleryError {
  constructor(
    readonly archive: string,
    reason: string,
    readonly entry?: string
  ) {
    super(
      ErrorCode.ARCHIVE_REFUSED,
      400,
      `${archive} was refused, nothing was imported: ${entry !== undefined ? `entry "${entry}": ` : ''}${reason}`
    );
  }
}

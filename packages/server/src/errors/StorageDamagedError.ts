import { ErrorCode } from '@notebook-gallery/core';
import { GalleryError } from './GalleryError';

/** The command that repairs a damaged repository, named in every message about one. */
export const REPAIR_COMMAND = 'notebook-gallery fsck --repair';

/**
 * A notebook whose repository lost or damaged an object or ref that a read or save needs. Nothing is saved on top of
 * it; other notebooks are unaffected.
 */
export class StorageDamagedError extends GalleryError {
  /**
   * @param damage what is damaged, as a phrase: `its latest revision's commit 1a2b3c4 is missing`.
   */
  constructor(id: string, title: string, damage: string) {
    super(
      ErrorCode.STORAGE_DAMAGED,
      409,
      `Notebook "${title}" (${id}) is damaged: ${damage}. Nothing was saved. ` +
        `Ask your administrator to run "${REPAIR_COMMAND}", which repairs it from what survives.`,
      { id }
    );
  }
}

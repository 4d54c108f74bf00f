import { ErrorCode } from '@notebook-gallery/core';
import { GalleryError } from './GalleryError';

/** A command that rewrites the data directory found a gallery server running on it. */
export class DataDirectoryInUseError extends GalleryError {
  constructor(dataDir: string, pid: number, command: string) {
    super(
      ErrorCode.DATA_DIRECTORY_IN_USE,
      409,
      `a gallery server (process ${pid}) is running on ${dataDir}; stop it before "${command}" ` +
        `(if no server runs there, remove ${dataDir}/server.pid)`,
      { pid }
    );
  }
}

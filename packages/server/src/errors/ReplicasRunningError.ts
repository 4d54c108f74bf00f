import { ErrorCode } from '@notebook-gallery/core';
import { GalleryError } from './GalleryError';

/** A command that rewrites the gallery found servers (replicas) serving on its PostgreSQL database. */
export class ReplicasRunningError extends GalleryError {
  constructor(database: string, servers: number, command: string) {
    super(
      ErrorCode.DATA_DIRECTORY_IN_USE,
      409,
      `${servers} gallery server(s) are serving on ${database}; stop every replica before "${command}" ` +
        '(in Kubernetes: kubectl scale deployment notebook-gallery --replicas=0)',
      { servers }
    );
  }
}

import type { IExportFilters, IExportedNotebook } from '../repositories/exportSnapshotRepository';
import { ArchiveRefusedError } from '../errors/ArchiveRefusedError';

/** The `format` of our own export archive's manifest; import recognises the archive by it. */
export const ARCHIVE_FORMAT = 'notebook-gallery-export';

/**
 * The newest archive format version this gallery writes and reads. Raise it when a reader of the old version would
 * misread a new archive (a field whose absence changes meaning), not for fields an old reader may ignore.
 */
export const ARCHIVE_VERSION = 1;

/** The archive's first entry; a reader checks it before anything else. */
export const MANIFEST_FILE = 'manifest.json';

export type { IExportFilters, IExportedNotebook };

/** How much of each thing the archive holds. */
export interface IArchiveCounts {
  notebooks: number;
  revisions: number;
  changeRequests: number;
  comments: number;
  shares: number;
  stars: number;
  users: number;
  groups: number;
}

/** The files one notebook's entry in the archive is made of, relative to the archive's root. */
export interface IArchiveNotebookFiles {
  /** A git bundle (v2) of its history: `refs/heads/main` and `refs/change-requests/<id>`. */
  history: string;
  /** Its {@link IExportedNotebook} as JSON. */
  metadata: string;
}

/** What `manifest.json` says. */
export interface IArchiveManifest {
  format: typeof ARCHIVE_FORMAT;
  version: number;
  /** The server version that wrote it. */
  writtenBy: string;
  /** When the export read its database snapshot (ISO 8601). */
  createdAt: string;
  filters: IExportFilters;
  counts: IArchiveCounts;
  /** Sorted by id. */
  notebooks: { id: string; files: IArchiveNotebookFiles }[];
}

/** The files of notebook `id` in an archive. */
export function notebookFiles(id: string): IArchiveNotebookFiles {
  return { history: `notebooks/${id}/history.bundle`, metadata: `notebooks/${id}/notebook.json` };
}

/**
 * Checks what an archive's `manifest.json` holds before anything else of it is read.
 * @throws {ArchiveRefusedError} when it is not our export's manifest, or one of a newer format version than this
 * gallery reads (with what to do about it).
 */
export function checkManifest(value: unknown, archive: string): IArchiveManifest {
  const manifest = value as Partial<IArchiveManifest> | null;
  if (manifest === null || typeof manifest !== 'object' || manifest.format !== ARCHIVE_FORMAT) {
    throw new ArchiveRefusedError(
      archive,
      `it is not a notebook-gallery export (its ${MANIFEST_FILE} names no format "${ARCHIVE_FORMAT}")`
    );
  }
  if (typeof manifest.version !== 'number' || !Number.isInteger(manifest.version) || manifest.version < 1) {
    throw new ArchiveRefusedError(archive, `its ${MANIFEST_FILE} has no valid format version`);
  }
  if (manifest.version > ARCHIVE_VERSION) {
    throw new ArchiveRefusedError(
      archive,
      `it has export format version ${manifest.version} (written by notebook-gallery ` +
        `${String(manifest.writtenBy)}), but this gallery reads versions up to ${ARCHIVE_VERSION}; ` +
        `upgrade notebook-gallery to import it`
    );
  }
  if (!Array.isArray(manifest.notebooks)) {
    throw new ArchiveRefusedError(archive, `its ${MANIFEST_FILE} has no notebook list`);
  }
  return manifest as IArchiveManifest;
}

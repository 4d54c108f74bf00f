import * as fs from 'node:fs';
import * as path from 'node:path';
import { pipeline } from 'node:stream/promises';
import * as zlib from 'node:zlib';
import { pack, type Pack } from 'tar-stream';
import { ExportRefusedError } from '../errors/ExportRefusedError';
import type { IExportSnapshotRepository } from '../repositories/exportSnapshotRepository';
import { repositoryPath } from '../storage/repositoryLayout';
import { BRANCH, changeRequestRef } from '../storage/gitRepository';
import { VERSION } from '../version';
import {
  ARCHIVE_FORMAT,
  ARCHIVE_VERSION,
  MANIFEST_FILE,
  notebookFiles,
  type IArchiveCounts,
  type IArchiveManifest,
  type IExportFilters,
  type IExportedNotebook
} from './archiveFormat';
import { createGitBundle, type IBundleRef } from './gitBundle';

/** Told how an export goes: how many notebooks once the snapshot is read, then each notebook as it is written. */
export interface IExportProgress {
  started(total: number): void;
  notebookDone(event: { id: string; title: string; revisions: number; done: number; total: number }): void;
}

const NO_PROGRESS: IExportProgress = { started: () => undefined, notebookDone: () => undefined };

/** What {@link exportGallery} wrote. */
export interface IExportReport {
  file: string;
  manifest: IArchiveManifest;
  bytes: number;
}

/**
 * Every entry's modification time: fixed, so two exports of the same gallery are the same bytes but for the
 * manifest's creation time (tar keeps mtimes, and gzip would carry them along).
 */
const ENTRY_MTIME = new Date(0);

/**
 * Writes the notebooks `filters` select into the tar.gz `file` as one stream: `manifest.json` first, then per
 * notebook its history as a git bundle and its metadata as JSON. The database is read in one read transaction (a
 * snapshot), and each bundle holds the commits that snapshot names rather than the refs of the moment: git objects
 * are never changed or removed, so the snapshot's commits are all there however the server saves meanwhile. The
 * archive is written beside `file` under a temporary name and renamed at the end, so an export cut short leaves no
 * archive that looks whole.
 * @throws {ExportRefusedError} when `file` exists.
 * @throws {Error} when a notebook's repository lacks a commit the database names (run `notebook-gallery fsck`), or
 * the file cannot be written.
 */
export async function exportGallery(
  snapshot: IExportSnapshotRepository,
  dataDir: string,
  file: string,
  filters: IExportFilters,
  progress: IExportProgress = NO_PROGRESS
): Promise<IExportReport> {
  if (fs.existsSync(file)) {
    throw new ExportRefusedError(`${file} already exists; export never overwrites a file (choose another name)`);
  }
  const createdAt = new Date().toISOString();
  const notebooks = await snapshot.readNotebooks(filters);
  progress.started(notebooks.length);
  const manifest: IArchiveManifest = {
    format: ARCHIVE_FORMAT,
    version: ARCHIVE_VERSION,
    writtenBy: VERSION,
    createdAt,
    filters,
    counts: countOf(notebooks),
    notebooks: notebooks.map(notebook => ({ id: notebook.id, files: notebookFiles(notebook.id) }))
  };
  const archive = pack();
  const partial = path.join(path.dirname(file), `.${path.basename(file)}.partial`);
  const written = pipeline(archive, zlib.createGzip(), fs.createWriteStream(partial, { mode: 0o600 }));
  try {
    await addEntry(archive, MANIFEST_FILE, json(manifest));
    let done = 0;
    for (const notebook of notebooks) {
      const files = notebookFiles(notebook.id);
      await addEntry(archive, files.history, await historyBundle(dataDir, notebook));
      await addEntry(archive, files.metadata, json(notebook));
      progress.notebookDone({
        id: notebook.id,
        title: notebook.title,
        revisions: notebook.revisions.length,
        done: ++done,
        total: notebooks.length
      });
    }
    archive.finalize();
    await written;
  } catch (error) {
    archive.destroy();
    await written.catch(() => undefined);
    await fs.promises.rm(partial, { force: true });
    throw error;
  }
  await fs.promises.rename(partial, file);
  return { file, manifest, bytes: (await fs.promises.stat(file)).size };
}

/** The notebook's history as the snapshot names it: `main` at its latest revision, and each change request's commit. */
async function historyBundle(dataDir: string, notebook: IExportedNotebook): Promise<Uint8Array> {
  const head = notebook.revisions[notebook.revisions.length - 1];
  const refs: IBundleRef[] = [
    { name: `refs/heads/${BRANCH}`, commit: head.commit },
    ...notebook.changeRequests.map(request => ({ name: changeRequestRef(request.id), commit: request.commit })),
    { name: 'HEAD', commit: head.commit }
  ];
  try {
    return await createGitBundle(repositoryPath(dataDir, notebook.id), refs);
  } catch (error) {
    throw new Error(
      `notebook ${notebook.id}: its history cannot be read (${(error as Error).message}); ` +
        'run "notebook-gallery fsck" and export again',
      { cause: error }
    );
  }
}

function countOf(notebooks: readonly IExportedNotebook[]): IArchiveCounts {
  const sum = (count: (notebook: IExportedNotebook) => number): number =>
    notebooks.reduce((total, notebook) => total + count(notebook), 0);
  return {
    notebooks: notebooks.length,
    revisions: sum(notebook => notebook.revisions.length),
    changeRequests: sum(notebook => notebook.changeRequests.length),
    comments: sum(notebook => notebook.comments.length),
    shares: sum(notebook => notebook.shares.length),
    stars: sum(notebook => notebook.stars.length),
    users: new Set(notebooks.flatMap(notebook => notebook.users.map(user => user.username))).size,
    groups: new Set(notebooks.flatMap(notebook => notebook.groups.map(group => group.name))).size
  };
}

function json(value: unknown): Uint8Array {
  return Buffer.from(`${JSON.stringify(value, null, 2)}\n`, 'utf8');
}

/** Adds one file to the tar stream, waiting until tar-stream took it (so a big export holds one entry at a time). */
function addEntry(archive: Pack, name: string, bytes: Uint8Array): Promise<void> {
  return new Promise((resolve, reject) => {
    archive.entry({ name, size: bytes.byteLength, mode: 0o644, mtime: ENTRY_MTIME }, Buffer.from(bytes), error =>
      error ? reject(error) : resolve()
    );
  });
}

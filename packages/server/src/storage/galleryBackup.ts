import * as fs from 'node:fs';
import * as path from 'node:path';
import { BackupRefusedError } from '../errors/BackupRefusedError';
import { VERSION } from '../version';
import { DATA_DIR_MODE } from './dataDirectory';
import { repositoriesRoot, repositoryPath, trashRoot } from './repositoryLayout';
import { SERVER_PID_FILE } from './serverPidFile';

/** The file that makes a directory a complete backup; written last, so a backup cut short has none. */
export const BACKUP_MANIFEST = 'backup.json';

/** What `backup.json` says. */
export interface IBackupManifest {
  format: 'notebook-gallery-backup';
  /** The server version that wrote it. */
  version: string;
  /** When the database snapshot began: every save acknowledged before this is in the backup. */
  startedAt: string;
  finishedAt: string;
  notebooks: number;
  /** Notebooks in the database snapshot whose repository was neither in `repos/` nor in the trash: not copied. */
  missingRepositories: string[];
}

/**
 * How the database is copied; the composition root supplies SQLite's (PostgreSQL would supply its own dump).
 */
export interface IDatabaseBackup {
  /** The database's files in a data directory, which the file copy leaves to {@link snapshot}. */
  files: readonly string[];
  /**
   * Writes a consistent copy of the live database of the data directory into directory `destination`.
   * @returns the ids of the notebooks in the copy.
   */
  snapshot(destination: string): Promise<string[]>;
}

/** Called as repositories are copied (or restored): how many are done and how many there are. */
export type CopyProgress = (done: number, total: number) => void;

/** Copy-on-write clones where the file system has them (btrfs, XFS): instant and still independent copies. */
const REFLINK = fs.constants.COPYFILE_FICLONE;

/** How many repositories are copied at once: enough to hide file system latency, few enough for a busy server. */
const PARALLEL_COPIES = 8;

/**
 * Copies a gallery, while its server runs, into the empty or new directory `destination`. The order makes the copy
 * consistent without stopping writers:
 * 1. The database, with SQLite's backup API in one read transaction: a snapshot as of one moment.
 * 2. The repository of every notebook in that snapshot, refs before objects. Every commit the snapshot names was
 *    written before the snapshot (a save writes its objects, then acknowledges), and objects are never removed, so
 *    the copy has them all. Refs may be newer than the snapshot (saves acknowledged since, whose commits are then
 *    copied too, and which restore adopts) or one save older (a save acknowledged but whose ref had not moved yet,
 *    which the snapshot's save journal finishes at restore). A notebook deleted meanwhile is copied from the trash.
 * 3. The data directory's secrets (signing keys), and last the manifest.
 * @throws {BackupRefusedError} when `destination` is not empty.
 */
export async function backupGallery(
  dataDir: string,
  database: IDatabaseBackup,
  destination: string,
  progress: CopyProgress = () => {}
): Promise<IBackupManifest> {
  await prepareEmptyDirectory(destination, 'backup');
  const startedAt = new Date().toISOString();
  const notebooks = await database.snapshot(destination);
  let done = 0;
  const missingRepositories: string[] = [];
  await inParallel(notebooks, async id => {
    if (!(await copyRepository(dataDir, id, repositoryPath(destination, id)))) {
      missingRepositories.push(id);
    }
    progress(++done, notebooks.length);
  });
  await copyTopLevelFiles(dataDir, destination, database.files);
  const manifest: IBackupManifest = {
    format: 'notebook-gallery-backup',
    version: VERSION,
    startedAt,
    finishedAt: new Date().toISOString(),
    notebooks: notebooks.length,
    missingRepositories: missingRepositories.sort()
  };
  fs.writeFileSync(path.join(destination, BACKUP_MANIFEST), `${JSON.stringify(manifest, null, 2)}\n`, {
    mode: 0o600
  });
  return manifest;
}

/**
 * Copies backup `source` into the stopped gallery's data directory `dataDir`, which must be empty or missing (move
 * an old one aside first: a restore never mixes two galleries). The caller then opens the gallery to finish
 * interrupted saves and adopt commits newer than the database snapshot.
 * @throws {BackupRefusedError} when `source` is not a complete backup or `dataDir` is not empty.
 */
export async function restoreFiles(
  source: string,
  dataDir: string,
  progress: CopyProgress = () => {}
): Promise<IBackupManifest> {
  const manifest = readManifest(source);
  await prepareEmptyDirectory(dataDir, 'restore');
  const shards = await fs.promises.readdir(repositoriesRoot(source)).catch(() => [] as string[]);
  const repositories = (
    await Promise.all(
      shards.map(async shard =>
        (await fs.promises.readdir(path.join(repositoriesRoot(source), shard))).map(name => path.join(shard, name))
      )
    )
  ).flat();
  let done = 0;
  await inParallel(repositories, async relative => {
    await copyTree(path.join(repositoriesRoot(source), relative), path.join(repositoriesRoot(dataDir), relative));
    progress(++done, repositories.length);
  });
  await copyTopLevelFiles(source, dataDir, [BACKUP_MANIFEST]);
  return manifest;
}

/**
 * The manifest of backup `source`.
 * @throws {BackupRefusedError} when it has none (not a backup, or one cut short).
 */
export function readManifest(source: string): IBackupManifest {
  try {
    const manifest = JSON.parse(fs.readFileSync(path.join(source, BACKUP_MANIFEST), 'utf8')) as IBackupManifest;
    if (manifest.format === 'notebook-gallery-backup') {
      return manifest;
    }
  } catch {
    // Reported below, with what to do.
  }
  throw new BackupRefusedError(
    `${source} is not a complete gallery backup (no readable ${BACKUP_MANIFEST}; a backup cut short has none)`
  );
}

/** Creates `dir` (mode 0700) or checks that it is empty. */
async function prepareEmptyDirectory(dir: string, command: string): Promise<void> {
  const entries = await fs.promises.readdir(dir).catch(() => null);
  if (entries === null) {
    await fs.promises.mkdir(dir, { recursive: true, mode: DATA_DIR_MODE });
  } else if (entries.length > 0) {
    throw new BackupRefusedError(
      `${dir} is not empty; ${command} writes only into an empty or new directory (move the old one aside first)`
    );
  }
}

/**
 * Copies notebook `id`'s repository: everything but the objects first (refs, HEAD, the record journal), then the
 * objects, so every commit a copied ref names is copied. From the trash when the notebook was deleted meanwhile.
 * @returns false when the repository is gone (a damaged gallery still gets the rest of its backup).
 */
async function copyRepository(dataDir: string, id: string, target: string): Promise<boolean> {
  try {
    await copyTree(repositoryPath(dataDir, id), target);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
      throw error;
    }
    await fs.promises.rm(target, { recursive: true, force: true });
    const trashed = await newestTrashed(dataDir, id);
    if (trashed === null) {
      return false;
    }
    await copyTree(trashed, target);
    return true;
  }
}

/** Copies a bare repository, `objects/` last, without lock files and half-written temporary objects. */
async function copyTree(source: string, target: string): Promise<void> {
  const filter = (file: string): boolean => {
    const name = path.basename(file);
    return !name.endsWith('.lock') && !name.startsWith('tmp_obj_');
  };
  await fs.promises.mkdir(target, { recursive: true, mode: DATA_DIR_MODE });
  const entries = await fs.promises.readdir(source);
  for (const entry of entries.filter(name => name !== 'objects' && filter(name))) {
    await fs.promises.cp(path.join(source, entry), path.join(target, entry), {
      recursive: true,
      filter,
      mode: REFLINK
    });
  }
  if (entries.includes('objects')) {
    await fs.promises.cp(path.join(source, 'objects'), path.join(target, 'objects'), {
      recursive: true,
      filter,
      mode: REFLINK
    });
  }
}

/** The newest trashed repository of notebook `id`, or null. */
async function newestTrashed(dataDir: string, id: string): Promise<string | null> {
  const names = await fs.promises.readdir(trashRoot(dataDir)).catch(() => [] as string[]);
  const mine = names.filter(name => name.startsWith(`${id}-`) && name.endsWith('.git')).sort();
  return mine.length ? path.join(trashRoot(dataDir), mine[mine.length - 1]) : null;
}

/** Copies the files at the top of a data directory (the database of a backup, signing secrets) but `skip`. */
async function copyTopLevelFiles(source: string, target: string, skip: readonly string[]): Promise<void> {
  const skipped = new Set([SERVER_PID_FILE, ...skip]);
  for (const entry of await fs.promises.readdir(source, { withFileTypes: true })) {
    if (entry.isFile() && !skipped.has(entry.name)) {
      await fs.promises.copyFile(path.join(source, entry.name), path.join(target, entry.name));
      await fs.promises.chmod(path.join(target, entry.name), 0o600);
    }
  }
}

/** Runs `task` on every item, {@link PARALLEL_COPIES} at a time; rejects with the first failure. */
async function inParallel<T>(items: readonly T[], task: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      await task(items[next++]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(PARALLEL_COPIES, items.length) }, worker));
}

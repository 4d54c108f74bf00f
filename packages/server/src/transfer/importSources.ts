import * as fs from 'node:fs';
import { ConfigError } from '../errors/ConfigError';
import { FolderSource } from './folderSource';
import { GitSource, isGitRepository } from './gitSource';
import type { IImportSource, ImportSourceKind } from './importSource';
import { NBGALLERY_INDEX, NbgallerySource } from './nbgallerySource';
import { checkTar, type ITarLimits } from './safeTarReader';

/** The kinds `--from` accepts. */
export const SOURCE_KINDS: readonly ImportSourceKind[] = ['folder', 'git', 'nbgallery', 'gallery'];

/**
 * Opens the source of our own export archives (`--from gallery`); the exporter provides it. Undefined until then,
 * and such archives are refused with a sentence saying so.
 */
export type GalleryArchiveOpener = (file: string, limits: ITarLimits) => IImportSource;

/**
 * What `location` is when `--from` is not given: a git repository (working copy or bare), another folder, or an
 * archive: nbgallery's when it holds a `metadata.json` at its top, else our own. Reading an archive here runs every
 * safety check on it.
 * @throws {ConfigError} when `location` does not exist.
 * @throws {ArchiveRefusedError} for an archive that fails the checks.
 */
export async function detectSourceKind(location: string, limits: ITarLimits): Promise<ImportSourceKind> {
  let stat: fs.Stats;
  try {
    stat = await fs.promises.stat(location);
  } catch {
    throw new ConfigError(`${location} does not exist`);
  }
  if (stat.isDirectory()) {
    return isGitRepository(location) ? 'git' : 'folder';
  }
  const listing = await checkTar(location, limits);
  return listing.files.some(file => file.name === NBGALLERY_INDEX) ? 'nbgallery' : 'gallery';
}

/**
 * The source of `kind` at `location`.
 * @throws {ConfigError} for a kind that does not fit the location.
 */
export function openSource(
  kind: ImportSourceKind,
  location: string,
  limits: ITarLimits,
  galleryArchive?: GalleryArchiveOpener
): IImportSource {
  const isDirectory = fs.statSync(location, { throwIfNoEntry: false })?.isDirectory() ?? false;
  if ((kind === 'folder' || kind === 'git') && !isDirectory) {
    throw new ConfigError(`--from ${kind} needs a directory, and ${location} is not one`);
  }
  if ((kind === 'nbgallery' || kind === 'gallery') && isDirectory) {
    throw new ConfigError(`--from ${kind} needs an archive file, and ${location} is a directory`);
  }
  switch (kind) {
    case 'folder':
      return new FolderSource(location, limits.maxEntryBytes);
    case 'git':
      if (!isGitRepository(location)) {
        throw new ConfigError(`${location} is not a git repository`);
      }
      return new GitSource(location, limits.maxEntryBytes);
    case 'nbgallery':
      return new NbgallerySource(location, limits);
    case 'gallery':
      if (galleryArchive === undefined) {
        throw new ConfigError(
          `${location} is not an nbgallery export (it has no ${NBGALLERY_INDEX}), and this version cannot read ` +
            'Notebook Gallery export archives yet'
        );
      }
      return galleryArchive(location, limits);
  }
}

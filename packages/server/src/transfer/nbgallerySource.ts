import * as path from 'node:path';
import type { IImportItem, IImportSource, ImportSourceEntry } from './importSource';
import { contentKey, parseNotebookFile } from './notebookFile';
import { checkTar, readTar, type ITarLimits } from './safeTarReader';

/** The index nbgallery's admin export (and its import page) put next to the notebooks. */
export const NBGALLERY_INDEX = 'metadata.json';

/**
 * One entry of nbgallery's `metadata.json`, keyed by the notebook's file name without `.ipynb` (the uuid in an
 * export), as nbgallery's `AdminController#download_export` writes it and its import page documents it.
 */
export interface INbgalleryMetadata {
  uuid?: string;
  title?: string;
  description?: string;
  public?: boolean;
  /** A username (`owner_type` "User") or a group's name ("Group"). */
  owner?: string;
  owner_type?: 'User' | 'Group';
  creator?: string;
  updater?: string;
  tags?: string[];
  created?: string;
  updated?: string;
  changelog?: string;
}

/**
 * An nbgallery export: a flat tar.gz of `<uuid>.ipynb` files and a `metadata.json` mapping each file's base name to
 * its metadata. Keyed by uuid (so importing a newer export of the same gallery updates the same notebooks, adding a
 * revision where the content changed), owned by the user or group nbgallery names, public or private as there,
 * credited to nbgallery's last updater. Users and groups must exist in the gallery first, as nbgallery itself asks.
 */
export class NbgallerySource implements IImportSource {
  readonly kind = 'nbgallery' as const;
  /** uuids are global, so one origin for every nbgallery archive: a newer export maps onto the same notebooks. */
  readonly origin = 'nbgallery';

  constructor(
    private readonly _file: string,
    private readonly _limits: ITarLimits
  ) {}

  async *items(): AsyncIterable<ImportSourceEntry> {
    const listing = await checkTar(this._file, this._limits, name => name === NBGALLERY_INDEX);
    const index = parseIndex(listing.kept.get(NBGALLERY_INDEX));
    if (typeof index === 'string') {
      yield { kind: 'error', path: NBGALLERY_INDEX, reason: index };
      return;
    }
    for await (const file of readTar(this._file, this._limits, listing)) {
      if (file.name === NBGALLERY_INDEX) {
        continue;
      }
      if (!file.name.endsWith('.ipynb')) {
        yield { kind: 'error', path: file.name, reason: 'not a notebook (nbgallery exports hold only .ipynb files)' };
        continue;
      }
      const base = path.posix.basename(file.name, '.ipynb');
      const metadata = index[base];
      if (metadata === undefined) {
        yield { kind: 'error', path: file.name, reason: `${NBGALLERY_INDEX} has no entry "${base}"` };
        continue;
      }
      const parsed = parseNotebookFile(file.bytes, this._limits.maxEntryBytes);
      if (!parsed.ok) {
        yield { kind: 'error', path: file.name, reason: parsed.reason };
        continue;
      }
      yield toItem(file.name, base, metadata, parsed.notebook, file.bytes);
    }
  }
}

function toItem(
  name: string,
  base: string,
  metadata: INbgalleryMetadata,
  notebook: Record<string, unknown>,
  bytes: Buffer
): IImportItem {
  const byGroup = metadata.owner_type === 'Group';
  const date = metadata.updated ?? metadata.created;
  const author = metadata.updater ?? metadata.creator;
  return {
    kind: 'item',
    sourceKey: metadata.uuid || base,
    path: name,
    metadata: {
      title: metadata.title?.trim() || base,
      description: metadata.description ?? '',
      tags: metadata.tags ?? [],
      visibility: metadata.public === undefined ? undefined : metadata.public ? 'public' : 'private',
      owner: byGroup ? undefined : metadata.owner,
      group: byGroup ? metadata.owner : undefined,
      ownedByGroup: byGroup ? true : undefined
    },
    revisions: [
      {
        revisionKey: contentKey(bytes),
        notebook,
        author: author !== undefined ? { username: author } : {},
        date: date !== undefined && !Number.isNaN(Date.parse(date)) ? new Date(date) : new Date(0),
        message: metadata.changelog?.trim() || 'Imported from nbgallery'
      }
    ]
  };
}

/** The parsed index, or why it cannot be used. */
function parseIndex(bytes: Buffer | undefined): Record<string, INbgalleryMetadata> | string {
  if (bytes === undefined) {
    return `the archive has no ${NBGALLERY_INDEX}, so it is not an nbgallery export`;
  }
  try {
    const value = JSON.parse(bytes.toString('utf8')) as unknown;
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      return 'not an object mapping file names to metadata';
    }
    return value as Record<string, INbgalleryMetadata>;
  } catch (error) {
    return `not JSON (${(error as Error).message})`;
  }
}

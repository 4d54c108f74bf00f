import {
  GALLERY_METADATA_KEY,
  slugify,
  type IGalleryProvenance,
  type INotebook,
  type INotebookSummary
} from '@notebook-gallery/core';
import { PathExt } from '@jupyterlab/coreutils';
import type { IDocumentManager } from '@jupyterlab/docmanager';
import { ServerConnection, type Contents } from '@jupyterlab/services';
import type { TranslationBundle } from '@jupyterlab/translation';
import { readProvenance } from '../services/provenance';
import type { IGalleryClient } from '../tokens';

/** What `copyFromGallery` needs from the app. */
export interface ICopyFromGalleryOptions {
  client: IGalleryClient;
  contents: Contents.IManager;
  /** Folder, relative to the server root, where copies are written. */
  folder: string;
  trans: TranslationBundle;
}

/** What `openFromGallery` needs from the app. */
export interface IOpenFromGalleryOptions extends ICopyFromGalleryOptions {
  docManager: IDocumentManager;
}

/** Where the copy is and whether it was already there. */
export interface IOpenedCopy {
  path: string;
  title: string;
  existed: boolean;
}

/**
 * Open a local copy of gallery notebook `id`, reusing the copy made earlier so opening twice
 * never forks the user's work.
 *
 * @throws {GalleryError} when the gallery call fails.
 * @throws {Error} when the copy cannot be written locally.
 */
export async function openFromGallery(id: string, options: IOpenFromGalleryOptions): Promise<IOpenedCopy> {
  const copy = await copyFromGallery(id, options);
  options.docManager.openOrReveal(copy.path);
  return copy;
}

/**
 * The local copy of gallery notebook `id` in the copies folder (found by its provenance), or a new one of the latest
 * revision written there, without opening it. `summary` saves asking the gallery again when the caller has it.
 *
 * @throws {GalleryError} when the gallery call fails.
 * @throws {Error} when the copy cannot be written locally.
 */
export async function copyFromGallery(
  id: string,
  options: ICopyFromGalleryOptions,
  summary?: INotebookSummary
): Promise<IOpenedCopy> {
  const { client, contents, trans } = options;
  const folder = Private.normalizeFolder(options.folder);
  const { title, revision } = summary ?? (await client.getNotebook(id));
  const slug = slugify(title) || 'notebook';

  const names = await Private.ensureFolder(contents, folder, trans);
  const existing = await Private.findCopy(contents, folder, names, slug, id, client.serverUrl);
  if (existing) {
    return { path: existing, title, existed: true };
  }

  const notebook = await client.getNotebookContent(id, revision);
  const provenance: IGalleryProvenance = { id, revision, server: client.serverUrl };
  const content: INotebook = {
    ...notebook,
    metadata: { ...notebook.metadata, [GALLERY_METADATA_KEY]: provenance }
  };
  const path = PathExt.join(folder, Private.freeName(names, slug));
  await contents.save(path, { type: 'notebook', format: 'json', content });
  return { path, title, existed: false };
}

namespace Private {
  export function normalizeFolder(folder: string): string {
    return folder.trim().replace(/^\/+|\/+$/g, '');
  }

  /** Create `folder` and its parents as needed; resolves with the names already in it. */
  export async function ensureFolder(
    contents: Contents.IManager,
    folder: string,
    trans: TranslationBundle
  ): Promise<Set<string>> {
    const segments = folder ? folder.split('/') : [];
    for (let depth = 1; depth <= segments.length; depth++) {
      const path = segments.slice(0, depth).join('/');
      const model = await getOrNull(contents, path);
      if (model === null) {
        await contents.save(path, { type: 'directory' });
      } else if (model.type !== 'directory') {
        throw new Error(
          trans.__(
            '“%1” exists but is not a folder. Choose another folder for gallery copies in Settings → Notebook Gallery.',
            path
          )
        );
      }
    }
    const listing = await contents.get(folder, { type: 'directory', content: true });
    const items = (listing.content ?? []) as Contents.IModel[];
    return new Set(items.map(item => item.name));
  }

  /** The copy of `id` in `folder`, checking the slug-named files first since that is where copies go. */
  export async function findCopy(
    contents: Contents.IManager,
    folder: string,
    names: Set<string>,
    slug: string,
    id: string,
    serverUrl: string
  ): Promise<string | null> {
    const slugName = new RegExp(`^${escapeRegExp(slug)}(-\\d+)?\\.ipynb$`);
    const notebooks = [...names].filter(name => name.endsWith('.ipynb')).sort();
    const ordered = [
      ...notebooks.filter(name => slugName.test(name)),
      ...notebooks.filter(name => !slugName.test(name))
    ];
    for (const name of ordered) {
      const path = PathExt.join(folder, name);
      const model = await getOrNull(contents, path, true);
      const metadata = (model?.content as Partial<INotebook> | null | undefined)?.metadata;
      if (readProvenance(metadata, serverUrl)?.id === id) {
        return path;
      }
    }
    return null;
  }

  /** `<slug>.ipynb`, or `<slug>-2.ipynb`, `-3`… when taken. */
  export function freeName(names: Set<string>, slug: string): string {
    let name = `${slug}.ipynb`;
    for (let n = 2; names.has(name); n++) {
      name = `${slug}-${n}.ipynb`;
    }
    return name;
  }

  async function getOrNull(
    contents: Contents.IManager,
    path: string,
    withContent = false
  ): Promise<Contents.IModel | null> {
    try {
      return await contents.get(path, { content: withContent });
    } catch (error) {
      if (error instanceof ServerConnection.ResponseError && error.response.status === 404) {
        return null;
      }
      if (withContent) {
        // An unreadable or malformed file is simply not our copy.
        return null;
      }
      throw error;
    }
  }

  function escapeRegExp(text: string): string {
    return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  }
}

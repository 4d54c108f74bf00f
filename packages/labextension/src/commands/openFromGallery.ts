import { GALLERY_METADATA_KEY, slugify, type IGalleryProvenance, type INotebook } from '@notebook-gallery/core';
import { PathExt } from '@jupyterlab/coreutils';
import type { IDocumentManager } from '@jupyterlab/docmanager';
import { ServerConnection, type Contents } from '@jupyterlab/services';
import type { TranslationBundle } from '@jupyterlab/translation';
import { readProvenance } from '../services/provenance';
import type { IGalleryClient } from '../tokens';

/** What `openFromGallery` needs from the app. */
export interface IOpenFromGalleryOptions {
  client: IGalleryClient;
  contents: Contents.IManager;
  docManager: IDocumentManager;
  /** Folder, relative to the server root, where copies are written. */
  folder: string;
  trans: TranslationBundle;
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
  const { client, contents, docManager, trans } = options;
  const folder = Private.normalizeFolder(options.folder);
  const summary = await client.getNotebook(id);
  const slug = slugify(summary.title) || 'notebook';

  const names = await Private.ensureFolder(contents, folder, trans);
  const existing = await Private.findCopy(contents, folder, names, slug, id, client.serverUrl);
  if (existing) {
    docManager.openOrReveal(existing);
    return { path: existing, title: summary.title, existed: true };
  }

  const notebook = await client.getNotebookContent(id, summary.revision);
  const provenance: IGalleryProvenance = {
    id,
    revision: summary.revision,
    server: client.serverUrl
  };
  const content: INotebook = {
    ...notebook,
    metadata: { ...notebook.metadata, [GALLERY_METADATA_KEY]: provenance }
  };
  const path = PathExt.join(folder, Private.freeName(names, slug));
  await contents.save(path, { type: 'notebook', format: 'json', content });
  docManager.openOrReveal(path);
  return { path, title: summary.title, existed: false };
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

import {
  GALLERY_METADATA_KEY,
  type IGalleryProvenance,
  type INotebook,
  type INotebookSummary
} from '@notebook-gallery/core';
import type { NotebookPanel } from '@jupyterlab/notebook';
import { ServerConnection, type Contents } from '@jupyterlab/services';
import type { TranslationBundle } from '@jupyterlab/translation';
import type { ResolveConflicts } from '../services/conflictResolution';
import type { CopyRegistry } from '../services/copyRegistry';
import type { ILinkedCopy, LinkedCopyKind } from '../services/galleryLink';
import { readProvenance } from '../services/provenance';
import { updateCopy, type IUpdatePrompts, type UpdateOutcome } from '../services/updateFlow';
import type { IGalleryClient } from '../tokens';
import { copyFromGallery } from './openFromGallery';
import { updatePanel } from './updateCopy';

/** What taking a linked notebook needs. */
export interface ILinkedCopyOptions {
  client: IGalleryClient;
  contents: Contents.IManager;
  registry: CopyRegistry;
  /** Folder, relative to the Jupyter root, where new copies are written (the setting). */
  folder: string;
  trans: TranslationBundle;
  /** The notebook open at `path`, if any: it is updated in place, so nothing typed in it is lost. */
  openPanel: (path: string) => NotebookPanel | null;
  /**
   * Settles lines the user and the gallery both changed (the conflict dialog); null asks nothing and leaves such a
   * copy as it is, reported `conflicted` (a tag link, which gives one summary rather than a dialog per notebook).
   */
  resolveConflicts: ResolveConflicts | null;
}

/**
 * Make the reader's copy of gallery notebook `id` for a link, or bring the copy they already have up to the latest
 * revision, so a link clicked every week never makes a second copy. The copy is the one the copy registry knows,
 * else one in the copies folder (made in another browser), else a new one made as the sidebar's *Open* makes it.
 * An unedited copy takes the latest revision; an edited one has it merged in cell by cell with the user's edits
 * kept, and only lines both changed are asked about. The copy is not opened here.
 *
 * @throws {GalleryError} when a gallery call fails (`NOTEBOOK_NOT_FOUND` for a notebook deleted or not shared).
 * @throws {Error} when the copy cannot be read or written.
 */
export async function takeLinkedCopy(id: string, options: ILinkedCopyOptions): Promise<ILinkedCopy> {
  const { client, contents, registry, trans } = options;
  const summary = await client.getNotebook(id);
  let path = await Private.knownCopy(id, options);
  if (path === null) {
    const copy = await copyFromGallery(id, { client, contents, folder: options.folder, trans }, summary);
    path = copy.path;
    if (!copy.existed) {
      registry.remember(path, { id, revision: summary.revision, server: client.serverUrl });
      return Private.result('created', id, path, summary);
    }
  }
  let conflicted = false;
  const prompts: IUpdatePrompts = {
    // A link means "give me this notebook": edits are always kept by merging, never put beside.
    chooseForEditedCopy: async () => 'merge',
    resolveConflicts:
      options.resolveConflicts ??
      (async () => {
        conflicted = true;
        return null;
      })
  };
  const outcome = await Private.update(path, prompts, options);
  if (outcome === null || conflicted) {
    return Private.result('conflicted', id, path, summary);
  }
  if (outcome.kind === 'replaced' || outcome.kind === 'merged') {
    return Private.result(outcome.kind === 'replaced' ? 'updated' : 'merged', id, path, outcome.summary);
  }
  registry.remember(path, { id, revision: summary.revision, server: client.serverUrl });
  return Private.result('current', id, path, summary);
}

namespace Private {
  export function result(kind: LinkedCopyKind, id: string, path: string, summary: INotebookSummary): ILinkedCopy {
    return { kind, id, path, title: summary.title, revision: summary.revision, revisionNumber: summary.revisionNumber };
  }

  /**
   * The copy of `id` the registry knows that still exists and still is that copy; entries whose file is gone or
   * holds something else are forgotten. A copy the user kept apart from an update (one that declined a revision)
   * comes after the one that follows the gallery.
   */
  export async function knownCopy(id: string, options: ILinkedCopyOptions): Promise<string | null> {
    const { client, contents, registry } = options;
    const known = registry
      .copiesOf(id, client.serverUrl)
      .sort((a, b) => Number(a.declined !== undefined) - Number(b.declined !== undefined));
    for (const copy of known) {
      let model: Contents.IModel;
      try {
        model = await contents.get(copy.path, { type: 'notebook', content: true });
      } catch (error) {
        if (error instanceof ServerConnection.ResponseError && error.response.status === 404) {
          registry.forget(copy.path);
        }
        continue;
      }
      const metadata = (model.content as Partial<INotebook> | null)?.metadata;
      if (readProvenance(metadata, client.serverUrl)?.id === id) {
        return copy.path;
      }
      registry.forget(copy.path);
    }
    return null;
  }

  /** Bring the copy at `path` up to date: in its open notebook if there is one, else in the file. */
  export async function update(
    path: string,
    prompts: IUpdatePrompts,
    options: ILinkedCopyOptions
  ): Promise<UpdateOutcome | null> {
    const { client, contents, registry, trans } = options;
    const panel = options.openPanel(path);
    if (panel) {
      return updatePanel(panel, { client, trans, contents, registry, prompts });
    }
    const model = await contents.get(path, { type: 'notebook', content: true });
    const outcome = await updateCopy(model.content as INotebook, { client, trans, prompts });
    if (outcome?.kind === 'replaced' || outcome?.kind === 'merged') {
      await contents.save(path, { type: 'notebook', format: 'json', content: outcome.notebook });
      registry.remember(path, outcome.notebook.metadata[GALLERY_METADATA_KEY] as IGalleryProvenance);
    }
    return outcome;
  }
}

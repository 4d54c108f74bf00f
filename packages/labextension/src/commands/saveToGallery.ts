import { GALLERY_METADATA_KEY, type IGalleryProvenance, type ISaveNotebookResponse } from '@notebook-gallery/core';
import { PathExt } from '@jupyterlab/coreutils';
import type { NotebookPanel } from '@jupyterlab/notebook';
import type { TranslationBundle } from '@jupyterlab/translation';
import { savePrompts } from '../dialogs/saveDialogs';
import { saveNotebook } from '../services/saveFlow';
import type { IGalleryClient } from '../tokens';

/** What `saveToGallery` needs from the app. */
export interface ISaveToGalleryOptions {
  client: IGalleryClient;
  trans: TranslationBundle;
}

/**
 * Save the notebook in `panel` to the gallery, asking through JupyterLab dialogs, and record the
 * result in the local file's metadata so the next save updates the same gallery notebook
 * instead of duplicating it.
 *
 * @returns the saved notebook, or null when the user cancelled.
 * @throws {GalleryError} when the notebook is invalid or a gallery call fails.
 */
export async function saveToGallery(
  panel: NotebookPanel,
  options: ISaveToGalleryOptions
): Promise<ISaveNotebookResponse | null> {
  const { client, trans } = options;
  const { context } = panel;
  const saved = await saveNotebook(
    {
      notebook: context.model.toJSON(),
      name: PathExt.basename(context.path, PathExt.extname(context.path))
    },
    { client, trans, prompts: savePrompts(trans) }
  );
  if (saved) {
    const record: IGalleryProvenance = { id: saved.id, revision: saved.revision, server: client.serverUrl };
    context.model.setMetadata(GALLERY_METADATA_KEY, record);
    await context.save();
  }
  return saved;
}

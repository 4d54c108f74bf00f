import { GALLERY_METADATA_KEY, type IGalleryProvenance, type INotebook } from '@notebook-gallery/core';
import { PathExt } from '@jupyterlab/coreutils';
import type { NotebookPanel } from '@jupyterlab/notebook';
import type { TranslationBundle } from '@jupyterlab/translation';
import { savePrompts } from '../dialogs/saveDialogs';
import { mergedCopyContent } from '../services/mergedCopy';
import { saveNotebook, type ISavedNotebook } from '../services/saveFlow';
import type { IGalleryClient } from '../tokens';

/** What `saveToGallery` needs from the app. */
export interface ISaveToGalleryOptions {
  client: IGalleryClient;
  trans: TranslationBundle;
}

/**
 * Save the notebook in `panel` to the gallery, asking through JupyterLab dialogs, and record the
 * result in the local file's metadata so the next save updates the same gallery notebook
 * instead of duplicating it. When the gallery's new revision is a merge (someone saved meanwhile,
 * or the user settled conflicts), the open copy shows the merged notebook, keeping the outputs of
 * cells whose source did not change, with anything typed meanwhile merged in; where that typing and
 * the merge changed the same lines, the user settles it in the conflict dialog.
 *
 * @returns the saved notebook, or null when the user cancelled.
 * @throws {GalleryError} when the notebook is invalid or a gallery call fails.
 */
export async function saveToGallery(
  panel: NotebookPanel,
  options: ISaveToGalleryOptions
): Promise<ISavedNotebook | null> {
  const { client, trans } = options;
  const { context } = panel;
  const prompts = savePrompts(trans);
  const sent = context.model.toJSON() as unknown as INotebook;
  const saved = await saveNotebook(
    {
      notebook: sent,
      name: PathExt.basename(context.path, PathExt.extname(context.path))
    },
    { client, trans, prompts }
  );
  if (saved) {
    const record: IGalleryProvenance = { id: saved.id, revision: saved.revision, server: client.serverUrl };
    if (saved.merge) {
      const current = context.model.toJSON() as unknown as INotebook;
      const merged = await mergedCopyContent(sent, current, saved.merge.notebook, record, {
        resolve: prompts.resolveConflicts,
        context: { title: saved.title, theirs: trans.__('the gallery’s version %1', saved.revisionNumber) }
      });
      // Cancelled: the copy keeps the user's text and its old provenance, so the next save merges it again.
      if (merged !== null) {
        context.model.fromJSON(merged as unknown as Parameters<typeof context.model.fromJSON>[0]);
      }
    } else {
      context.model.setMetadata(GALLERY_METADATA_KEY, record);
    }
    await context.save();
  }
  return saved;
}

import { GALLERY_METADATA_KEY, type IGalleryProvenance, type INotebook } from '@notebook-gallery/core';
import { PathExt } from '@jupyterlab/coreutils';
import type { NotebookPanel } from '@jupyterlab/notebook';
import { ServerConnection, type Contents } from '@jupyterlab/services';
import type { TranslationBundle } from '@jupyterlab/translation';
import { isEditedCopy } from '../services/copyComparison';
import type { CopyRegistry } from '../services/copyRegistry';
import { mergedCopyContent } from '../services/mergedCopy';
import { updateCopy, type IUpdatePrompts, type UpdateOutcome } from '../services/updateFlow';
import type { IGalleryClient } from '../tokens';

/** What `updatePanel` needs from the app. */
export interface IUpdatePanelOptions {
  client: IGalleryClient;
  trans: TranslationBundle;
  contents: Contents.IManager;
  registry: CopyRegistry;
  prompts: IUpdatePrompts;
  /** Only replace an unedited copy, never ask (the automatic update on open). */
  uneditedOnly?: boolean;
}

/** The outcome of updating an open copy; `path` is where the new version went when it was put beside it. */
export type PanelUpdate = UpdateOutcome & { path: string };

/**
 * Bring the copy open in `panel` to the gallery's latest revision and save the file: its content is replaced or
 * merged in place, or the latest revision is written next to it as a new file and the copy stays as it is. What the
 * user typed while the gallery answered is kept: an automatic update (`uneditedOnly`) then leaves the copy alone and
 * the update offered; otherwise the typing is merged in, conflicts settled by the user.
 *
 * @returns what happened, or null when the user cancelled.
 * @throws {GalleryError} when a gallery call fails.
 * @throws {Error} when the file cannot be written.
 */
export async function updatePanel(panel: NotebookPanel, options: IUpdatePanelOptions): Promise<PanelUpdate | null> {
  const { client, trans, contents, registry, prompts } = options;
  const { context } = panel;
  await context.ready;
  const snapshot = context.model.toJSON() as unknown as INotebook;
  const outcome = await updateCopy(snapshot, {
    client,
    trans,
    prompts,
    uneditedOnly: options.uneditedOnly
  });
  if (outcome === null) {
    return null;
  }
  switch (outcome.kind) {
    case 'replaced':
    case 'merged': {
      // The user may have typed while the gallery answered: never load over that.
      const current = context.model.toJSON() as unknown as INotebook;
      if (options.uneditedOnly && isEditedCopy(current, snapshot)) {
        return { kind: 'edited', summary: outcome.summary, path: context.path };
      }
      const provenance = Private.provenance(outcome.notebook);
      const notebook = await mergedCopyContent(snapshot, current, outcome.notebook, provenance, {
        resolve: prompts.resolveConflicts,
        context: {
          title: outcome.summary.title,
          theirs: trans.__('the gallery’s version %1', outcome.summary.revisionNumber)
        }
      });
      if (notebook === null) {
        return null;
      }
      context.model.fromJSON(notebook as unknown as Parameters<typeof context.model.fromJSON>[0]);
      await context.save();
      registry.remember(context.path, provenance);
      return { ...outcome, notebook, path: context.path };
    }
    case 'beside': {
      const path = await Private.writeBeside(contents, context.path, outcome.notebook, outcome.summary.revisionNumber);
      registry.decline(context.path, outcome.summary.revision);
      registry.remember(path, Private.provenance(outcome.notebook));
      return { ...outcome, path };
    }
    default:
      return { ...outcome, path: context.path };
  }
}

namespace Private {
  export function provenance(notebook: INotebook): IGalleryProvenance {
    return notebook.metadata[GALLERY_METADATA_KEY] as IGalleryProvenance;
  }

  /** Write `notebook` as `<name>-version-<n>.ipynb` (or `-2`, `-3`… when taken) in the copy's folder. */
  export async function writeBeside(
    contents: Contents.IManager,
    copyPath: string,
    notebook: INotebook,
    revisionNumber: number
  ): Promise<string> {
    const folder = PathExt.dirname(copyPath);
    const stem = `${PathExt.basename(copyPath, PathExt.extname(copyPath))}-version-${revisionNumber}`;
    let path = PathExt.join(folder, `${stem}.ipynb`);
    for (let n = 2; await exists(contents, path); n++) {
      path = PathExt.join(folder, `${stem}-${n}.ipynb`);
    }
    await contents.save(path, { type: 'notebook', format: 'json', content: notebook });
    return path;
  }

  async function exists(contents: Contents.IManager, path: string): Promise<boolean> {
    try {
      await contents.get(path, { content: false });
      return true;
    } catch (error) {
      if (error instanceof ServerConnection.ResponseError && error.response.status === 404) {
        return false;
      }
      throw error;
    }
  }
}

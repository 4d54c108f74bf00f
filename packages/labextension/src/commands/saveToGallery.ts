import {
  GALLERY_METADATA_KEY,
  type IChangeRequest,
  type IGalleryProvenance,
  type INotebook,
  type ISecretFinding
} from '@notebook-gallery/core';
import { PathExt } from '@jupyterlab/coreutils';
import type { NotebookPanel } from '@jupyterlab/notebook';
import type { TranslationBundle } from '@jupyterlab/translation';
import { savePrompts } from '../dialogs/saveDialogs';
import type { ConfirmedSecrets } from '../services/confirmedSecrets';
import { mergedCopyContent } from '../services/mergedCopy';
import { saveNotebook, type ISavedNotebook, type ISavePrompts, type SaveDrafts } from '../services/saveFlow';
import type { IGalleryClient } from '../tokens';
import { proposeChanges } from './proposeChanges';
import { revealFinding, type IActivates } from './revealFinding';

/** What `saveToGallery` needs from the app. */
export interface ISaveToGalleryOptions {
  client: IGalleryClient;
  trans: TranslationBundle;
  /** The questions asked; JupyterLab dialogs unless a test answers them. */
  prompts?: ISavePrompts;
  /** The app's shell, to bring the notebook's tab forward when the user chooses to fix a possible secret. */
  shell?: IActivates;
  /** What the user confirmed as not secrets before, by gallery notebook. */
  confirmed?: ConfirmedSecrets;
}

/** How Save to Gallery ended: a saved notebook, or a change request a reader sent to the owner instead. */
export type SaveToGalleryOutcome =
  { kind: 'saved'; saved: ISavedNotebook } | { kind: 'proposed'; request: IChangeRequest };

/**
 * Save the notebook in `panel` to the gallery, asking through JupyterLab dialogs, and record the
 * result in the local file's metadata so the next save updates the same gallery notebook
 * instead of duplicating it. When the gallery's new revision is a merge (someone saved meanwhile,
 * or the user settled conflicts), the open copy shows the merged notebook, keeping the outputs of
 * cells whose source did not change, with anything typed meanwhile merged in; where that typing and
 * the merge changed the same lines, the user settles it in the conflict dialog. A reader who chooses to propose
 * the changes to the owner goes on to the propose flow, with its message dialog. What the user typed in the details
 * dialog is kept for the file when the save fails, and offered again on the next try. When the user chooses to fix a
 * possible secret the dialog listed, the save ends (null), the line is shown in the notebook with the cursor on it,
 * and what they typed and ticked is offered again on the next Save to Gallery.
 *
 * @returns how it ended, or null when the user cancelled.
 * @throws {GalleryError} when the notebook is invalid or too large, or a gallery call fails.
 */
export async function saveToGallery(
  panel: NotebookPanel,
  options: ISaveToGalleryOptions
): Promise<SaveToGalleryOutcome | null> {
  const { client, trans } = options;
  const { context } = panel;
  const prompts = options.prompts ?? savePrompts(trans);
  const sent = context.model.toJSON() as unknown as INotebook;
  const reveal = (finding: ISecretFinding): void => void revealFinding(panel, finding, options.shell);
  const outcome = await saveNotebook(
    {
      notebook: sent,
      name: PathExt.basename(context.path, PathExt.extname(context.path)),
      path: context.path
    },
    { client, trans, prompts, drafts: Private.drafts, revealFinding: reveal, confirmed: options.confirmed }
  );
  if (outcome?.kind === 'propose') {
    const request = await proposeChanges(sent, {
      client,
      trans,
      askMessage: (summary, secrets, initial) => prompts.proposalMessage(summary, secrets, initial),
      summary: outcome.summary,
      drafts: Private.drafts,
      draftKey: context.path,
      revealFinding: reveal,
      confirmed: options.confirmed
    });
    return request && { kind: 'proposed', request };
  }
  const saved = outcome?.saved ?? null;
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
  return saved && { kind: 'saved', saved };
}

namespace Private {
  /** What was typed and ticked in the save dialogs of each file whose save failed or was left to fix a secret, for this page's lifetime. */
  export const drafts: SaveDrafts = new Map();
}

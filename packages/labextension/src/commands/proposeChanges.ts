import { ErrorCode, type IChangeRequest, type INotebook, type INotebookSummary } from '@notebook-gallery/core';
import type { TranslationBundle } from '@jupyterlab/translation';
import { GalleryError } from '../galleryError';
import { readProvenance } from '../services/provenance';
import { prepareUpload } from '../services/saveFlow';
import { uploadWithinLimit } from '../services/uploadSize';
import type { IGalleryClient } from '../tokens';

/** What `proposeChanges` needs. */
export interface IProposeChangesOptions {
  client: IGalleryClient;
  trans: TranslationBundle;
  /** Ask what changed; null when the user cancels. */
  askMessage: (summary: INotebookSummary) => Promise<string | null>;
  /** The notebook's summary when the caller just fetched it (the save flow did, to find the user may not edit). */
  summary?: INotebookSummary;
}

/**
 * Send the user's copy of a gallery notebook they may read but not edit as a change request, based on the
 * revision the copy came from so the owner sees exactly what the user changed. Stripped and validated first, as
 * a save is.
 *
 * @returns the request, or null when the user cancelled.
 * @throws {GalleryError} when the copy is not from this gallery, the user may edit it (Save to Gallery is the way
 *   then), the notebook is invalid or too large, or a gallery call fails.
 */
export async function proposeChanges(
  notebook: unknown,
  options: IProposeChangesOptions
): Promise<IChangeRequest | null> {
  const { client, trans } = options;
  const metadata = (notebook as Partial<INotebook> | null)?.metadata;
  const provenance = readProvenance(metadata, client.serverUrl);
  if (!provenance) {
    throw new GalleryError(
      ErrorCode.BAD_REQUEST,
      0,
      trans.__(
        'This notebook was not opened from the gallery at %1, so there is nothing to propose changes to. Open the notebook from the Gallery sidebar, make your changes in that copy, then propose them.',
        client.serverUrl
      )
    );
  }
  const upload = prepareUpload(notebook);
  const summary = options.summary?.id === provenance.id ? options.summary : await client.getNotebook(provenance.id);
  if (summary.canEdit) {
    throw new GalleryError(
      ErrorCode.BAD_REQUEST,
      0,
      trans.__(
        'You can edit “%1” yourself: choose Save to Gallery to save your changes as a new version.',
        summary.title
      )
    );
  }
  const message = await options.askMessage(summary);
  if (message === null) {
    return null;
  }
  const body = { notebook: upload, baseRevision: provenance.revision, message };
  return uploadWithinLimit(trans, body, upload, () => client.createChangeRequest(provenance.id, body));
}

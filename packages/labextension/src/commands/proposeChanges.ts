import {
  ErrorCode,
  type IChangeRequest,
  type INotebook,
  type INotebookSummary,
  type ISecretFinding
} from '@notebook-gallery/core';
import type { TranslationBundle } from '@jupyterlab/translation';
import { GalleryError } from '../galleryError';
import { readProvenance } from '../services/provenance';
import type { ConfirmedSecrets } from '../services/confirmedSecrets';
import { FileDraft, prepareUpload, type SaveDrafts } from '../services/saveFlow';
import { confirmedField, refusedSecrets, scanUpload, SecretReview } from '../services/secretReview';
import { uploadWithinLimit } from '../services/uploadSize';
import type { IGalleryClient } from '../tokens';

/** What `proposeChanges` needs. */
export interface IProposeChangesOptions {
  client: IGalleryClient;
  trans: TranslationBundle;
  /**
   * Ask what changed, starting from `initial`, showing the possible secrets in what is sent when there are any (see
   * `ISavePrompts`); null when the user cancels.
   */
  askMessage: (summary: INotebookSummary, secrets?: SecretReview, initial?: string) => Promise<string | null>;
  /** The notebook's summary when the caller just fetched it (the save flow did, to find the user may not edit). */
  summary?: INotebookSummary;
  /** Where the message and the user's "Not a secret" marks are kept, under `draftKey`, when they leave to fix one. */
  drafts?: SaveDrafts;
  draftKey?: string;
  /** Show the user where a possible secret is, once they chose to fix it (nothing is sent then). */
  revealFinding?: (finding: ISecretFinding) => void;
  /** What the user confirmed as not secrets in earlier saves of the notebook, not asked again. */
  confirmed?: ConfirmedSecrets;
}

/**
 * Send the user's copy of a gallery notebook they may read but not edit as a change request, based on the
 * revision the copy came from so the owner sees exactly what the user changed. Stripped, validated and checked for
 * secrets first, as a save is: possible secrets are listed in the message dialog, to fix or mark "Not a secret".
 *
 * @returns the request, or null when the user cancelled or chose to fix a secret.
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
  const draft = new FileDraft(options.drafts, options.draftKey ?? null);
  const known = options.confirmed?.of(client.serverUrl, provenance.id) ?? [];
  let review = new SecretReview(scanUpload(upload, known), upload, draft.value?.marked);
  let initial = draft.value?.message;
  for (;;) {
    const message = await options.askMessage(summary, review.findings.length > 0 ? review : undefined, initial);
    if (draft.leftToFix(review, { message: message ?? initial }, options.revealFinding)) {
      return null;
    }
    if (message === null) {
      draft.forget();
      return null;
    }
    const body = { notebook: upload, baseRevision: provenance.revision, message, ...confirmedField(review.confirmed) };
    try {
      const request = await uploadWithinLimit(trans, body, upload, () =>
        client.createChangeRequest(provenance.id, body)
      );
      draft.forget();
      options.confirmed?.add(client.serverUrl, provenance.id, review.confirmed);
      return request;
    } catch (error) {
      const refused = refusedSecrets(error);
      if (refused === null) {
        throw error;
      }
      review = new SecretReview(refused, upload, review.confirmed, review.confirmed);
      initial = message;
    }
  }
}

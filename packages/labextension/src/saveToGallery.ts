import {
  ErrorCode,
  GALLERY_METADATA_KEY,
  firstHeading,
  stripNotebook,
  type IGalleryProvenance,
  type INotebook,
  type INotebookSummary,
  type IParentRef,
  type ISaveNotebookResponse
} from '@notebook-gallery/core';
import { PathExt } from '@jupyterlab/coreutils';
import type { NotebookPanel } from '@jupyterlab/notebook';
import type { TranslationBundle } from '@jupyterlab/translation';
import { GalleryError } from './galleryError';
import { readProvenance } from './provenance';
import { askNotebookDetails, askRevisionMessage, confirmSaveAsNew, type INotebookDetails } from './saveDialogs';
import type { IGalleryClient } from './tokens';

/** What `saveToGallery` needs from the app. */
export interface ISaveToGalleryOptions {
  client: IGalleryClient;
  trans: TranslationBundle;
}

/**
 * Upload the notebook in `panel`, stripped of outputs: a new revision when it came from this
 * gallery and the user may edit it, otherwise a new notebook. Records the result in the local
 * file's metadata so the next save updates the same gallery notebook instead of duplicating it.
 *
 * @returns the saved notebook, or null when the user cancelled.
 * @throws {GalleryError} when a gallery call fails (REVISION_CONFLICT is handled here).
 */
export async function saveToGallery(
  panel: NotebookPanel,
  options: ISaveToGalleryOptions
): Promise<ISaveNotebookResponse | null> {
  const { client } = options;
  const { context } = panel;
  const notebook = context.model.toJSON() as unknown as INotebook;
  const upload: Private.IUpload = {
    options,
    notebook: stripNotebook(notebook),
    fallbackTitle: firstHeading(notebook) ?? PathExt.basename(context.path, PathExt.extname(context.path))
  };
  const provenance = readProvenance(notebook.metadata, client.serverUrl);
  const saved = provenance
    ? await Private.saveRevision(upload, provenance)
    : await Private.saveNew(upload, options.trans.__('Save to Gallery'));
  if (saved) {
    const record: IGalleryProvenance = { id: saved.id, revision: saved.revision, server: client.serverUrl };
    context.model.setMetadata(GALLERY_METADATA_KEY, record);
    await context.save();
  }
  return saved;
}

namespace Private {
  export interface IUpload {
    options: ISaveToGalleryOptions;
    /** Already stripped. */
    notebook: INotebook;
    /** Title offered when the gallery knows none. */
    fallbackTitle: string;
  }

  /** Save over the gallery notebook this copy came from, or offer a new one when that is impossible. */
  export async function saveRevision(
    upload: IUpload,
    provenance: IGalleryProvenance
  ): Promise<ISaveNotebookResponse | null> {
    const { client, trans } = upload.options;
    const summary = await summaryOrNull(client, provenance.id);
    if (summary === null) {
      const proceed = await confirmSaveAsNew(
        trans,
        trans.__('This notebook is no longer in the gallery'),
        trans.__(
          'The gallery notebook this copy came from has been deleted. You can save your version as a new notebook.'
        )
      );
      return proceed ? saveNew(upload, trans.__('Save as new notebook')) : null;
    }

    const parent: IParentRef = { id: provenance.id, revision: provenance.revision };
    const asNew = { title: summary.title, description: summary.description, tags: summary.tags };
    if (!summary.canEdit) {
      const proceed = await confirmSaveAsNew(
        trans,
        trans.__('Save as a new notebook?'),
        trans.__(
          '“%1” belongs to %2, so you cannot save changes to it. Save your version as a new notebook instead; the gallery will record that it is based on theirs.',
          summary.title,
          summary.owner
        )
      );
      return proceed ? saveNew(upload, trans.__('Save as new notebook'), asNew, parent) : null;
    }

    const message = await askRevisionMessage(trans, summary.title);
    if (message === null) {
      return null;
    }
    try {
      return await client.updateNotebook(provenance.id, {
        notebook: upload.notebook,
        baseRevision: provenance.revision,
        message: message || undefined
      });
    } catch (error) {
      if (!GalleryError.is(error, ErrorCode.REVISION_CONFLICT)) {
        throw error;
      }
    }
    const proceed = await confirmSaveAsNew(
      trans,
      trans.__('Someone saved a newer version'),
      trans.__(
        'Someone saved a newer version of “%1” to the gallery after your copy was made, so your changes were not uploaded. Save your version as a new notebook, or cancel and open the latest version from the Gallery sidebar.',
        summary.title
      )
    );
    return proceed ? saveNew(upload, trans.__('Save as new notebook'), asNew, parent) : null;
  }

  /** Ask for the listing details and visibility, and create a new gallery notebook. */
  export async function saveNew(
    upload: IUpload,
    heading: string,
    listing?: Pick<INotebookDetails, 'title' | 'description' | 'tags'>,
    parent?: IParentRef
  ): Promise<ISaveNotebookResponse | null> {
    const { client, trans } = upload.options;
    const [config, groups] = await Promise.all([
      // Both only shape the form: without them it offers Private first and no groups.
      client.authConfig().catch(() => null),
      client.listGroups().catch(() => [])
    ]);
    const groupNames = groups.map(group => group.name);
    const visibility = config?.defaultVisibility ?? 'private';
    const details = await askNotebookDetails(
      trans,
      heading,
      {
        ...(listing ?? { title: upload.fallbackTitle, description: '', tags: [] }),
        visibility,
        group: visibility === 'group' ? (groupNames[0] ?? null) : null
      },
      groupNames
    );
    if (details === null) {
      return null;
    }
    return client.createNotebook({
      notebook: upload.notebook,
      title: details.title,
      description: details.description || undefined,
      tags: details.tags,
      parent,
      visibility: details.visibility,
      group: details.group ?? undefined
    });
  }

  /** The summary, or null when the notebook was deleted (or hidden from this user). */
  async function summaryOrNull(client: IGalleryClient, id: string): Promise<INotebookSummary | null> {
    try {
      return await client.getNotebook(id);
    } catch (error) {
      if (error instanceof GalleryError && error.status === 404) {
        return null;
      }
      throw error;
    }
  }
}

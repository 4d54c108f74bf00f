import {
  ErrorCode,
  NotebookFormatError,
  firstHeading,
  stripNotebook,
  validateNotebook,
  type IGalleryProvenance,
  type IMergeConflict,
  type IMergedSaveResponse,
  type IMergedWith,
  type INotebook,
  type INotebookSummary,
  type IParentRef,
  type ISaveNotebookResponse,
  type Visibility
} from '@notebook-gallery/core';
import type { TranslationBundle } from '@jupyterlab/translation';
import { GalleryError } from '../galleryError';
import type { IGalleryClient } from '../tokens';
import { mergeWithChoices, type ResolveConflicts } from './conflictResolution';
import { readProvenance } from './provenance';

/** What a new gallery notebook is listed with, and who can see it. */
export interface INotebookDetails {
  title: string;
  description: string;
  tags: string[];
  visibility: Visibility;
  /** Set exactly when `visibility` is `'group'`. */
  group: string | null;
}

/** The questions the save flow asks the user; the dialogs answer them in JupyterLab. */
export interface ISavePrompts {
  /** Title, description, tags and visibility of a new notebook; null when the user cancels. */
  notebookDetails(
    heading: string,
    initial: INotebookDetails,
    groups: readonly string[]
  ): Promise<INotebookDetails | null>;
  /** What changed in a new revision; null when the user cancels. */
  revisionMessage(title: string): Promise<string | null>;
  /** Whether to save as a new notebook, after `explanation` says why saving in place is impossible. */
  confirmSaveAsNew(heading: string, explanation: string): Promise<boolean>;
  /** Settle, cell by cell, what the user and someone who saved meanwhile both changed. */
  resolveConflicts: ResolveConflicts;
}

/**
 * A saved notebook; `merge` is set when the gallery's new revision is not exactly what the user had, because the
 * server merged someone else's save into it or the user settled conflicts, so the open copy must show it.
 */
export interface ISavedNotebook extends ISaveNotebookResponse {
  merge?: {
    /** What the gallery now holds (stripped). */
    notebook: INotebook;
    /** The revision the server merged with and its author; null when the user settled conflicts. */
    mergedWith: IMergedWith | null;
  };
}

/** What `saveNotebook` needs. */
export interface ISaveFlowOptions {
  client: IGalleryClient;
  trans: TranslationBundle;
  prompts: ISavePrompts;
}

/** The notebook to save, as JupyterLab holds it. */
export interface ISaveRequest {
  /** The notebook's JSON, outputs and local gallery provenance included. */
  notebook: unknown;
  /** The file's name without extension, the title offered when the notebook has no heading. */
  name: string;
}

/**
 * Strip the notebook as the server will and check the result with the same validator, so a
 * notebook the gallery would refuse is refused here, with the server's message, before anything
 * crosses the network.
 *
 * @throws {GalleryError} with the `NotebookFormatError`'s code, message and path.
 */
export function prepareUpload(notebook: unknown): INotebook {
  try {
    // Stripping expects a notebook's shape, so check the original first; then check exactly what is sent.
    return validateNotebook(stripNotebook(validateNotebook(notebook)));
  } catch (error) {
    if (error instanceof NotebookFormatError) {
      throw new GalleryError(error.code, 400, error.message, { path: error.path });
    }
    throw error;
  }
}

/**
 * Upload a notebook, stripped of outputs: a new revision when it came from this gallery and the
 * user may edit it, otherwise a new notebook. A revision always asks the server to merge when someone
 * saved meanwhile; conflicts are settled by the user, cell by cell. A gallery that cannot merge (a 409
 * without conflicts) gets today's offer of a new notebook based on the gallery's. Nothing anyone saved
 * is ever overwritten.
 *
 * @returns the saved notebook, or null when the user cancelled.
 * @throws {GalleryError} when the notebook is invalid or a gallery call fails (other than the 409).
 */
export async function saveNotebook(request: ISaveRequest, options: ISaveFlowOptions): Promise<ISavedNotebook | null> {
  const notebook = prepareUpload(request.notebook);
  const upload: Private.IUpload = {
    options,
    notebook,
    fallbackTitle: firstHeading(notebook) ?? request.name
  };
  const metadata = (request.notebook as Partial<INotebook>).metadata;
  const provenance = readProvenance(metadata, options.client.serverUrl);
  return provenance
    ? Private.saveRevision(upload, provenance)
    : Private.saveNew(upload, options.trans.__('Save to Gallery'));
}

namespace Private {
  export interface IUpload {
    options: ISaveFlowOptions;
    /** Stripped and validated. */
    notebook: INotebook;
    /** Title offered when the gallery knows none. */
    fallbackTitle: string;
  }

  /** Save over the gallery notebook this copy came from, or offer a new one when that is impossible. */
  export async function saveRevision(upload: IUpload, provenance: IGalleryProvenance): Promise<ISavedNotebook | null> {
    const { client, trans, prompts } = upload.options;
    const summary = await summaryOrNull(client, provenance.id);
    if (summary === null) {
      const proceed = await prompts.confirmSaveAsNew(
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
      const proceed = await prompts.confirmSaveAsNew(
        trans.__('Save as a new notebook?'),
        trans.__(
          '“%1” belongs to %2, so you cannot save changes to it. Save your version as a new notebook instead; the gallery will record that it is based on theirs.',
          summary.title,
          summary.owner
        )
      );
      return proceed ? saveNew(upload, trans.__('Save as new notebook'), asNew, parent) : null;
    }

    const message = await prompts.revisionMessage(summary.title);
    if (message === null) {
      return null;
    }
    const saved = await saveMerging(upload, provenance, summary.title, message);
    if (saved !== 'stale') {
      return saved;
    }
    const proceed = await prompts.confirmSaveAsNew(
      trans.__('Someone saved a newer version'),
      trans.__(
        'Someone saved a newer version of “%1” to the gallery after your copy was made, so your changes were not uploaded. Save your version as a new notebook, or cancel and open the latest version from the Gallery sidebar.',
        summary.title
      )
    );
    return proceed ? saveNew(upload, trans.__('Save as new notebook'), asNew, parent) : null;
  }

  /** How many times a save is retried because someone saved again while the user settled conflicts. */
  const MAX_SAVE_ATTEMPTS = 5;

  /**
   * Save on the copy's base revision and let the server merge whatever was saved meanwhile. Conflicts are settled
   * by the user against the revision the server reported, and the result is saved on that revision, again as
   * long as someone else keeps saving. 'stale' means the gallery could not merge (an older server).
   */
  async function saveMerging(
    upload: IUpload,
    provenance: IGalleryProvenance,
    title: string,
    message: string
  ): Promise<ISavedNotebook | null | 'stale'> {
    const { client, trans, prompts } = upload.options;
    let notebook = upload.notebook;
    let baseRevision = provenance.revision;
    let settled = false;
    for (let attempt = 0; attempt < MAX_SAVE_ATTEMPTS; attempt++) {
      let reply: ISaveNotebookResponse | IMergedSaveResponse;
      try {
        reply = await client.updateNotebook(provenance.id, {
          notebook,
          baseRevision,
          message: message || undefined,
          merge: true
        });
      } catch (error) {
        const conflict = conflictOf(error);
        if (conflict === null) {
          throw error;
        }
        if (conflict.conflicts === null) {
          return 'stale';
        }
        const [base, remote] = await Promise.all([
          client.getNotebookContent(provenance.id, baseRevision),
          client.getNotebookContent(provenance.id, conflict.currentRevision)
        ]);
        const merged = await mergeWithChoices(base, notebook, remote, prompts.resolveConflicts, {
          title,
          theirs: trans.__('the gallery’s latest version')
        });
        if (merged === null) {
          return null;
        }
        notebook = prepareUpload(merged);
        baseRevision = conflict.currentRevision;
        settled = true;
        continue;
      }
      if ('merged' in reply && reply.merged) {
        const mergedNotebook = reply.notebook ?? (await client.getNotebookContent(provenance.id, reply.revision));
        return { ...reply, merge: { notebook: mergedNotebook, mergedWith: reply.mergedWith ?? null } };
      }
      return settled ? { ...reply, merge: { notebook, mergedWith: null } } : reply;
    }
    throw new GalleryError(
      ErrorCode.REVISION_CONFLICT,
      409,
      trans.__('Others keep saving “%1” while you save. Nothing was overwritten; try again in a moment.', title)
    );
  }

  /** The current revision and conflicts of a 409 REVISION_CONFLICT (conflicts null when no merge was tried). */
  function conflictOf(error: unknown): { currentRevision: string; conflicts: IMergeConflict[] | null } | null {
    if (!GalleryError.is(error, ErrorCode.REVISION_CONFLICT)) {
      return null;
    }
    const { currentRevision, conflicts } = error.details;
    if (typeof currentRevision !== 'string' || !Array.isArray(conflicts)) {
      return { currentRevision: typeof currentRevision === 'string' ? currentRevision : '', conflicts: null };
    }
    return { currentRevision, conflicts: conflicts as IMergeConflict[] };
  }

  /** Ask for the listing details and visibility, and create a new gallery notebook. */
  export async function saveNew(
    upload: IUpload,
    heading: string,
    listing?: Pick<INotebookDetails, 'title' | 'description' | 'tags'>,
    parent?: IParentRef
  ): Promise<ISaveNotebookResponse | null> {
    const { client, prompts } = upload.options;
    const [config, groups] = await Promise.all([
      // Both only shape the form: without them it offers Private first and no groups.
      client.authConfig().catch(() => null),
      client.listGroups().catch(() => [])
    ]);
    const groupNames = groups.map(group => group.name);
    const visibility = config?.defaultVisibility ?? 'private';
    const details = await prompts.notebookDetails(
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

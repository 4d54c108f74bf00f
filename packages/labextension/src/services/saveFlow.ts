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
import { listingProblemsFromError, type ListingProblems } from './listingLimits';
import { readProvenance } from './provenance';
import { checkUploadSize, uploadWithinLimit } from './uploadSize';

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
  /**
   * Title, description, tags and visibility of a new notebook, starting from `initial`; `problems` are shown beside
   * their fields (the gallery refused what the user typed last time). Null when the user cancels.
   */
  notebookDetails(
    heading: string,
    initial: INotebookDetails,
    groups: readonly string[],
    problems?: ListingProblems
  ): Promise<INotebookDetails | null>;
  /** What changed in a new revision; null when the user cancels. */
  revisionMessage(title: string): Promise<string | null>;
  /** Whether to save as a new notebook, after `explanation` says why saving in place is impossible. */
  confirmSaveAsNew(heading: string, explanation: string): Promise<boolean>;
  /**
   * The notebook belongs to someone else and the user may only read it: propose the changes to its owner, save them
   * as a new notebook (a fork), or neither (null).
   */
  proposeOrFork(summary: INotebookSummary): Promise<'propose' | 'fork' | null>;
  /** What a change request to the owner changes, once the user chose to propose; null when they cancel. */
  proposalMessage(summary: INotebookSummary): Promise<string | null>;
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

/**
 * How a save ended: `saved`, or `propose` when the user chose to propose the changes to the owner of a notebook they
 * may only read (nothing was sent; the caller runs the propose flow with `summary`).
 */
export type SaveOutcome = { kind: 'saved'; saved: ISavedNotebook } | { kind: 'propose'; summary: INotebookSummary };

/** What the user typed in the details dialog, by file path, kept until that file is saved or the user cancels. */
export type DetailsDrafts = Map<string, INotebookDetails>;

/** What `saveNotebook` needs. */
export interface ISaveFlowOptions {
  client: IGalleryClient;
  trans: TranslationBundle;
  prompts: ISavePrompts;
  /** Where what the user typed is kept when a save fails, so the next try offers it again. */
  drafts?: DetailsDrafts;
}

/** The notebook to save, as JupyterLab holds it. */
export interface ISaveRequest {
  /** The notebook's JSON, outputs and local gallery provenance included. */
  notebook: unknown;
  /** The file's name without extension, the title offered when the notebook has no heading. */
  name: string;
  /** The file's path: the key of its draft in `ISaveFlowOptions.drafts`. */
  path?: string;
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
 * without conflicts) gets today's offer of a new notebook based on the gallery's. A reader is offered to propose
 * the changes to the owner or to save a new notebook. Nothing anyone saved is ever overwritten. When the gallery
 * refuses the listing the user typed, the dialog opens again with what they typed and the problem beside its field.
 *
 * @returns how the save ended, or null when the user cancelled.
 * @throws {GalleryError} when the notebook is invalid, too large (with the limit and the large attachments), or a
 *   gallery call fails (other than the 409).
 */
export async function saveNotebook(request: ISaveRequest, options: ISaveFlowOptions): Promise<SaveOutcome | null> {
  const notebook = prepareUpload(request.notebook);
  const upload: Private.IUpload = {
    options,
    notebook,
    fallbackTitle: firstHeading(notebook) ?? request.name,
    draftKey: request.path ?? null
  };
  const metadata = (request.notebook as Partial<INotebook>).metadata;
  const provenance = readProvenance(metadata, options.client.serverUrl);
  if (provenance) {
    return Private.saveRevision(upload, provenance);
  }
  const saved = await Private.saveNew(upload, options.trans.__('Save to Gallery'));
  return saved && { kind: 'saved', saved };
}

namespace Private {
  export interface IUpload {
    options: ISaveFlowOptions;
    /** Stripped and validated. */
    notebook: INotebook;
    /** Title offered when the gallery knows none. */
    fallbackTitle: string;
    /** The key of what the user types in `options.drafts`; null keeps nothing. */
    draftKey: string | null;
  }

  /** Save over the gallery notebook this copy came from, or offer a new one when that is impossible. */
  export async function saveRevision(upload: IUpload, provenance: IGalleryProvenance): Promise<SaveOutcome | null> {
    const { client, trans, prompts } = upload.options;
    const asSaved = (saved: ISavedNotebook | null): SaveOutcome | null => saved && { kind: 'saved', saved };
    const [summary, config] = await Promise.all([
      summaryOrNull(client, provenance.id),
      // Only for the size limit: without it the gallery's own 413 says the limit.
      client.authConfig().catch(() => null)
    ]);
    // Whichever way the save goes (a version, a fork, a proposal), this notebook is what is sent.
    checkUploadSize(trans, upload.notebook, config?.uploadLimitBytes ?? null);
    if (summary === null) {
      const proceed = await prompts.confirmSaveAsNew(
        trans.__('This notebook is no longer in the gallery'),
        trans.__(
          'The gallery notebook this copy came from has been deleted. You can save your version as a new notebook.'
        )
      );
      return proceed ? asSaved(await saveNew(upload, trans.__('Save as new notebook'))) : null;
    }

    const parent: IParentRef = { id: provenance.id, revision: provenance.revision };
    const asNew = { title: summary.title, description: summary.description, tags: summary.tags };
    if (!summary.canEdit) {
      const choice = await prompts.proposeOrFork(summary);
      if (choice === 'propose') {
        return { kind: 'propose', summary };
      }
      return choice === 'fork' ? asSaved(await saveNew(upload, trans.__('Save as new notebook'), asNew, parent)) : null;
    }

    const message = await prompts.revisionMessage(summary.title);
    if (message === null) {
      return null;
    }
    const saved = await saveMerging(upload, provenance, summary.title, message);
    if (saved !== 'stale') {
      return asSaved(saved);
    }
    const proceed = await prompts.confirmSaveAsNew(
      trans.__('Someone saved a newer version'),
      trans.__(
        'Someone saved a newer version of “%1” to the gallery after your copy was made, so your changes were not uploaded. Save your version as a new notebook, or cancel and open the latest version from the Gallery sidebar.',
        summary.title
      )
    );
    return proceed ? asSaved(await saveNew(upload, trans.__('Save as new notebook'), asNew, parent)) : null;
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
      const body = { notebook, baseRevision, message: message || undefined, merge: true };
      try {
        reply = await uploadWithinLimit(trans, body, notebook, () => client.updateNotebook(provenance.id, body));
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

  /**
   * Ask for the listing details and visibility, and create a new gallery notebook. What the user typed is kept in
   * the drafts until the save succeeds or they cancel, and a listing the gallery refuses is asked for again with
   * the problem beside its field.
   */
  export async function saveNew(
    upload: IUpload,
    heading: string,
    listing?: Pick<INotebookDetails, 'title' | 'description' | 'tags'>,
    parent?: IParentRef
  ): Promise<ISaveNotebookResponse | null> {
    const { client, trans, prompts, drafts } = upload.options;
    const key = upload.draftKey;
    const [config, groups] = await Promise.all([
      // Both only shape the form and check the size: without them it offers Private first and no groups, and the
      // gallery's own 413 says the limit.
      client.authConfig().catch(() => null),
      client.listGroups().catch(() => [])
    ]);
    checkUploadSize(trans, upload.notebook, config?.uploadLimitBytes ?? null);
    const groupNames = groups.map(group => group.name);
    const visibility = config?.defaultVisibility ?? 'private';
    let initial: INotebookDetails = (key !== null ? drafts?.get(key) : undefined) ?? {
      ...(listing ?? { title: upload.fallbackTitle, description: '', tags: [] }),
      visibility,
      group: visibility === 'group' ? (groupNames[0] ?? null) : null
    };
    let problems: ListingProblems = {};
    for (;;) {
      const details = await prompts.notebookDetails(heading, initial, groupNames, problems);
      if (details === null) {
        if (key !== null) {
          drafts?.delete(key);
        }
        return null;
      }
      if (key !== null) {
        drafts?.set(key, details);
      }
      const body = {
        notebook: upload.notebook,
        title: details.title,
        description: details.description || undefined,
        tags: details.tags,
        parent,
        visibility: details.visibility,
        group: details.group ?? undefined
      };
      try {
        const saved = await uploadWithinLimit(trans, body, upload.notebook, () => client.createNotebook(body));
        if (key !== null) {
          drafts?.delete(key);
        }
        return saved;
      } catch (error) {
        const refused = listingProblemsFromError(trans, error, details);
        if (refused === null) {
          throw error;
        }
        initial = details;
        problems = refused;
      }
    }
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

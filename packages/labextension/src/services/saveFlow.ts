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
  type ISecretFinding,
  type Visibility
} from '@notebook-gallery/core';
import type { TranslationBundle } from '@jupyterlab/translation';
import { GalleryError } from '../galleryError';
import type { IGalleryClient } from '../tokens';
import { mergeWithChoices, type ResolveConflicts } from './conflictResolution';
import { listingProblemsFromError, type ListingProblems } from './listingLimits';
import { readProvenance } from './provenance';
import { confirmedField, refusedSecrets, scanUpload, SecretReview } from './secretReview';
import type { ConfirmedSecrets } from './confirmedSecrets';
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

/**
 * The questions the save flow asks the user; the dialogs answer them in JupyterLab. The three that come before an
 * upload show `secrets`, the possible secrets found in what is sent, when there are any: the user marks each "Not a
 * secret" before the answer counts, or chooses to fix one (`secrets.fixing`), and the answer is then only what they
 * typed, kept for the next try.
 */
export interface ISavePrompts {
  /**
   * Title, description, tags and visibility of a new notebook, starting from `initial`; `problems` are shown beside
   * their fields (the gallery refused what the user typed last time). Null when the user cancels.
   */
  notebookDetails(
    heading: string,
    initial: INotebookDetails,
    groups: readonly string[],
    problems?: ListingProblems,
    secrets?: SecretReview
  ): Promise<INotebookDetails | null>;
  /** What changed in a new revision, starting from `initial`; null when the user cancels. */
  revisionMessage(title: string, secrets?: SecretReview, initial?: string): Promise<string | null>;
  /** Whether to save as a new notebook, after `explanation` says why saving in place is impossible. */
  confirmSaveAsNew(heading: string, explanation: string): Promise<boolean>;
  /**
   * The notebook belongs to someone else and the user may only read it: propose the changes to its owner, save them
   * as a new notebook (a fork), or neither (null).
   */
  proposeOrFork(summary: INotebookSummary): Promise<'propose' | 'fork' | null>;
  /**
   * What a change request to the owner changes, once the user chose to propose, starting from `initial`; null when
   * they cancel.
   */
  proposalMessage(summary: INotebookSummary, secrets?: SecretReview, initial?: string): Promise<string | null>;
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

/**
 * What the user typed in a save dialog, and the fingerprints they marked "Not a secret", for a save that failed or
 * that they left to fix a secret.
 */
export interface ISaveDraft {
  details?: INotebookDetails;
  message?: string;
  marked?: string[];
}

/** Save drafts by file path, kept until that file is saved or the user cancels. */
export type SaveDrafts = Map<string, ISaveDraft>;

/** One file's draft in a `SaveDrafts`; without a map or a key nothing is kept. */
export class FileDraft {
  constructor(
    private readonly _drafts: SaveDrafts | undefined,
    private readonly _key: string | null
  ) {}

  /** What was kept from an earlier try. */
  get value(): ISaveDraft | undefined {
    return this._key !== null ? this._drafts?.get(this._key) : undefined;
  }

  keep(draft: ISaveDraft): void {
    if (this._key !== null) {
      this._drafts?.set(this._key, draft);
    }
  }

  /** The save is over (sent or cancelled): the next one starts afresh. */
  forget(): void {
    if (this._key !== null) {
      this._drafts?.delete(this._key);
    }
  }

  /**
   * Whether the user chose to fix a secret in the dialog just answered: then what they `typed` and ticked is kept,
   * `reveal` shows the finding in the notebook, and the save ends.
   */
  leftToFix(
    review: SecretReview,
    typed: Omit<ISaveDraft, 'marked'>,
    reveal: ((finding: ISecretFinding) => void) | undefined
  ): boolean {
    const finding = review.fixing;
    if (finding === null) {
      return false;
    }
    this.keep({ ...typed, marked: review.confirmed });
    reveal?.(finding);
    return true;
  }
}

/** What `saveNotebook` needs. */
export interface ISaveFlowOptions {
  client: IGalleryClient;
  trans: TranslationBundle;
  prompts: ISavePrompts;
  /** Where what the user typed is kept when a save fails, so the next try offers it again. */
  drafts?: SaveDrafts;
  /** Show the user where a possible secret is, once they chose to fix it (the save has ended then). */
  revealFinding?: (finding: ISecretFinding) => void;
  /** What the user confirmed as not secrets in earlier saves, not asked again for the same notebook (or its forks). */
  confirmed?: ConfirmedSecrets;
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
 * Possible secrets, found by core's scanner in what is sent or by the gallery's own check (its 422 `SECRETS_FOUND`),
 * are listed in the dialog before the upload: the user marks each "Not a secret" (sent as `confirmedSecrets`) or
 * chooses to fix one, which ends the save with what they typed kept and `options.revealFinding` called.
 *
 * @returns how the save ended, or null when the user cancelled or chose to fix a secret.
 * @throws {GalleryError} when the notebook is invalid, too large (with the limit and the large attachments), or a
 *   gallery call fails (other than the 409).
 */
export async function saveNotebook(request: ISaveRequest, options: ISaveFlowOptions): Promise<SaveOutcome | null> {
  const notebook = prepareUpload(request.notebook);
  const metadata = (request.notebook as Partial<INotebook>).metadata;
  const provenance = readProvenance(metadata, options.client.serverUrl);
  // The gallery counts a notebook's confirmations for its new versions and for forks of it alike.
  const known = provenance ? (options.confirmed?.of(options.client.serverUrl, provenance.id) ?? []) : [];
  const upload: Private.IUpload = {
    options,
    notebook,
    secrets: scanUpload(notebook, known),
    fallbackTitle: firstHeading(notebook) ?? request.name,
    draft: new FileDraft(options.drafts, request.path ?? null)
  };
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
    /** Possible secrets core's scanner found in `notebook`. */
    secrets: ISecretFinding[];
    /** Title offered when the gallery knows none. */
    fallbackTitle: string;
    /** What the user types, kept for this file between tries. */
    draft: FileDraft;
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

    const draft = upload.draft.value;
    const review = new SecretReview(upload.secrets, upload.notebook, draft?.marked);
    const message = await prompts.revisionMessage(summary.title, shown(review), draft?.message);
    if (upload.draft.leftToFix(review, { message: message ?? '' }, upload.options.revealFinding)) {
      return null;
    }
    if (message === null) {
      upload.draft.forget();
      return null;
    }
    const saved = await saveMerging(upload, provenance, summary.title, message, review.confirmed);
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
   * long as someone else keeps saving. Secrets the gallery finds are shown with the message again. 'stale' means the
   * gallery could not merge (an older server); null that the user cancelled or chose to fix a secret.
   */
  async function saveMerging(
    upload: IUpload,
    provenance: IGalleryProvenance,
    title: string,
    firstMessage: string,
    confirmed: string[]
  ): Promise<ISavedNotebook | null | 'stale'> {
    const { client, trans, prompts } = upload.options;
    let notebook = upload.notebook;
    let baseRevision = provenance.revision;
    let message = firstMessage;
    let confirmedSecrets = confirmed;
    let settled = false;
    for (let attempt = 0; attempt < MAX_SAVE_ATTEMPTS; attempt++) {
      let reply: ISaveNotebookResponse | IMergedSaveResponse;
      const body = {
        notebook,
        baseRevision,
        message: message || undefined,
        merge: true,
        ...confirmedField(confirmedSecrets)
      };
      try {
        reply = await uploadWithinLimit(trans, body, notebook, () => client.updateNotebook(provenance.id, body));
      } catch (error) {
        const refused = refusedSecrets(error);
        if (refused !== null) {
          const review = new SecretReview(refused, notebook, confirmedSecrets, confirmedSecrets);
          const answer = await prompts.revisionMessage(title, review, message);
          if (upload.draft.leftToFix(review, { message: answer ?? message }, upload.options.revealFinding)) {
            return null;
          }
          if (answer === null) {
            upload.draft.forget();
            return null;
          }
          message = answer;
          confirmedSecrets = review.confirmed;
          // The user decided; that round is not someone else saving meanwhile.
          attempt--;
          continue;
        }
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
      upload.draft.forget();
      upload.options.confirmed?.add(client.serverUrl, provenance.id, confirmedSecrets);
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
    const { client, trans, prompts } = upload.options;
    const [config, groups] = await Promise.all([
      // Both only shape the form and check the size: without them it offers Private first and no groups, and the
      // gallery's own 413 says the limit.
      client.authConfig().catch(() => null),
      client.listGroups().catch(() => [])
    ]);
    checkUploadSize(trans, upload.notebook, config?.uploadLimitBytes ?? null);
    const groupNames = groups.map(group => group.name);
    const visibility = config?.defaultVisibility ?? 'private';
    const draft = upload.draft.value;
    let initial: INotebookDetails = draft?.details ?? {
      ...(listing ?? { title: upload.fallbackTitle, description: '', tags: [] }),
      visibility,
      group: visibility === 'group' ? (groupNames[0] ?? null) : null
    };
    let problems: ListingProblems = {};
    let review = new SecretReview(upload.secrets, upload.notebook, draft?.marked);
    for (;;) {
      const details = await prompts.notebookDetails(heading, initial, groupNames, problems, shown(review));
      if (upload.draft.leftToFix(review, { details: details ?? initial }, upload.options.revealFinding)) {
        return null;
      }
      if (details === null) {
        upload.draft.forget();
        return null;
      }
      upload.draft.keep({ details, marked: review.confirmed });
      const body = {
        notebook: upload.notebook,
        title: details.title,
        description: details.description || undefined,
        tags: details.tags,
        parent,
        visibility: details.visibility,
        group: details.group ?? undefined,
        ...confirmedField(review.confirmed)
      };
      try {
        const saved = await uploadWithinLimit(trans, body, upload.notebook, () => client.createNotebook(body));
        upload.draft.forget();
        upload.options.confirmed?.add(client.serverUrl, saved.id, review.confirmed);
        return saved;
      } catch (error) {
        const secrets = refusedSecrets(error);
        if (secrets !== null) {
          review = new SecretReview(secrets, upload.notebook, review.confirmed, review.confirmed);
          initial = details;
          problems = {};
          continue;
        }
        const refused = listingProblemsFromError(trans, error, details);
        if (refused === null) {
          throw error;
        }
        initial = details;
        problems = refused;
      }
    }
  }

  /** The review for a dialog to show, or nothing when there is nothing to decide. */
  function shown(review: SecretReview): SecretReview | undefined {
    return review.findings.length > 0 ? review : undefined;
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

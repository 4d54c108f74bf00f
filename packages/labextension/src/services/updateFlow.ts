import type { IGalleryProvenance, INotebook, INotebookSummary } from '@notebook-gallery/core';
import type { TranslationBundle } from '@jupyterlab/translation';
import type { IGalleryClient } from '../tokens';
import { mergeWithChoices, type ResolveConflicts } from './conflictResolution';
import { isEditedCopy, withKernelMetadataOf } from './copyComparison';
import { keepLocalOutputs } from './localOutputs';
import { readProvenance } from './provenance';
import { prepareUpload } from './saveFlow';

/** What to do with an edited copy when the gallery has a newer revision. */
export type EditedCopyChoice = 'merge' | 'beside';

/** The questions the update asks; the dialogs answer them in JupyterLab. */
export interface IUpdatePrompts {
  /** The copy was edited: merge the new version in, put it beside the copy, or cancel (null). */
  chooseForEditedCopy(title: string, revisionNumber: number): Promise<EditedCopyChoice | null>;
  /** Settle what the user and the gallery both changed. */
  resolveConflicts: ResolveConflicts;
}

/** What `updateCopy` needs. */
export interface IUpdateFlowOptions {
  client: IGalleryClient;
  trans: TranslationBundle;
  prompts: IUpdatePrompts;
  /** Only replace an unedited copy, never ask: an edited copy answers `edited` (the automatic update on open). */
  uneditedOnly?: boolean;
}

/**
 * The outcome of an update.
 * - `current`: the copy already has the latest revision (or is not a copy from this gallery).
 * - `replaced`: the copy was unedited; `notebook` is the latest revision.
 * - `merged`: the user's edits merged with the latest revision.
 * - `beside`: the copy stays as it is; `notebook` is the latest revision, to be written next to it.
 * - `edited`: with `uneditedOnly`, the copy was edited and nothing was done.
 * Every notebook carries the provenance of the latest revision and, for cells unchanged, the copy's outputs.
 */
export type UpdateOutcome =
  | { kind: 'current' }
  | { kind: 'edited'; summary: INotebookSummary }
  | { kind: 'replaced' | 'merged' | 'beside'; notebook: INotebook; summary: INotebookSummary };

/**
 * Bring a copy to the gallery's latest revision without losing anything: an unedited copy (the stripped copy equals
 * the stripped revision it came from) is replaced; an edited one is merged three-way (base: the revision it came
 * from, local: the copy, remote: the latest) with conflicts settled by the user, or the latest revision is put
 * beside it.
 *
 * @returns the outcome, or null when the user cancelled.
 * @throws {GalleryError} when the copy is invalid or a gallery call fails.
 */
export async function updateCopy(copy: INotebook, options: IUpdateFlowOptions): Promise<UpdateOutcome | null> {
  const { client, trans, prompts } = options;
  const provenance = readProvenance(copy.metadata, client.serverUrl);
  if (provenance === null) {
    return { kind: 'current' };
  }
  const summary = await client.getNotebook(provenance.id);
  if (summary.revision === provenance.revision) {
    return { kind: 'current' };
  }
  const latest: IGalleryProvenance = { ...provenance, revision: summary.revision };
  const [base, remote] = await Promise.all([
    client.getNotebookContent(provenance.id, provenance.revision),
    client.getNotebookContent(provenance.id, summary.revision)
  ]);
  if (!isEditedCopy(copy, base)) {
    return { kind: 'replaced', notebook: keepLocalOutputs(remote, copy, latest), summary };
  }
  if (options.uneditedOnly) {
    return { kind: 'edited', summary };
  }
  const choice = await prompts.chooseForEditedCopy(summary.title, summary.revisionNumber);
  if (choice === null) {
    return null;
  }
  if (choice === 'beside') {
    return { kind: 'beside', notebook: keepLocalOutputs(remote, { ...remote, cells: [] }, latest), summary };
  }
  const local = withKernelMetadataOf(prepareUpload(copy), base);
  const merged = await mergeWithChoices(base, local, remote, prompts.resolveConflicts, {
    title: summary.title,
    theirs: trans.__('the gallery’s version %1', summary.revisionNumber)
  });
  if (merged === null) {
    return null;
  }
  return { kind: 'merged', notebook: keepLocalOutputs(merged, copy, latest), summary };
}

/**
 * Notebook-aware diff and three-way merge. Pure functions over stripped nbformat 4 notebooks, used by the server
 * (diff route, merge on save, change requests) and by the extension (history view, conflict resolution, updates).
 *
 * CONTRACT (placeholder until the implementation lands; the signatures are fixed):
 */
import type { INotebook } from '../nbformat';
import type { IMergeConflict, INotebookDiff, MergeChoice } from '../schemas/revisions';

/** The outcome of a three-way merge. */
export interface IMergeResult {
  /** The merged notebook: valid nbformat; where a conflict is unresolved it holds the local version. */
  notebook: INotebook;
  /** Conflicts no choice settled yet, in notebook order; empty when the merge is clean. */
  conflicts: IMergeConflict[];
}

/** Options of {@link mergeNotebooks}. */
export interface IMergeOptions {
  /** How to settle conflicts, by {@link IMergeConflict.id}, as the user picked them. */
  choices?: Record<string, MergeChoice>;
}

/** Compare two notebooks cell by cell (matched by id, else by content similarity). */
export function diffNotebooks(from: INotebook, to: INotebook): INotebookDiff {
  void from;
  void to;
  throw new Error('diffNotebooks is not implemented yet');
}

/** Merge the changes `local` and `remote` each made to `base`. */
export function mergeNotebooks(
  base: INotebook,
  local: INotebook,
  remote: INotebook,
  options?: IMergeOptions
): IMergeResult {
  void base;
  void local;
  void remote;
  void options;
  throw new Error('mergeNotebooks is not implemented yet');
}

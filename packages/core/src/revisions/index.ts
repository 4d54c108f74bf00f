/**
 * Notebook-aware diff and three-way merge. Pure functions over nbformat 4 notebooks (stripped on the way in), used
 * by the server (diff route, merge on save, change requests) and by the extension (history view, conflict
 * resolution, updates).
 */
export { diffSources } from './lineDiff';
export { diffNotebooks } from './notebookDiff';
export { mergeNotebooks } from './notebookMerge';
export type { IMergeOptions, IMergeResult } from './notebookMerge';

import type { ICell, INotebook } from './nbformat';
import { GALLERY_METADATA_KEY } from './nbformat';

/**
 * Notebook metadata that is volatile, machine-specific or local provenance; never shared.
 * `orig_nbformat*` are transient keys that Jupyter's own writer drops too.
 */
export const STRIPPED_NOTEBOOK_METADATA: readonly string[] = [
  'widgets',
  'signature',
  'orig_nbformat',
  'orig_nbformat_minor',
  GALLERY_METADATA_KEY
];

/**
 * Cell metadata that records how a cell was last viewed, run or trusted, not what it says.
 * `trusted` is local trust state that Jupyter's own writer drops too.
 */
export const STRIPPED_CELL_METADATA: readonly string[] = [
  'trusted',
  'collapsed',
  'scrolled',
  'ExecuteTime',
  'execution',
  'heading_collapsed',
  'hidden'
];

/**
 * Remove everything a run leaves behind (outputs, execution counts, widget state, timings) and the
 * local gallery provenance, because outputs can hold sensitive data and only the analysis is shared.
 * Pure and idempotent; the input is not modified. Expects a notebook from `validateNotebook`.
 */
export function stripNotebook(nb: INotebook): INotebook {
  return {
    ...nb,
    metadata: Private.without(nb.metadata, STRIPPED_NOTEBOOK_METADATA),
    cells: nb.cells.map(Private.stripCell)
  };
}

namespace Private {
  export function without<T extends Record<string, unknown>>(object: T, keys: readonly string[]): T {
    const copy = { ...object };
    for (const key of keys) {
      delete copy[key];
    }
    return copy;
  }

  export function stripCell(cell: ICell): ICell {
    const metadata = without(cell.metadata, STRIPPED_CELL_METADATA);
    if (cell.cell_type === 'code') {
      return { ...cell, metadata, outputs: [], execution_count: null };
    }
    return { ...cell, metadata };
  }
}

import { GALLERY_METADATA_KEY, stripNotebook, type ICell, type INotebook } from '@notebook-gallery/core';

/**
 * Notebook metadata JupyterLab writes by itself when a kernel starts (the kernel's name and its language details),
 * so a difference there is never the user's edit.
 */
export const KERNEL_METADATA: readonly string[] = ['kernelspec', 'language_info'];

/**
 * Whether the user edited a copy since the gallery revision it came from: the two are compared stripped, as the
 * gallery stores them, cell by cell (type, source, metadata) and by notebook metadata, ignoring what no user
 * writes: outputs and execution counts, the local provenance, what the kernel reports, cell ids JupyterLab adds to
 * older notebooks, and how a source is split into lines. A file's timestamp says nothing: saving an unchanged
 * notebook is not an edit.
 */
export function isEditedCopy(copy: INotebook, revision: INotebook): boolean {
  return Private.canonical(stripNotebook(copy)) !== Private.canonical(stripNotebook(revision));
}

/**
 * What the user sees and changes in an open notebook, outputs included, as comparable text: kernel-reported
 * metadata and the trust flag JupyterLab keeps on cells are left out.
 */
export function visibleContent(notebook: INotebook): string {
  return Private.stableJson({
    metadata: Private.without(notebook.metadata, KERNEL_METADATA),
    cells: notebook.cells.map(cell => ({ ...cell, metadata: Private.without(cell.metadata, ['trusted']) }))
  });
}

/**
 * `notebook` with the kernel-reported metadata of `source`, so a merge never reports a conflict over what two
 * kernels said about themselves; the open copy keeps its own kernel's values afterwards.
 */
export function withKernelMetadataOf(notebook: INotebook, source: INotebook): INotebook {
  const metadata: Record<string, unknown> = { ...notebook.metadata };
  for (const key of KERNEL_METADATA) {
    if (source.metadata[key] === undefined) {
      delete metadata[key];
    } else {
      metadata[key] = source.metadata[key];
    }
  }
  return { ...notebook, metadata };
}

namespace Private {
  export function canonical(notebook: INotebook): string {
    return stableJson({
      metadata: without(notebook.metadata, [...KERNEL_METADATA, GALLERY_METADATA_KEY]),
      cells: notebook.cells.map(cellContent)
    });
  }

  function cellContent(cell: ICell): unknown {
    return { type: cell.cell_type, source: joined(cell.source), metadata: cell.metadata };
  }

  function joined(source: string | string[]): string {
    return Array.isArray(source) ? source.join('') : source;
  }

  export function without(object: Record<string, unknown> | undefined, keys: readonly string[]): unknown {
    const copy = { ...(object ?? {}) };
    for (const key of keys) {
      delete copy[key];
    }
    return copy;
  }

  /** JSON with object keys sorted, so key order never makes two equal notebooks differ. */
  export function stableJson(value: unknown): string {
    return JSON.stringify(value, (_key, item: unknown) =>
      item && typeof item === 'object' && !Array.isArray(item)
        ? Object.fromEntries(Object.entries(item as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1)))
        : item
    );
  }
}

import {
  GALLERY_METADATA_KEY,
  STRIPPED_CELL_METADATA,
  STRIPPED_NOTEBOOK_METADATA,
  type ICell,
  type IGalleryProvenance,
  type INotebook
} from '@notebook-gallery/core';
import { KERNEL_METADATA } from './copyComparison';

/**
 * The notebook to load into an open copy when the gallery's version (merged or newer) replaces its content: the
 * cells and metadata of `next`, which come stripped from the gallery, given back what only this copy has. A cell
 * whose type and source are unchanged keeps its outputs, execution count and view state (matched by id, else by
 * identical content in order), so an update never throws away results the user computed. The notebook keeps its
 * local-only metadata and the kernel's, and records `provenance`.
 */
export function keepLocalOutputs(next: INotebook, current: INotebook, provenance: IGalleryProvenance): INotebook {
  const unused = new Set(current.cells.map((_cell, index) => index));
  const byId = new Map<string, number>();
  current.cells.forEach((cell, index) => {
    if (typeof cell.id === 'string' && !byId.has(cell.id)) {
      byId.set(cell.id, index);
    }
  });
  const cells = next.cells.map(cell => {
    let index = typeof cell.id === 'string' ? byId.get(cell.id) : undefined;
    if (index === undefined || !unused.has(index) || !Private.sameContent(current.cells[index], cell)) {
      index = [...unused].find(candidate => Private.sameContent(current.cells[candidate], cell));
    }
    if (index === undefined) {
      return cell;
    }
    unused.delete(index);
    return Private.withLocalState(cell, current.cells[index]);
  });

  const metadata: Record<string, unknown> = { ...next.metadata };
  for (const key of [...STRIPPED_NOTEBOOK_METADATA, ...KERNEL_METADATA]) {
    if (key !== GALLERY_METADATA_KEY && current.metadata[key] !== undefined) {
      metadata[key] = current.metadata[key];
    }
  }
  metadata[GALLERY_METADATA_KEY] = provenance;
  return { ...next, metadata, cells };
}

namespace Private {
  export function sameContent(a: ICell, b: ICell): boolean {
    return a.cell_type === b.cell_type && text(a.source) === text(b.source);
  }

  /** `cell` with the outputs and view state of `local`, an identical cell of the open copy. */
  export function withLocalState(cell: ICell, local: ICell): ICell {
    const metadata = { ...cell.metadata };
    for (const key of STRIPPED_CELL_METADATA) {
      if (local.metadata[key] !== undefined) {
        metadata[key] = local.metadata[key];
      }
    }
    if (cell.cell_type === 'code' && local.cell_type === 'code') {
      return { ...cell, metadata, outputs: local.outputs, execution_count: local.execution_count };
    }
    return { ...cell, metadata };
  }

  function text(source: string | string[]): string {
    return Array.isArray(source) ? source.join('') : source;
  }
}

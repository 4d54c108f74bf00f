import type { ICell, INotebook } from '../../src';

/** A cell for a test notebook: `[id, source]`, or with a type and metadata. */
export type CellSpec =
  [string | null, string] | { id?: string; type?: ICell['cell_type']; source: string; metadata?: object };

/** An nbformat 4.5 notebook (4.4 when no cell has an id) built from short cell specs. */
export function notebook(cells: CellSpec[], metadata: Record<string, unknown> = {}): INotebook {
  const built = cells.map(spec => {
    const {
      id,
      type,
      source,
      metadata: cellMetadata
    } = Array.isArray(spec)
      ? { id: spec[0] ?? undefined, type: undefined, source: spec[1], metadata: undefined }
      : spec;
    const cellType = type ?? 'code';
    const cell: Record<string, unknown> = { cell_type: cellType, metadata: cellMetadata ?? {}, source };
    if (id !== undefined) {
      cell.id = id;
    }
    if (cellType === 'code') {
      cell.outputs = [];
      cell.execution_count = null;
    }
    return cell as unknown as ICell;
  });
  const withIds = built.some(cell => cell.id !== undefined);
  return {
    nbformat: 4,
    nbformat_minor: withIds ? 5 : 4,
    metadata: { kernelspec: { name: 'python3', display_name: 'Python 3' }, ...metadata },
    cells: built
  };
}

/** Each cell's source as one string, in order. */
export function sources(nb: INotebook): string[] {
  return nb.cells.map(cell => (Array.isArray(cell.source) ? cell.source.join('') : cell.source));
}

/** Each cell's id, in order. */
export function ids(nb: INotebook): Array<string | undefined> {
  return nb.cells.map(cell => cell.id);
}

import type { ICell } from '../nbformat';

/** The first nbformat 4 minor version whose cells have ids (and must). */
const CELL_ID_MINOR = 5;
const CELL_ID_MAX_LENGTH = 64;

/** A cell of a merge result and whether only local has it. */
export interface IPlacedCell {
  cell: ICell;
  /** Inserted by local alone: when its id is taken, it is the one that changes. */
  localOnly: boolean;
}

/**
 * The cells with ids nbformat accepts: unique, and at `minor` 4.5 or later one on every cell (`cell-<n>` for cells
 * from notebooks without ids). When two cells have the same id, a cell only local inserted is the one that gets
 * `<id>-2`, `<id>-3`...: remote is the gallery's stored revision, whose ids other copies and later merges pair cells
 * by, while the merge result replaces local's copy. The new ids depend only on the cells, so merging the same
 * notebooks twice gives the same notebook.
 */
export function uniqueCellIds(placed: readonly IPlacedCell[], minor: number): ICell[] {
  const taken = new Set<string>();
  const cells = placed.map(item => item.cell);
  const keep = (index: number): void => {
    const id = cells[index].id;
    if (typeof id !== 'string') {
      return;
    }
    if (taken.has(id)) {
      cells[index] = { ...cells[index], id: Private.fresh(id, 2, taken) };
    }
    taken.add(cells[index].id as string);
  };
  placed.forEach((item, index) => !item.localOnly && keep(index));
  placed.forEach((item, index) => item.localOnly && keep(index));
  if (minor < CELL_ID_MINOR) {
    return cells;
  }
  return cells.map(cell => {
    if (typeof cell.id === 'string') {
      return cell;
    }
    const id = Private.fresh('cell', 1, taken);
    taken.add(id);
    return { ...cell, id };
  });
}

namespace Private {
  export function fresh(stem: string, first: number, taken: ReadonlySet<string>): string {
    for (let n = first; ; n++) {
      const suffix = `-${n}`;
      const id = stem.slice(0, CELL_ID_MAX_LENGTH - suffix.length) + suffix;
      if (!taken.has(id)) {
        return id;
      }
    }
  }
}

import {
  diffNotebooks,
  mergeNotebooks,
  type ICell,
  type IMergeConflict,
  type INotebook,
  type MergeChoice
} from '@notebook-gallery/core';

/** What the conflict dialog says about the two sides. */
export interface IConflictContext {
  /** The notebook's title in the gallery. */
  title: string;
  /** Who or what "theirs" is, for example “the gallery’s version 4”. */
  theirs: string;
  /** The cell each conflict is about, by conflict id; `mergeWithChoices` fills it in. */
  cells?: ReadonlyMap<string, IConflictCell>;
}

/** Which cell a conflict is about, as the user counts cells. */
export interface IConflictCell {
  /** Its number (from 1) in the user's notebook, or in theirs when the user deleted it. */
  number: number;
  /** False when the number is in their version (the user deleted the cell). */
  mine: boolean;
  /** Its first line that is not blank, shortened; empty for an empty cell. */
  firstLine: string;
}

/** The longest first line a conflict shows; longer ones end with "…". */
const FIRST_LINE_LENGTH = 60;

/**
 * The cell of each conflict about a cell: found by id, or for notebooks without ids (conflict ids with
 * `cell#<n>`, base cell n) by pairing base with each side the way the diff view does.
 */
export function conflictCells(
  base: INotebook,
  local: INotebook,
  remote: INotebook,
  conflicts: readonly IMergeConflict[]
): Map<string, IConflictCell> {
  const cells = new Map<string, IConflictCell>();
  let toLocal: Map<number, number> | null = null;
  let toRemote: Map<number, number> | null = null;
  for (const conflict of conflicts) {
    const where = conflict.id.split('/')[1] ?? '';
    let mine = Private.indexOf(local, conflict.cellId);
    let theirs = Private.indexOf(remote, conflict.cellId);
    const baseIndex = where.startsWith('cell#') ? Number(where.slice('cell#'.length)) : -1;
    if (conflict.cellId === null && baseIndex >= 0) {
      toLocal ??= Private.positions(base, local);
      toRemote ??= Private.positions(base, remote);
      mine = toLocal.get(baseIndex) ?? -1;
      theirs = toRemote.get(baseIndex) ?? -1;
    }
    const found: [INotebook, number, boolean] | null =
      mine !== -1 ? [local, mine, true] : theirs !== -1 ? [remote, theirs, false] : null;
    if (found) {
      const [notebook, index, isMine] = found;
      cells.set(conflict.id, { number: index + 1, mine: isMine, firstLine: Private.firstLine(notebook.cells[index]) });
    }
  }
  return cells;
}

/**
 * Ask the user to settle each conflict (mine, theirs or both); resolves with a choice for every conflict id, or
 * null when the user cancels.
 */
export type ResolveConflicts = (
  conflicts: readonly IMergeConflict[],
  context: IConflictContext
) => Promise<Record<string, MergeChoice> | null>;

/**
 * Merge the changes `local` and `remote` made to `base`, asking the user through `resolve` when both changed the
 * same thing, so nothing is ever settled silently.
 *
 * @returns the merged notebook, or null when the user cancelled.
 * @throws {Error} when a conflict is left unsettled by the choices (the dialog never allows that).
 */
export async function mergeWithChoices(
  base: INotebook,
  local: INotebook,
  remote: INotebook,
  resolve: ResolveConflicts,
  context: IConflictContext
): Promise<INotebook | null> {
  const first = mergeNotebooks(base, local, remote);
  if (first.conflicts.length === 0) {
    return first.notebook;
  }
  const choices = await resolve(first.conflicts, {
    ...context,
    cells: conflictCells(base, local, remote, first.conflicts)
  });
  if (choices === null) {
    return null;
  }
  const settled = mergeNotebooks(base, local, remote, { choices });
  if (settled.conflicts.length > 0) {
    throw new Error(`${settled.conflicts.length} conflicts were left without a choice`);
  }
  return settled.notebook;
}

namespace Private {
  export function indexOf(notebook: INotebook, cellId: string | null): number {
    return cellId === null ? -1 : notebook.cells.findIndex(cell => cell.id === cellId);
  }

  /** Base cell index to the index of the same cell in `other`, as the diff pairs them. */
  export function positions(base: INotebook, other: INotebook): Map<number, number> {
    const pairs = new Map<number, number>();
    for (const cell of diffNotebooks(base, other).cells) {
      if (cell.fromIndex !== null && cell.toIndex !== null) {
        pairs.set(cell.fromIndex, cell.toIndex);
      }
    }
    return pairs;
  }

  export function firstLine(cell: ICell): string {
    const text = Array.isArray(cell.source) ? cell.source.join('') : cell.source;
    const line =
      text
        .split('\n')
        .find(part => part.trim() !== '')
        ?.trim() ?? '';
    return line.length > FIRST_LINE_LENGTH ? `${line.slice(0, FIRST_LINE_LENGTH - 1)}…` : line;
  }
}

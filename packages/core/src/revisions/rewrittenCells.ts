import type { ICell } from '../nbformat';
import { matchCells, type ICellMatching } from './cellMatching';

/**
 * Pair the base cells that both sides replaced in place under new ids with their replacements, so a merge sees two
 * edits of each such cell and not two new cells. Users never see ids: a cell cut and pasted back, or a notebook
 * written out again by a tool that makes new ids, holds the same cells to them, and two people rewriting a cell
 * differently expect the conflict they get when they edit it in place, not both versions one after the other.
 *
 * Between the same two neighbours that stayed in place, the base cells both sides dropped are paired with each
 * side's new cells as `matchCells` pairs cells without ids (identical first, then similar, in order, and a lone
 * cell between two pairs on each side with the lone cell there). A base cell paired on only one side stays deleted
 * and the new cell stays new: that side's change is all there is to keep.
 * @returns new matchings from base to local and to remote.
 */
export function pairRewrittenCells(
  base: readonly ICell[],
  local: readonly ICell[],
  remote: readonly ICell[],
  toLocal: ICellMatching,
  toRemote: ICellMatching
): [ICellMatching, ICellMatching] {
  const dropped = base.map((_, i) => toLocal.toIndex[i] === -1 && toRemote.toIndex[i] === -1);
  if (!dropped.some(Boolean)) {
    return [toLocal, toRemote];
  }
  const mine = Private.replacements(base, local, toLocal, dropped);
  const theirs = Private.replacements(base, remote, toRemote, dropped);
  const pairedLocal = Private.copy(toLocal);
  const pairedRemote = Private.copy(toRemote);
  for (const [i, j] of mine) {
    const k = theirs.get(i);
    if (k !== undefined) {
      Private.pair(pairedLocal, i, j);
      Private.pair(pairedRemote, i, k);
    }
  }
  return [pairedLocal, pairedRemote];
}

namespace Private {
  export function copy(matching: ICellMatching): ICellMatching {
    return { toIndex: [...matching.toIndex], fromIndex: [...matching.fromIndex], moved: [...matching.moved] };
  }

  export function pair(matching: ICellMatching, i: number, j: number): void {
    matching.toIndex[i] = j;
    matching.fromIndex[j] = i;
  }

  /** For each dropped base cell that one side replaced, the index of its replacement on that side. */
  export function replacements(
    base: readonly ICell[],
    side: readonly ICell[],
    matching: ICellMatching,
    dropped: readonly boolean[]
  ): Map<number, number> {
    // Gaps are keyed by the last base cell before them that stayed in place on this side (-1: the start).
    const droppedIn = new Map<number, number[]>();
    let previous = -1;
    base.forEach((_, i) => {
      if (matching.toIndex[i] !== -1 && !matching.moved[i]) {
        previous = i;
      } else if (dropped[i]) {
        droppedIn.set(previous, [...(droppedIn.get(previous) ?? []), i]);
      }
    });
    const addedIn = new Map<number, number[]>();
    previous = -1;
    side.forEach((_, j) => {
      const i = matching.fromIndex[j];
      if (i !== -1 && !matching.moved[i]) {
        previous = i;
      } else if (i === -1) {
        addedIn.set(previous, [...(addedIn.get(previous) ?? []), j]);
      }
    });
    const found = new Map<number, number>();
    for (const [gap, from] of droppedIn) {
      const to = addedIn.get(gap) ?? [];
      if (to.length === 0) {
        continue;
      }
      const inGap = matchCells(
        from.map(i => withoutId(base[i])),
        to.map(j => withoutId(side[j]))
      );
      inGap.toIndex.forEach((k, a) => {
        if (k !== -1 && !inGap.moved[a]) {
          found.set(from[a], to[k]);
        }
      });
    }
    return found;
  }

  function withoutId(cell: ICell): ICell {
    const copy = { ...cell };
    delete copy.id;
    return copy;
  }
}

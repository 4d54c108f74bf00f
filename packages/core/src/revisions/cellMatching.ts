import type { ICell } from '../nbformat';
import { commonSubsequence, toCodes } from './commonSubsequence';
import { isSimilar } from './similarity';
import { sourceText } from './sourceLines';

/**
 * How similar two cells without ids must be to count as the same cell edited, as in nbdime (`difflib` ratio of
 * their sources).
 */
export const SIMILARITY_THRESHOLD = 0.7;

/**
 * The most pairs of cells compared for similarity between two cells matched for sure; beyond it the cells in
 * between count as removed and added, so notebooks of thousands of id-less cells still diff quickly.
 */
const SIMILARITY_BUDGET = 10_000;

/** Which cell of one notebook is which cell of the other. */
export interface ICellMatching {
  /** For each cell of `from`, the index of the same cell in `to`, or -1 when it was removed. */
  toIndex: number[];
  /** For each cell of `to`, the index of the same cell in `from`, or -1 when it was added. */
  fromIndex: number[];
  /** For each cell of `from`: it has a match, but at another position relative to the cells around it. */
  moved: boolean[];
}

/**
 * Pair the cells of two versions of a notebook. Cells are the same when they have the same id (nbformat 4.5 ids are
 * stable, so a cell whose id is new is a new cell). A cell without an id (nbformat 4.0 to 4.4) is paired by content
 * among the cells between two cells paired for sure, as nbdime does: identical sources first, then similar ones
 * (same type, similarity of at least {@link SIMILARITY_THRESHOLD}), in order. A pair that is not part of the
 * longest in-order run of pairs is a moved cell; without ids a moved cell cannot be told from one deleted and
 * written again elsewhere, so it counts as that.
 */
export function matchCells(from: readonly ICell[], to: readonly ICell[]): ICellMatching {
  const toIndex = new Array<number>(from.length).fill(-1);
  const fromIndex = new Array<number>(to.length).fill(-1);
  const pair = (i: number, j: number): void => {
    toIndex[i] = j;
    fromIndex[j] = i;
  };
  Private.pairByIds(from, to, pair);
  // With ids on every cell there is nothing to pair by content, which keeps diffs of big notebooks quick.
  if (!from.every(Private.hasId) || !to.every(Private.hasId)) {
    Private.pairTheRestByContent(from, to, toIndex, fromIndex, pair);
  }
  const kept = new Set(Private.inOrder(toIndex));
  const moved = toIndex.map((j, i) => j !== -1 && !kept.has(i));
  return { toIndex, fromIndex, moved };
}

namespace Private {
  export function hasId(cell: ICell): boolean {
    return typeof cell.id === 'string';
  }

  /** Pairs the cells left between each two cells paired by id (or the ends of the notebooks) by content. */
  export function pairTheRestByContent(
    from: readonly ICell[],
    to: readonly ICell[],
    toIndex: readonly number[],
    fromIndex: readonly number[],
    pair: (i: number, j: number) => void
  ): void {
    let previousFrom = -1;
    let previousTo = -1;
    for (const i of [...inOrder(toIndex), from.length]) {
      const nextTo = i < from.length ? toIndex[i] : to.length;
      const gapFrom = range(previousFrom + 1, i).filter(k => toIndex[k] === -1);
      const gapTo = range(previousTo + 1, nextTo).filter(k => fromIndex[k] === -1);
      pairByContent(from, to, gapFrom, gapTo, pair);
      previousFrom = i;
      previousTo = nextTo;
    }
  }

  function range(start: number, end: number): number[] {
    return Array.from({ length: Math.max(0, end - start) }, (_, k) => start + k);
  }

  export function pairByIds(from: readonly ICell[], to: readonly ICell[], pair: (i: number, j: number) => void): void {
    const byId = new Map<string, number>();
    to.forEach((cell, j) => {
      if (typeof cell.id === 'string' && !byId.has(cell.id)) {
        byId.set(cell.id, j);
      }
    });
    from.forEach((cell, i) => {
      const j = typeof cell.id === 'string' ? byId.get(cell.id) : undefined;
      if (j !== undefined) {
        pair(i, j);
        byId.delete(cell.id as string);
      }
    });
  }

  /**
   * The `from` indices of the longest run of pairs whose `to` indices increase too (patience sorting,
   * O(n log n)): the cells that stayed in order.
   */
  export function inOrder(toIndex: readonly number[]): number[] {
    const tails: number[] = [];
    const previous = new Array<number>(toIndex.length).fill(-1);
    toIndex.forEach((j, i) => {
      if (j === -1) {
        return;
      }
      let low = 0;
      let high = tails.length;
      while (low < high) {
        const middle = (low + high) >> 1;
        if (toIndex[tails[middle]] < j) {
          low = middle + 1;
        } else {
          high = middle;
        }
      }
      previous[i] = low > 0 ? tails[low - 1] : -1;
      tails[low] = i;
    });
    const run: number[] = [];
    for (let i = tails.length > 0 ? tails[tails.length - 1] : -1; i !== -1; i = previous[i]) {
      run.push(i);
    }
    return run.reverse();
  }

  function contentKey(cell: ICell): string {
    return `${cell.cell_type}\n${sourceText(cell.source)}`;
  }

  /** Cells that both have ids are different cells whatever they hold. */
  function mayPair(a: ICell, b: ICell): boolean {
    return !hasId(a) || !hasId(b);
  }

  export function pairByContent(
    from: readonly ICell[],
    to: readonly ICell[],
    gapFrom: number[],
    gapTo: number[],
    pair: (i: number, j: number) => void
  ): void {
    if (gapFrom.every(i => hasId(from[i])) && gapTo.every(j => hasId(to[j]))) {
      return;
    }
    const [a, b] = toCodes(
      gapFrom.map(i => contentKey(from[i])),
      gapTo.map(j => contentKey(to[j]))
    );
    const identical = commonSubsequence(a, b);
    let previousA = -1;
    let previousB = -1;
    for (let k = 0; k <= identical.from.length; k++) {
      const nextA = k < identical.from.length ? identical.from[k] : gapFrom.length;
      const nextB = k < identical.to.length ? identical.to[k] : gapTo.length;
      pairSimilar(from, to, gapFrom.slice(previousA + 1, nextA), gapTo.slice(previousB + 1, nextB), pair);
      if (k < identical.from.length && mayPair(from[gapFrom[nextA]], to[gapTo[nextB]])) {
        pair(gapFrom[nextA], gapTo[nextB]);
      }
      previousA = nextA;
      previousB = nextB;
    }
  }

  /**
   * An in-order pairing of similar cells with the most pairs (dynamic programming; the lists are short). Where, in
   * the end, one cell stands alone between two pairs on each side and both have the same type, they are paired
   * whatever their similarity: a cell rewritten in place is more likely than a cell deleted and another written in
   * the same spot, and pairing it lets a merge see both sides' edits to it.
   */
  function pairSimilar(
    from: readonly ICell[],
    to: readonly ICell[],
    gapFrom: number[],
    gapTo: number[],
    pair: (i: number, j: number) => void
  ): void {
    const n = gapFrom.length;
    const m = gapTo.length;
    if (n === 0 || m === 0) {
      return;
    }
    const pairs = n * m > SIMILARITY_BUDGET ? [] : similarPairs(from, to, gapFrom, gapTo);
    let previousA = -1;
    let previousB = -1;
    for (const [a, b] of [...pairs, [n, m]]) {
      const x = from[gapFrom[a - 1]];
      const y = to[gapTo[b - 1]];
      if (a - previousA === 2 && b - previousB === 2 && x.cell_type === y.cell_type && mayPair(x, y)) {
        pair(gapFrom[a - 1], gapTo[b - 1]);
      }
      if (a < n) {
        pair(gapFrom[a], gapTo[b]);
      }
      previousA = a;
      previousB = b;
    }
  }

  function similarPairs(
    from: readonly ICell[],
    to: readonly ICell[],
    gapFrom: number[],
    gapTo: number[]
  ): Array<[number, number]> {
    const n = gapFrom.length;
    const m = gapTo.length;
    const similar = (a: number, b: number): boolean => {
      const x = from[gapFrom[a]];
      const y = to[gapTo[b]];
      return (
        x.cell_type === y.cell_type &&
        mayPair(x, y) &&
        isSimilar(sourceText(x.source), sourceText(y.source), SIMILARITY_THRESHOLD)
      );
    };
    // best[a * (m + 1) + b]: most pairs among gapFrom[a..] and gapTo[b..].
    const best = new Int32Array((n + 1) * (m + 1));
    const same = new Uint8Array(n * m);
    for (let a = n - 1; a >= 0; a--) {
      for (let b = m - 1; b >= 0; b--) {
        same[a * m + b] = similar(a, b) ? 1 : 0;
        const skip = Math.max(best[(a + 1) * (m + 1) + b], best[a * (m + 1) + b + 1]);
        best[a * (m + 1) + b] = same[a * m + b] ? Math.max(skip, 1 + best[(a + 1) * (m + 1) + b + 1]) : skip;
      }
    }
    const pairs: Array<[number, number]> = [];
    let a = 0;
    let b = 0;
    while (a < n && b < m) {
      if (same[a * m + b] && best[a * (m + 1) + b] === 1 + best[(a + 1) * (m + 1) + b + 1]) {
        pairs.push([a, b]);
        a++;
        b++;
      } else if (best[(a + 1) * (m + 1) + b] >= best[a * (m + 1) + b + 1]) {
        a++;
      } else {
        b++;
      }
    }
    return pairs;
  }
}

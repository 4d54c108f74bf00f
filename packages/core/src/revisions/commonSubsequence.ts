/**
 * Myers' O(ND) longest common subsequence in linear space (the "middle snake" divide and conquer), over sequences
 * of integer codes. Lines and cells are turned into codes first ({@link toCodes}), so comparing two items is one
 * integer comparison however long the line is.
 */

/** Matched positions of a common subsequence: `a[from[k]]` equals `b[to[k]]`, both increasing. */
export interface IMatches {
  from: number[];
  to: number[];
}

/** Gives each distinct string one integer, the same on both sides. */
export function toCodes(a: readonly string[], b: readonly string[]): [Int32Array, Int32Array] {
  const codes = new Map<string, number>();
  const encode = (items: readonly string[]): Int32Array => {
    const out = new Int32Array(items.length);
    for (let i = 0; i < items.length; i++) {
      let code = codes.get(items[i]);
      if (code === undefined) {
        code = codes.size;
        codes.set(items[i], code);
      }
      out[i] = code;
    }
    return out;
  };
  return [encode(a), encode(b)];
}

/**
 * A longest common subsequence of `a` and `b`: the fewest lines removed and added to turn `a` into `b`. Common
 * prefixes and suffixes are matched first, so a small edit to a long sequence costs about its length.
 */
export function commonSubsequence(a: Int32Array, b: Int32Array): IMatches {
  const keptA = Private.occurringIn(a, b);
  const keptB = Private.occurringIn(b, a);
  if (keptA.length === a.length && keptB.length === b.length) {
    const matches: IMatches = { from: [], to: [] };
    Private.compare(a, 0, a.length, b, 0, b.length, matches);
    return matches;
  }
  // Items the other side lacks can be in no common subsequence; without them a rewrite costs little.
  const inner: IMatches = { from: [], to: [] };
  const codesA = Int32Array.from(keptA, i => a[i]);
  const codesB = Int32Array.from(keptB, j => b[j]);
  Private.compare(codesA, 0, codesA.length, codesB, 0, codesB.length, inner);
  return { from: inner.from.map(k => keptA[k]), to: inner.to.map(k => keptB[k]) };
}

namespace Private {
  /** Positions of `items` whose code also occurs in `other`. */
  export function occurringIn(items: Int32Array, other: Int32Array): number[] {
    const present = new Set<number>(other);
    const kept: number[] = [];
    for (let i = 0; i < items.length; i++) {
      if (present.has(items[i])) {
        kept.push(i);
      }
    }
    return kept;
  }

  function match(matches: IMatches, i: number, j: number, count: number): void {
    for (let k = 0; k < count; k++) {
      matches.from.push(i + k);
      matches.to.push(j + k);
    }
  }

  export function compare(
    a: Int32Array,
    aStart: number,
    aEnd: number,
    b: Int32Array,
    bStart: number,
    bEnd: number,
    matches: IMatches
  ): void {
    let prefix = 0;
    while (aStart + prefix < aEnd && bStart + prefix < bEnd && a[aStart + prefix] === b[bStart + prefix]) {
      prefix++;
    }
    match(matches, aStart, bStart, prefix);
    aStart += prefix;
    bStart += prefix;
    let suffix = 0;
    while (aEnd - suffix > aStart && bEnd - suffix > bStart && a[aEnd - suffix - 1] === b[bEnd - suffix - 1]) {
      suffix++;
    }
    aEnd -= suffix;
    bEnd -= suffix;
    if (aStart < aEnd && bStart < bEnd) {
      const split = middleSnake(a, aStart, aEnd, b, bStart, bEnd);
      if (split !== null) {
        compare(a, aStart, split[0], b, bStart, split[1], matches);
        compare(a, split[0], aEnd, b, split[1], bEnd, matches);
      }
    }
    match(matches, aEnd, bEnd, suffix);
  }

  /**
   * Where a shortest edit path crosses the middle, found by searching from both ends at once (Myers 1986, section
   * 4b); null when the ranges have nothing in common. Expects ranges whose first and last items differ.
   */
  function middleSnake(
    a: Int32Array,
    aStart: number,
    aEnd: number,
    b: Int32Array,
    bStart: number,
    bEnd: number
  ): [number, number] | null {
    const n = aEnd - aStart;
    const m = bEnd - bStart;
    const maxD = Math.ceil((n + m) / 2);
    const offset = maxD;
    const size = 2 * maxD + 2;
    const forward = new Int32Array(size).fill(-1);
    const backward = new Int32Array(size).fill(-1);
    forward[offset + 1] = 0;
    backward[offset + 1] = 0;
    const delta = n - m;
    const checkOnForward = delta % 2 !== 0;
    let kForwardStart = 0;
    let kForwardEnd = 0;
    let kBackwardStart = 0;
    let kBackwardEnd = 0;
    for (let d = 0; d < maxD; d++) {
      for (let k = -d + kForwardStart; k <= d - kForwardEnd; k += 2) {
        const index = offset + k;
        let x =
          k === -d || (k !== d && forward[index - 1] < forward[index + 1])
            ? forward[index + 1]
            : forward[index - 1] + 1;
        let y = x - k;
        while (x < n && y < m && a[aStart + x] === b[bStart + y]) {
          x++;
          y++;
        }
        forward[index] = x;
        if (x > n) {
          kForwardEnd += 2;
        } else if (y > m) {
          kForwardStart += 2;
        } else if (checkOnForward) {
          const other = offset + delta - k;
          if (other >= 0 && other < size && backward[other] !== -1 && x >= n - backward[other]) {
            return [aStart + x, bStart + y];
          }
        }
      }
      for (let k = -d + kBackwardStart; k <= d - kBackwardEnd; k += 2) {
        const index = offset + k;
        let x =
          k === -d || (k !== d && backward[index - 1] < backward[index + 1])
            ? backward[index + 1]
            : backward[index - 1] + 1;
        let y = x - k;
        while (x < n && y < m && a[aEnd - x - 1] === b[bEnd - y - 1]) {
          x++;
          y++;
        }
        backward[index] = x;
        if (x > n) {
          kBackwardEnd += 2;
        } else if (y > m) {
          kBackwardStart += 2;
        } else if (!checkOnForward) {
          const other = offset + delta - k;
          if (other >= 0 && other < size && forward[other] !== -1) {
            const forwardX = forward[other];
            const forwardY = forwardX - (other - offset);
            if (forwardX >= n - x) {
              return [aStart + forwardX, bStart + forwardY];
            }
          }
        }
      }
    }
    return null;
  }
}

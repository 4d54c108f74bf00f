import type { MergeChoice } from '../schemas/revisions';
import { commonSubsequence, toCodes } from './commonSubsequence';

/** The outcome of {@link mergeLines}. */
export interface ILineMergeResult {
  lines: string[];
  /** Some region was changed differently on both sides (and settled by the choice given). */
  conflicted: boolean;
}

/**
 * diff3 over lines (Khanna, Kunal and Pierce, "A formal investigation of diff3"): regions that only one side
 * changed, or both changed the same way, merge; a region both sides changed differently is a conflict, settled by
 * `choice` (local: local's lines; remote: remote's; both: local's then remote's). As in git, changes to adjacent
 * lines with no unchanged line between them are one region, so they conflict.
 */
export function mergeLines(
  base: readonly string[],
  local: readonly string[],
  remote: readonly string[],
  choice: MergeChoice
): ILineMergeResult {
  const toLocal = Private.matchFromBase(base, local);
  const toRemote = Private.matchFromBase(base, remote);
  const lines: string[] = [];
  let conflicted = false;
  let o = 0;
  let a = 0;
  let b = 0;
  while (o < base.length || a < local.length || b < remote.length) {
    let stable = 0;
    while (o + stable < base.length && toLocal[o + stable] === a + stable && toRemote[o + stable] === b + stable) {
      stable++;
    }
    if (stable > 0) {
      for (let k = 0; k < stable; k++) {
        lines.push(base[o + k]);
      }
      o += stable;
      a += stable;
      b += stable;
      continue;
    }
    let next = o;
    while (next < base.length && (toLocal[next] === -1 || toRemote[next] === -1)) {
      next++;
    }
    const endA = next < base.length ? toLocal[next] : local.length;
    const endB = next < base.length ? toRemote[next] : remote.length;
    const region = {
      base: base.slice(o, next),
      local: local.slice(a, endA),
      remote: remote.slice(b, endB)
    };
    const merged = Private.mergeRegion(region.base, region.local, region.remote);
    if (merged !== null) {
      lines.push(...merged);
    } else {
      conflicted = true;
      lines.push(...(choice === 'remote' ? region.remote : region.local));
      if (choice === 'both') {
        lines.push(...region.remote);
      }
    }
    o = next;
    a = endA;
    b = endB;
  }
  return { lines, conflicted };
}

namespace Private {
  /** For each base line, the index of the same line on the other side, or -1. */
  export function matchFromBase(base: readonly string[], other: readonly string[]): Int32Array {
    const [x, y] = toCodes(base, other);
    const matches = commonSubsequence(x, y);
    const map = new Int32Array(base.length).fill(-1);
    matches.from.forEach((i, k) => {
      map[i] = matches.to[k];
    });
    return map;
  }

  function same(x: readonly string[], y: readonly string[]): boolean {
    return x.length === y.length && x.every((line, i) => line === y[i]);
  }

  /** The merged lines of a region, or null when both sides changed it differently. */
  export function mergeRegion(
    base: readonly string[],
    local: readonly string[],
    remote: readonly string[]
  ): readonly string[] | null {
    if (same(local, base)) {
      return remote;
    }
    if (same(remote, base) || same(local, remote)) {
      return local;
    }
    return null;
  }
}

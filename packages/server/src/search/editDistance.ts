/**
 * The optimal string alignment distance (Levenshtein plus swapping two neighbouring letters, as in "geopandsa"), or
 * `max + 1` as soon as it must exceed `max`: typo tolerance compares a word with many index terms, most of them far
 * (4,000 terms of one first letter for `regresion` at 100,000 notebooks).
 *
 * Only the diagonal band `|i - j| <= max` of the table is computed, in three rows reused from call to call, with every
 * value capped at `max + 1`: a cell outside the band is more than `max` already, and capping is exact for a distance
 * compared with `max` (each step only adds to or takes the least of its neighbours). A table per call, row by row,
 * took most of a typo search's correction time.
 */
export function editDistance(a: string, b: string, max: number): number {
  const over = max + 1;
  if (Math.abs(a.length - b.length) > max) {
    return over;
  }
  const columns = b.length;
  Private.reserve(columns + 1);
  let before = Private.rows[0];
  let previous = Private.rows[1];
  let current = Private.rows[2];
  for (let j = 0; j <= columns; j++) {
    previous[j] = Math.min(j, over);
  }
  for (let i = 1; i <= a.length; i++) {
    const low = Math.max(1, i - max);
    const high = Math.min(columns, i + max);
    current[0] = Math.min(i, over);
    // The cells just outside the band, which the next cells and the next row read.
    current[low - 1] = low - 1 === 0 ? current[0] : over;
    if (high + 1 <= columns) {
      current[high + 1] = over;
    }
    let best = current[0];
    for (let j = low; j <= high; j++) {
      const cost = a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1;
      let value = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost);
      if (
        i > 1 &&
        j > 1 &&
        a.charCodeAt(i - 1) === b.charCodeAt(j - 2) &&
        a.charCodeAt(i - 2) === b.charCodeAt(j - 1)
      ) {
        value = Math.min(value, before[j - 2] + 1);
      }
      current[j] = Math.min(value, over);
      best = Math.min(best, current[j]);
    }
    if (best > max) {
      return over;
    }
    const reused = before;
    before = previous;
    previous = current;
    current = reused;
  }
  return previous[columns];
}

namespace Private {
  /** The three rows of the table (the one before the previous, the previous and the current), grown as needed. */
  export const rows: Int32Array[] = [new Int32Array(64), new Int32Array(64), new Int32Array(64)];

  /** Makes each row hold at least `length` cells. */
  export function reserve(length: number): void {
    if (rows[0].length < length) {
      for (let index = 0; index < rows.length; index++) {
        rows[index] = new Int32Array(length * 2);
      }
    }
  }
}

/**
 * The optimal string alignment distance (Levenshtein plus swapping two neighbouring letters, as in "geopandsa"), or
 * `max + 1` as soon as it must exceed `max`: typo tolerance compares a word with many index terms, most of them far.
 */
export function editDistance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) {
    return max + 1;
  }
  let before = new Array<number>(b.length + 1).fill(0);
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = new Array<number>(b.length + 1).fill(0);
    current[0] = i;
    let best = current[0];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let value = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        value = Math.min(value, before[j - 2] + 1);
      }
      current[j] = value;
      best = Math.min(best, value);
    }
    if (best > max) {
      return max + 1;
    }
    before = previous;
    previous = current;
  }
  return Math.min(previous[b.length], max + 1);
}

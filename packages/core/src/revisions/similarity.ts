import { commonSubsequence, toCodes } from './commonSubsequence';

/**
 * Above this many characters on either side texts are compared line by line: a character diff of two long,
 * different texts costs their length times the number of differences.
 */
const CHARACTER_LIMIT = 1000;

/**
 * How alike two texts are, from 0 to 1, as Python's `difflib.SequenceMatcher.ratio` (which nbdime uses to pair
 * cells): twice the characters they share in order, over their total length. Long texts are compared by lines.
 */
export function similarity(a: string, b: string): number {
  if (a === b) {
    return 1;
  }
  const [x, y] =
    a.length > CHARACTER_LIMIT || b.length > CHARACTER_LIMIT
      ? toCodes(a.split('\n'), b.split('\n'))
      : [Private.characterCodes(a), Private.characterCodes(b)];
  return (2 * commonSubsequence(x, y).from.length) / (x.length + y.length);
}

/**
 * Whether {@link similarity} reaches `threshold`. Texts whose lengths differ too much for that are not compared at
 * all, which keeps pairing the cells of big notebooks quick.
 */
export function isSimilar(a: string, b: string, threshold: number): boolean {
  const shorter = Math.min(a.length, b.length);
  if ((2 * shorter) / (a.length + b.length) < threshold) {
    return false;
  }
  return similarity(a, b) >= threshold;
}

namespace Private {
  export function characterCodes(text: string): Int32Array {
    const codes = new Int32Array(text.length);
    for (let i = 0; i < text.length; i++) {
      codes[i] = text.charCodeAt(i);
    }
    return codes;
  }
}

import { editDistance } from '../../src/search/editDistance';

/**
 * The optimal string alignment distance by its definition: the whole table, no band, no cap. The banded, capped
 * editDistance must agree with it on every pair up to `max`, and say `max + 1` beyond.
 */
function reference(a: string, b: string): number {
  const table = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0))
  );
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      table[i][j] = Math.min(
        table[i - 1][j] + 1,
        table[i][j - 1] + 1,
        table[i - 1][j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1)
      );
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        table[i][j] = Math.min(table[i][j], table[i - 2][j - 2] + 1);
      }
    }
  }
  return table[a.length][b.length];
}

/** A small deterministic generator, so a failure names a pair that can be run again. */
function generator(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

/**
 * A word of up to 12 letters from a small alphabet (so that near words are common) and, paired with it, up to three
 * typos of it (inserted, dropped, replaced or swapped letters) or, one time in five, an unrelated word.
 */
function words(random: () => number): [string, string] {
  const alphabet = 'aeilnorst';
  const letter = () => alphabet[Math.floor(random() * alphabet.length)];
  const word = Array.from({ length: Math.floor(random() * 13) }, letter).join('');
  let typo = word;
  for (let edits = Math.floor(random() * 4); edits > 0; edits--) {
    const at = Math.floor(random() * (typo.length + 1));
    const kind = Math.floor(random() * 4);
    typo =
      kind === 0
        ? typo.slice(0, at) + letter() + typo.slice(at)
        : kind === 1
          ? typo.slice(0, at) + typo.slice(at + 1)
          : kind === 2
            ? typo.slice(0, at) + letter() + typo.slice(at + 1)
            : typo.slice(0, at) + typo.slice(at + 1, at + 2) + typo.slice(at, at + 1) + typo.slice(at + 2);
  }
  return random() < 0.2 ? [word, Array.from({ length: Math.floor(random() * 13) }, letter).join('')] : [word, typo];
}

describe('editDistance', () => {
  it('agrees with the full table on every pair up to the limit, and says limit + 1 past it', () => {
    const random = generator(2026);
    for (let round = 0; round < 20_000; round++) {
      const [a, b] = words(random);
      const exact = reference(a, b);
      for (const max of [0, 1, 2, 3]) {
        const expected = Math.min(exact, max + 1);
        if (editDistance(a, b, max) !== expected) {
          throw new Error(`editDistance("${a}", "${b}", ${max}) is ${editDistance(a, b, max)}, not ${expected}`);
        }
      }
    }
  });

  it('reuses its rows safely between a long pair and a short one', () => {
    expect(editDistance('statisticallly', 'statistically', 2)).toBe(1);
    expect(editDistance('ab', 'ba', 2)).toBe(1);
    expect(editDistance('', 'ab', 2)).toBe(2);
    expect(editDistance('abc', '', 2)).toBe(3);
    expect(editDistance('x'.repeat(300), 'x'.repeat(299) + 'y', 2)).toBe(1);
    expect(editDistance('kernal', 'kernel', 1)).toBe(1);
  });
});

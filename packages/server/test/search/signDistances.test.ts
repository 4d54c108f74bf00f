import { SignDistances } from '../../src/search/embedding/signDistances';

/*
 * The sign pass's WebAssembly function against a count in JavaScript: every slot, several widths (one word, whole
 * words, a part word), across the memory's growth and a change of dimensions.
 */

function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 4294967296;
  };
}

function differing(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let count = 0;
  for (let d = 0; d < a.length; d++) {
    if (a[d] > 0 !== b[d] > 0) {
      count++;
    }
  }
  return count;
}

describe('SignDistances', () => {
  it('counts the signs that differ from the query, for every slot, at any width and after growing', () => {
    const next = random(11);
    const signs = new SignDistances();
    for (const dimensions of [4, 64, 100, 384]) {
      signs.reset(dimensions);
      // More than the first allocation (1,024 slots), so the memory grows while slots are written.
      const vectors = Array.from({ length: 3_000 }, () =>
        Float32Array.from({ length: dimensions }, () => next() - 0.5)
      );
      vectors.forEach((vector, slot) => signs.set(slot, vector));
      // A slot written again replaces its bits.
      vectors[7] = vectors[7].map(value => -value);
      signs.set(7, vectors[7]);
      for (let q = 0; q < 3; q++) {
        const query = Float32Array.from({ length: dimensions }, () => next() - 0.5);
        const expected = Uint16Array.from(vectors, vector => differing(vector, query));
        expect(signs.distances(query, vectors.length)).toEqual(expected);
        expect(signs.distances(query, 10)).toEqual(expected.slice(0, 10));
      }
    }
    expect(signs.distances(new Float32Array(384), 0)).toEqual(new Uint16Array(0));
  });
});

import { QUERY_UNIT, VectorDots } from '../../src/search/embedding/vectorDots';

/*
 * The SIMD dot products against a sum in JavaScript: any slots in any order, widths that are and are not a multiple
 * of 16, the extremes of int8 and int16 (no overflow at 384 dimensions), across the memory's growth.
 */

function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 4294967296;
  };
}

describe('VectorDots', () => {
  it('gives the dot product of each chosen slot with the int16 query', () => {
    const next = random(5);
    for (const dimensions of [4, 16, 100, 384]) {
      const dots = new VectorDots(dimensions);
      const vectors = Array.from({ length: 2_500 }, (_, slot) =>
        Int8Array.from({ length: dimensions }, () => (slot === 0 ? -127 : Math.round(254 * next() - 127)))
      );
      vectors.forEach((vector, slot) => dots.set(slot, vector));
      for (const query of [
        Int16Array.from({ length: dimensions }, () => Math.round(2 * QUERY_UNIT * next() - QUERY_UNIT)),
        new Int16Array(dimensions).fill(-QUERY_UNIT)
      ]) {
        const slots = Int32Array.from({ length: 700 }, (_, i) => (i * 997 + 3) % vectors.length);
        slots[0] = 0;
        const expected = Int32Array.from(slots, slot =>
          vectors[slot].reduce((sum, value, d) => sum + value * query[d], 0)
        );
        expect(dots.dots(query, slots)).toEqual(expected);
      }
      expect(dots.dots(new Int16Array(dimensions), new Int32Array(0))).toEqual(new Int32Array(0));
    }
  });
});

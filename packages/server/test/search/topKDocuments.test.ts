import { heldImpactsReader, packImpacts, unpackImpacts } from '../../src/repositories/topKDocuments';

/*
 * The packed impacts a search reads for every candidate: the reader must find exactly the query's terms, whatever
 * the term ids (across bitmap words, above the largest asked) and wherever the buffer sits in memory.
 */
describe('packed impacts', () => {
  const pairs = new Map<number, number>([
    [0, 7],
    [31, 1],
    [32, 2],
    [1_000_003, 123_456],
    [65, 4_000_000_000],
    [900, 9]
  ]);

  it('round-trips every pair', () => {
    const back = new Map<number, number>();
    unpackImpacts(packImpacts(pairs), (id, impact) => back.set(id, impact));
    expect(back).toEqual(pairs);
  });

  it("reads only the query's terms, including ids at the edges of the bitmap's words", () => {
    const read = heldImpactsReader(new Set([0, 32, 65, 64, 899]));
    expect(read(packImpacts(pairs))).toEqual(
      new Map([
        [0, 7],
        [32, 2],
        [65, 4_000_000_000]
      ])
    );
  });

  it('finds nothing in a notebook that holds none of the terms, and terms above the largest asked are skipped', () => {
    expect(heldImpactsReader(new Set([5, 6]))(packImpacts(pairs)).size).toBe(0);
    expect(heldImpactsReader(new Set<number>())(packImpacts(pairs)).size).toBe(0);
  });

  it('reads a buffer that starts at an odd offset of its memory', () => {
    const packed = packImpacts(pairs);
    const backing = Buffer.alloc(packed.length + 3);
    packed.copy(backing, 3);
    const unaligned = backing.subarray(3);
    expect(unaligned.byteOffset % 4).not.toBe(0);
    expect(heldImpactsReader(new Set([31, 1_000_003]))(unaligned)).toEqual(
      new Map([
        [31, 1],
        [1_000_003, 123_456]
      ])
    );
  });
});

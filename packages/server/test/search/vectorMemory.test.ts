import { FIRST_BATCH, nextBatch, VectorMemory } from '../../src/search/embedding/vectorMemory';
import { seededRandom as random } from '../../bench/seededRandom';

/*
 * The in-memory vector search (VectorMemory.rank): what a ranking gives, batch by batch, against a reference computed
 * here by brute force. Each notebook's two vectors are the same int8 vector with a largest magnitude of 127, so the
 * blended int8 vector the memory keeps is that vector and its exact score is dot(query, v) / |v|.
 */

const DIMENSIONS = 64;
const MIN_SCORE = 0.15;

/** `v` scaled so its largest magnitude is 127, as int8. */
function int8(v: number[]): Int8Array {
  const max = Math.max(...v.map(Math.abs));
  return Int8Array.from(v, value => Math.round((127 * value) / max));
}

interface IGenerated {
  memory: VectorMemory;
  vectors: Map<number, Int8Array>;
  queries: Float32Array[];
}

/**
 * `size` notebooks as noisy copies of 40 directions that share a part (like real embeddings: many near one another),
 * seqs 1 to size, and queries near some of the directions.
 */
function generate(size: number, seed: number, planted = 0): IGenerated {
  const next = random(seed);
  const gaussian = () => Math.sqrt(-2 * Math.log(next() + 1e-12)) * Math.cos(2 * Math.PI * next());
  // Real embeddings share a direction (most pairs score above 0.15), and gather in topics.
  const common = Array.from({ length: DIMENSIONS }, gaussian);
  const directions = Array.from({ length: 40 }, () =>
    Array.from({ length: DIMENSIONS }, (_, d) => common[d] + gaussian())
  );
  const queries = Array.from({ length: 6 }, (_, i) => {
    const q = directions[(7 * i) % directions.length].map(value => value + 0.5 * gaussian());
    const norm = Math.hypot(...q);
    return Float32Array.from(q, value => value / norm);
  });
  const memory = new VectorMemory();
  const vectors = new Map<number, Int8Array>();
  for (let seq = 1; seq <= size; seq++) {
    let vector: Int8Array;
    if (seq > size - planted) {
      // Near a query in angle, far from it in signs: the query's larger half of dimensions (a little noise), and on
      // each of the others a small value of the other sign.
      const query = queries[seq % queries.length];
      const large = [...query].map(Math.abs).sort((a, b) => b - a)[DIMENSIONS / 2];
      vector = int8(
        [...query].map(value => (Math.abs(value) > large ? value + 0.02 * gaussian() : -0.02 * Math.sign(value)))
      );
    } else {
      const direction = directions[seq % directions.length];
      vector = int8(direction.map(value => value + 0.8 * gaussian()));
    }
    vectors.set(seq, vector);
    memory.set(seq, vector, vector, seq);
  }
  return { memory, vectors, queries };
}

function exactScore(query: Float32Array, vector: Int8Array): number {
  let dot = 0;
  let norm = 0;
  for (let d = 0; d < vector.length; d++) {
    dot += query[d] * vector[d];
    norm += vector[d] * vector[d];
  }
  return dot / Math.sqrt(norm);
}

/** Every notebook scoring at least MIN_SCORE among `seqs`, best first (ties by seq, which is slot order here). */
function bruteForce(query: Float32Array, vectors: Map<number, Int8Array>, seqs: Iterable<number>) {
  return [...seqs]
    .map(seq => ({ seq, score: exactScore(query, vectors.get(seq) ?? new Int8Array(0)) }))
    .filter(entry => entry.score >= MIN_SCORE)
    .sort((a, b) => b.score - a.score || a.seq - b.seq);
}

/** The notebooks whose signs differ least from the query's: whole distances until `count` are in (the sign pass). */
function signShortlist(query: Float32Array, vectors: Map<number, Int8Array>, count: number): number[] {
  const distance = (vector: Int8Array) => vector.filter((value, d) => value > 0 !== query[d] > 0).length;
  const byDistance = [...vectors].map(([seq, vector]) => ({ seq, distance: distance(vector) }));
  for (let limit = 0; ; limit++) {
    const within = byDistance.filter(entry => entry.distance < limit);
    if (within.length >= count || within.length === byDistance.length) {
      return within.map(entry => entry.seq);
    }
  }
}

/** Reads a ranking to its end in batches that grow as a search's do. */
function readAll(memory: VectorMemory, query: Float32Array) {
  const ranking = memory.rank(query, MIN_SCORE);
  const batches: { seq: number; score: number }[][] = [];
  for (let count = FIRST_BATCH; ; count *= 2) {
    const batch = ranking.next(count);
    if (batch.length === 0) {
      return batches;
    }
    batches.push(batch);
  }
}

describe('VectorMemory.rank', () => {
  it('gives every notebook above the least score, best first, by exact score in a gallery of up to 10,000', () => {
    const { memory, vectors, queries } = generate(2_000, 1);
    for (const query of queries) {
      const expected = bruteForce(query, vectors, vectors.keys());
      expect(expected.length).toBeGreaterThan(3 * FIRST_BATCH);
      const ranking = memory.rank(query, MIN_SCORE);
      const got = [...ranking.next(FIRST_BATCH), ...ranking.next(2 * FIRST_BATCH), ...ranking.next(expected.length)];
      expect(got.map(entry => entry.seq)).toEqual(expected.map(entry => entry.seq));
      for (const [i, entry] of got.entries()) {
        // The scale is kept as a float32: scores agree to about 1e-7.
        expect(entry.score).toBeCloseTo(expected[i].score, 6);
      }
      expect(ranking.next(10)).toEqual([]);
    }
  });

  it('gives first, above 10,000, the best by exact score of the 30 per wanted nearest by signs', () => {
    const { memory, vectors, queries } = generate(20_000, 2);
    for (const query of queries) {
      const shortlist = signShortlist(query, vectors, 30 * FIRST_BATCH);
      // The sign pass is what limits the scoring: far fewer than all are scored, so the test can tell.
      expect(shortlist.length).toBeLessThan(vectors.size / 2);
      const expected = bruteForce(query, vectors, shortlist).slice(0, FIRST_BATCH);
      expect(
        memory
          .rank(query, MIN_SCORE)
          .next(FIRST_BATCH)
          .map(entry => entry.seq)
      ).toEqual(expected.map(entry => entry.seq));
    }
  });

  it('gives each notebook once over the batches, none dropped when a wider front finds a better one', () => {
    const { memory, vectors, queries } = generate(12_000, 3, 60);
    let foundLater = 0;
    for (const query of queries) {
      const batches = readAll(memory, query);
      const seqs = batches.flat().map(entry => entry.seq);
      expect(new Set(seqs).size).toBe(seqs.length);
      expect([...seqs].sort((a, b) => a - b)).toEqual(
        bruteForce(query, vectors, vectors.keys())
          .map(entry => entry.seq)
          .sort((a, b) => a - b)
      );
      for (const batch of batches) {
        const scores = batch.map(entry => entry.score);
        expect(scores).toEqual([...scores].sort((a, b) => b - a));
      }
      // A later batch holding a notebook above the last of the first: what a skip over a re-ranked list dropped.
      const firstLast = batches[0][batches[0].length - 1].score;
      foundLater += batches
        .slice(1)
        .flat()
        .filter(entry => entry.score > firstLast).length;
    }
    // The generated gallery has such notebooks, so the test checks the case it is about.
    expect(foundLater).toBeGreaterThan(0);
  });

  it('keeps reading the vectors it started with when the memory grows between batches', () => {
    const { memory, vectors, queries } = generate(11_000, 4);
    const ranking = memory.rank(queries[0], MIN_SCORE);
    const first = ranking.next(10);
    // Notebooks added after the ranking started, each the query itself: they would come first if it saw them.
    const v = int8(Array.from(queries[0]));
    for (let seq = 11_001; seq <= 13_000; seq++) {
      memory.set(seq, v, v, seq);
    }
    const seqs = [...first, ...ranking.next(20_000)].map(entry => entry.seq);
    expect(seqs.sort((a, b) => a - b)).toEqual(
      bruteForce(queries[0], vectors, vectors.keys())
        .map(entry => entry.seq)
        .sort((a, b) => a - b)
    );
    expect(memory.rank(queries[0], MIN_SCORE).next(1)[0].seq).toBeGreaterThan(11_000);
  });

  it('ranks by the exact score where the int16 estimate of the query orders two notebooks the other way', () => {
    // The query's second and fourth values are under one int16 step of its largest (1 / 32767): 0.4 of a step rounds
    // to 0 and 0.6 to 1, so the estimate ranks "b" (60 on the fourth) above "a" (127 on the second), while exactly
    // "a" scores 127 x 0.4 = 50.8 steps to "b"'s 60 x 0.6 = 36. Both have the same norm and largest value.
    const step = 1 / 32767;
    const query = new Float32Array(16);
    query[0] = 1;
    query[1] = 0.4 * step;
    query[3] = 0.6 * step;
    const memory = new VectorMemory();
    const vector = (values: number[]) => Int8Array.from({ length: 16 }, (_, d) => values[d] ?? 0);
    const best = vector([127]);
    const a = vector([100, 127, 60, 0]);
    const b = vector([100, 0, 127, 60]);
    for (let seq = 1; seq <= 400; seq++) {
      const v = seq <= 200 ? best : seq % 2 === 0 ? a : b;
      memory.set(seq, v, v, seq);
    }
    const ranking = memory.rank(query, MIN_SCORE);
    expect(ranking.next(200).map(entry => entry.seq)).toEqual(Array.from({ length: 200 }, (_, i) => i + 1));
    const evens = Array.from({ length: 100 }, (_, i) => 202 + 2 * i);
    expect(ranking.next(100).map(entry => entry.seq)).toEqual(evens);
  });

  it('gives nothing for a query of other dimensions or an empty memory', () => {
    const { memory } = generate(100, 5);
    expect(memory.rank(new Float32Array(DIMENSIONS + 1).fill(0.1), 0).next(10)).toEqual([]);
    expect(new VectorMemory().rank(new Float32Array(DIMENSIONS), 0).next(10)).toEqual([]);
  });
});

describe('nextBatch', () => {
  it('starts with FIRST_BATCH, takes four times more when none passed, else twice what the pass rate asks for', () => {
    expect(nextBatch(0, 0, 20)).toBe(FIRST_BATCH);
    expect(nextBatch(200, 0, 20)).toBe(800);
    // A reader of a tenth who found 15 of 20 in the first 200: 2 x 5 x 200 / 15 = 134.
    expect(nextBatch(200, 15, 5)).toBe(134);
    // One missing after 19 of 200: at least a quarter of FIRST_BATCH.
    expect(nextBatch(200, 19, 1)).toBe(FIRST_BATCH / 4);
    // Two of 200 passed, 18 wanted: 3,600 by the rate, at most four times as many as checked.
    expect(nextBatch(200, 2, 18)).toBe(800);
    expect(nextBatch(1_000, 40, 10)).toBe(500);
  });
});

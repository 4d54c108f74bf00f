/*
 * The in-memory copy of the notebooks' embeddings that a meaning search scores by brute force, shared by the SQLite
 * and PostgreSQL embedding repositories (each process or read worker keeps its own, refreshed from the table).
 */

/**
 * How much the metadata embedding counts against the cells' one: a title says what a notebook is about in few words,
 * the cells in many. Tuned on the evaluation for all-MiniLM-L6-v2: 0.6 kept title, word and prefix as they were and
 * lifted typos (0.853 to 0.877 MRR against 0.5) with paraphrases and the held-out queries unchanged; 0.65 lost a
 * title, 0.35 a typo.
 */
export const METADATA_SHARE = 0.6;

/**
 * Each notebook's blended vector (METADATA_SHARE of the unit metadata vector plus the rest of the unit cells'
 * vector: its dot product with a unit query is exactly the blended cosine), as int8 with its scale, in one array.
 * 100,000 notebooks take 26 MB.
 */
export class VectorMemory {
  version = 0;
  private _dimensions = 0;
  private _vectors = new Int8Array(0);
  private _scales = new Float32Array(0);
  /** The signs of each blended vector, one bit per dimension: a first pass over 32 bytes per notebook. */
  private _bits = new Uint32Array(0);
  private _seqs: number[] = [];
  private readonly _slots = new Map<number, number>();

  set(seq: number, metadata: Int8Array, text: Int8Array, version: number): void {
    this.version = Math.max(this.version, version);
    const dimensions = metadata.length;
    if (this._dimensions !== dimensions) {
      this._dimensions = dimensions;
      this._vectors = new Int8Array(0);
      this._scales = new Float32Array(0);
      this._bits = new Uint32Array(0);
      this._seqs = [];
      this._slots.clear();
    }
    let slot = this._slots.get(seq);
    if (slot === undefined) {
      slot = this._seqs.length;
      this._seqs.push(seq);
      this._slots.set(seq, slot);
      if (slot >= this._scales.length) {
        const capacity = Math.max(1024, this._scales.length * 2);
        const vectors = new Int8Array(capacity * dimensions);
        vectors.set(this._vectors);
        this._vectors = vectors;
        const scales = new Float32Array(capacity);
        scales.set(this._scales);
        this._scales = scales;
        const bits = new Uint32Array(capacity * words(dimensions));
        bits.set(this._bits);
        this._bits = bits;
      }
    }
    const blended = new Float32Array(dimensions);
    const m = METADATA_SHARE / (norm(metadata) || 1);
    const t = (1 - METADATA_SHARE) / (norm(text) || 1);
    let max = 0;
    for (let d = 0; d < dimensions; d++) {
      blended[d] = m * metadata[d] + t * text[d];
      max = Math.max(max, Math.abs(blended[d]));
    }
    const scale = max === 0 ? 0 : 127 / max;
    for (let d = 0; d < dimensions; d++) {
      this._vectors[slot * dimensions + d] = Math.round(blended[d] * scale);
    }
    this._scales[slot] = max === 0 ? 0 : max / 127;
    this._bits.set(signBits(blended), slot * words(dimensions));
  }

  /**
   * The `count` best notebooks scoring at least `minScore` after the first `skip`, best first: every vector is
   * scored, and only those above the `skip + count`-th score so far are kept and sorted.
   */
  best(query: Float32Array, minScore: number, skip: number, count: number): { seq: number; score: number }[] {
    const dimensions = this._dimensions;
    if (query.length !== dimensions) {
      return [];
    }
    const want = skip + count;
    const vectors = this._vectors;
    let kept: { seq: number; score: number }[] = [];
    let floor = minScore;
    for (const slot of this._shortlist(query, PRESCORED_PER_WANTED * want)) {
      let dot = 0;
      const base = slot * dimensions;
      for (let d = 0; d < dimensions; d++) {
        dot += query[d] * vectors[base + d];
      }
      const score = dot * this._scales[slot];
      if (score >= floor) {
        kept.push({ seq: this._seqs[slot], score });
        if (kept.length >= 4 * want) {
          kept = kept.sort((a, b) => b.score - a.score).slice(0, want);
          floor = kept[kept.length - 1].score;
        }
      }
    }
    return kept.sort((a, b) => b.score - a.score).slice(skip, want);
  }

  get size(): number {
    return this._seqs.length;
  }

  /**
   * The slots worth scoring exactly: all of them in a small gallery; else about `count` whose signs differ least
   * from the query's (Hamming distance, counted per distance so no sort is needed). The signs of a vector keep
   * most of its angle, so the best by cosine are among them; this is the one approximation of the search.
   */
  private _shortlist(query: Float32Array, count: number): Iterable<number> {
    const size = this._seqs.length;
    if (size <= Math.max(count, SHORTLIST_FROM)) {
      return Array.from({ length: size }, (_, slot) => slot);
    }
    const perSlot = words(this._dimensions);
    const target = signBits(query);
    const distances = new Uint16Array(size);
    const histogram = new Uint32Array(this._dimensions + 1);
    for (let slot = 0; slot < size; slot++) {
      let distance = 0;
      for (let w = 0; w < perSlot; w++) {
        distance += popcount(this._bits[slot * perSlot + w] ^ target[w]);
      }
      distances[slot] = distance;
      histogram[distance]++;
    }
    let limit = 0;
    for (let total = 0; limit < histogram.length && total < count; limit++) {
      total += histogram[limit];
    }
    const slots: number[] = [];
    for (let slot = 0; slot < size; slot++) {
      if (distances[slot] < limit) {
        slots.push(slot);
      }
    }
    return slots;
  }
}

/** Galleries up to this many notebooks are scored exactly, every vector. */
const SHORTLIST_FROM = 10_000;
/** Notebooks scored exactly per notebook wanted, after the sign pass. */
const PRESCORED_PER_WANTED = 30;

function words(dimensions: number): number {
  return Math.ceil(dimensions / 32);
}

function signBits(vector: ArrayLike<number>): Uint32Array {
  const bits = new Uint32Array(words(vector.length));
  for (let d = 0; d < vector.length; d++) {
    if (vector[d] > 0) {
      bits[d >> 5] |= 1 << (d & 31);
    }
  }
  return bits;
}

function popcount(value: number): number {
  let v = value - ((value >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return (((v + (v >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}

function norm(vector: Int8Array): number {
  let sum = 0;
  for (const value of vector) {
    sum += value * value;
  }
  return Math.sqrt(sum);
}

import { SignDistances } from './signDistances';
import { QUERY_UNIT, VectorDots } from './vectorDots';

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
 * 100,000 notebooks take 38 MB with 384 dimensions.
 */
export class VectorMemory {
  version = 0;
  private _dimensions = 0;
  private _vectors = new VectorDots(0);
  private _scales = new Float32Array(0);
  /** The signs of each blended vector, one bit per dimension: a first pass over 48 bytes per notebook at 384. */
  private readonly _signs = new SignDistances();
  private _seqs: number[] = [];
  private readonly _slots = new Map<number, number>();

  set(seq: number, metadata: Int8Array, text: Int8Array, version: number): void {
    this.version = Math.max(this.version, version);
    const dimensions = metadata.length;
    if (this._dimensions !== dimensions) {
      this._dimensions = dimensions;
      // A new memory, not the old one cleared: a ranking that started before keeps reading what it started with.
      this._vectors = new VectorDots(dimensions);
      this._scales = new Float32Array(0);
      this._signs.reset(dimensions);
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
        const scales = new Float32Array(capacity);
        scales.set(this._scales);
        this._scales = scales;
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
    this._vectors.set(
      slot,
      blended.map(value => Math.round(value * scale))
    );
    this._scales[slot] = max === 0 ? 0 : max / 127;
    this._signs.set(slot, blended);
  }

  /**
   * The notebooks scoring at least `minScore` for `query`, read best first a batch at a time ({@link VectorRanking}).
   * The sign pass runs once here, so the rounds of a search that checks the read rule reuse it.
   */
  rank(query: Float32Array, minScore: number): VectorRanking {
    const size = this._seqs.length;
    if (query.length !== this._dimensions || size === 0) {
      return new VectorRanking(query, minScore, this._snapshot(0), null);
    }
    const snapshot = this._snapshot(size);
    if (size <= SHORTLIST_FROM) {
      return new VectorRanking(query, minScore, snapshot, null);
    }
    return new VectorRanking(query, minScore, snapshot, this._signDistances(query, size));
  }

  get size(): number {
    return this._seqs.length;
  }

  /**
   * What a ranking reads: the first `size` slots as they are now. A later `set` that grows the memory keeps them in
   * place (VectorDots) or copies them (the scales, the seqs only grow), and one of other dimensions starts new ones,
   * so a ranking between two rounds of a search reads the slots it started with; one `set` again meanwhile may be
   * read with its new vector, as any search after it would.
   */
  private _snapshot(size: number): IVectorSnapshot {
    return { size, dimensions: this._dimensions, vectors: this._vectors, scales: this._scales, seqs: this._seqs };
  }

  /**
   * How many of each slot's signs differ from the query's (Hamming distance), and how many slots are at each
   * distance. The signs of a vector keep most of its angle, so the best by cosine are among the nearest by signs;
   * scoring only those exactly is the one approximation of the search.
   */
  private _signDistances(query: Float32Array, size: number): ISignDistances {
    const distances = this._signs.distances(query, size);
    const counts = new Uint32Array(this._dimensions + 1);
    for (let slot = 0; slot < size; slot++) {
      counts[distances[slot]]++;
    }
    return { distances, counts };
  }
}

/** Each slot's sign distance to a query, and how many slots are at each distance. */
interface ISignDistances {
  distances: Uint16Array;
  counts: Uint32Array;
}

/** The arrays of a {@link VectorMemory} a ranking reads, as they were when it started. */
interface IVectorSnapshot {
  size: number;
  dimensions: number;
  vectors: VectorDots;
  scales: Float32Array;
  seqs: number[];
}

/**
 * One query's ranking over the memory, read with `next` a batch at a time: each notebook at most once, best first by
 * exact score within a batch. The sign distances are computed once; each batch widens the front of slots considered
 * (whole distance bands, about {@link PRESCORED_PER_WANTED} per notebook read so far) and takes the best not yet
 * given, so its first batch is what scoring that front exactly and sorting it gives, and a later batch may hold a
 * notebook that the wider front found above one given before (it is given then, never dropped). The front is
 * estimated with an int16 query (VectorDots, sixteen products a step) and only the slots whose estimate is within
 * its error of the cut are scored exactly.
 */
export class VectorRanking {
  /** Slots at a sign distance below this are scored (all of them when there are no distances). */
  private _band = 0;
  private _scored = 0;
  /**
   * Not given yet and maybe at least minScore: slots and their estimated scores (or exact, once computed), `_pooled`
   * of them.
   */
  private _poolSlots = new Int32Array(0);
  private _poolScores = new Float64Array(0);
  private _pooled = 0;
  private _given = 0;

  constructor(
    query: Float32Array,
    private readonly _minScore: number,
    private readonly _memory: IVectorSnapshot,
    /** Null when every slot is scored exactly (a small gallery). */
    private readonly _signs: ISignDistances | null
  ) {
    this._query = Float64Array.from(query);
    let largest = 0;
    for (const value of query) {
      largest = Math.max(largest, Math.abs(value));
    }
    this._unit = largest / QUERY_UNIT;
    this._query16 = Int16Array.from(query, value => (largest === 0 ? 0 : Math.round(value / this._unit)));
    // The estimate differs from the exact score by scale x sum of (q - q16 x unit) x v: at most unit / 2 x the sum of
    // |scale x v|, which is at most the square root of the dimensions times |scale x v| (the blended vector, of norm
    // at most 1, plus its rounding to int8, at most 0.5 x scale <= 0.5 / 127 per dimension). The rest is a margin for
    // the rounding of doubles, far below the first part.
    const dimensions = query.length;
    this._slack = (this._unit / 2) * Math.sqrt(dimensions) * (1 + (0.5 / 127) * Math.sqrt(dimensions)) + 1e-9;
  }

  /** The query as doubles (exactly its float32 values): no conversion per product. */
  private readonly _query: Float64Array;
  /** The query scaled to int16 (`_query16 x _unit` is about the query), for the estimate. */
  private readonly _query16: Int16Array;
  private readonly _unit: number;
  /** More than an estimated score can differ from the exact one. */
  private readonly _slack: number;

  /** The next `count` notebooks (fewer when none above the least score is left), best first. */
  next(count: number): { seq: number; score: number }[] {
    if (count <= 0) {
      return [];
    }
    this._widen(PRESCORED_PER_WANTED * (this._given + count));
    const taken = this._takeBest(count);
    this._given += taken.length;
    const seqs = this._memory.seqs;
    return taken.map(({ slot, score }) => ({ seq: seqs[slot], score }));
  }

  /**
   * Scores exactly the slots of the next sign distances until at least `wanted` are scored, whole distances at a
   * time (every slot for a small gallery).
   */
  private _widen(wanted: number): void {
    const { size } = this._memory;
    if (this._scored >= size) {
      return;
    }
    if (this._signs === null) {
      this._score(Int32Array.from({ length: size }, (_, slot) => slot));
      this._scored = size;
      return;
    }
    const { distances, counts } = this._signs;
    const from = this._band;
    let scored = this._scored;
    let band = from;
    while (band < counts.length && scored < Math.min(wanted, size)) {
      scored += counts[band++];
    }
    const slots = new Int32Array(scored - this._scored);
    for (let slot = 0, at = 0; slot < size; slot++) {
      const distance = distances[slot];
      if (distance >= from && distance < band) {
        slots[at++] = slot;
      }
    }
    this._score(slots);
    this._band = band;
    this._scored = scored;
  }

  /**
   * Estimates each slot's blended cosine from the int16 query (VectorDots, sixteen products a step); the slots whose
   * estimate leaves them a chance of the least score join the pool, their exact score computed when they may be taken.
   */
  private _score(slots: Int32Array): void {
    const { vectors, scales } = this._memory;
    const dots = vectors.dots(this._query16, slots);
    const floor = this._minScore - this._slack;
    const unit = this._unit;
    if (this._pooled + slots.length > this._poolSlots.length) {
      const capacity = this._pooled + slots.length;
      const pooledSlots = new Int32Array(capacity);
      pooledSlots.set(this._poolSlots.subarray(0, this._pooled));
      this._poolSlots = pooledSlots;
      const pooledScores = new Float64Array(capacity);
      pooledScores.set(this._poolScores.subarray(0, this._pooled));
      this._poolScores = pooledScores;
    }
    const poolSlots = this._poolSlots;
    const poolScores = this._poolScores;
    let pooled = this._pooled;
    for (let i = 0; i < slots.length; i++) {
      const slot = slots[i];
      const estimate = dots[i] * unit * scales[slot];
      if (estimate >= floor) {
        poolSlots[pooled] = slot;
        poolScores[pooled] = estimate;
        pooled++;
      }
    }
    this._pooled = pooled;
  }

  /**
   * The exact blended cosine of a slot: the dot product of its int8 vector with the query, summed one product at a
   * time in the order of the dimensions, times its scale, as the search has always scored.
   */
  private _exact(slot: number, vectors: Int8Array): number {
    const { dimensions } = this._memory;
    const stride = this._memory.vectors.stride;
    const query = this._query;
    const base = slot * stride;
    let dot = 0;
    for (let d = 0; d < dimensions; d++) {
      dot += query[d] * vectors[base + d];
    }
    return dot * this._memory.scales[slot];
  }

  /**
   * Takes the `count` best of the pool out of it by exact score, best first, ties by slot. The count-th best estimate
   * is found on a sorted copy of the estimates; only the slots estimated within twice the slack of it are scored
   * exactly (the `count` at or above it score at least that less the slack, every slot below more than the slack
   * under it, so the best `count` are among them). Those not taken go back to the pool with their exact score.
   */
  private _takeBest(count: number): { slot: number; score: number }[] {
    const pooled = this._pooled;
    const slots = this._poolSlots;
    const scores = this._poolScores;
    let near = -Infinity;
    if (pooled > count) {
      near = scores.slice(0, pooled).sort()[pooled - count] - 2 * this._slack;
    }
    const vectors = this._memory.vectors.vectors();
    const exact: { slot: number; score: number }[] = [];
    let kept = 0;
    for (let i = 0; i < pooled; i++) {
      if (scores[i] >= near) {
        const score = this._exact(slots[i], vectors);
        if (score >= this._minScore) {
          exact.push({ slot: slots[i], score });
        }
      } else {
        slots[kept] = slots[i];
        scores[kept] = scores[i];
        kept++;
      }
    }
    exact.sort((a, b) => b.score - a.score || a.slot - b.slot);
    for (const { slot, score } of exact.slice(count)) {
      slots[kept] = slot;
      scores[kept] = score;
      kept++;
    }
    this._pooled = kept;
    return exact.slice(0, count);
  }
}

/** Candidates a search checks against the read rule at first. */
export const FIRST_BATCH = 200;

/**
 * How many candidates a search takes next from its ranking, having checked `checked` against the read rule and
 * filters of which `passed` passed, to find `wanted` more: twice what the pass rate so far says (at least a quarter
 * of {@link FIRST_BATCH}), or four times as many as checked when none passed. Each candidate taken widens the exactly
 * scored front by {@link PRESCORED_PER_WANTED}, so a reader who may read a tenth should not take four times more
 * when a few are missing: that scored 24,000 more vectors at 100,000 notebooks for the last two or three.
 */
export function nextBatch(checked: number, passed: number, wanted: number): number {
  if (checked === 0) {
    return FIRST_BATCH;
  }
  if (passed === 0) {
    return 4 * checked;
  }
  return Math.min(4 * checked, Math.max(FIRST_BATCH / 4, Math.ceil((2 * wanted * checked) / passed)));
}

/** Galleries up to this many notebooks are scored exactly, every vector. */
const SHORTLIST_FROM = 10_000;
/** Notebooks scored exactly per notebook wanted, after the sign pass. */
const PRESCORED_PER_WANTED = 30;

function norm(vector: Int8Array): number {
  let sum = 0;
  for (const value of vector) {
    sum += value * value;
  }
  return Math.sqrt(sum);
}

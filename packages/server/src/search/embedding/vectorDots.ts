/*
 * The int8 vectors of a VectorMemory in WebAssembly memory, and a SIMD estimate of their dot products with a query
 * quantized to int16. JavaScript scores one product at a time (about 4.5 ms of CPU for the 6,300 vectors a search
 * at 100,000 notebooks scores); this function does sixteen per step (about 0.4 ms). The estimate only chooses which
 * vectors to score exactly (see VectorRanking): every score a search gives is still the exact one.
 */

/**
 * The module, hand-assembled (`test/search/vectorDots.test.ts` checks it against a sum in JavaScript). Its text:
 *
 *   (module
 *     (memory (export "memory") 1)
 *     (func (export "dots") (param $vectors i32) (param $stride i32) (param $query i32) (param $slots i32)
 *         (param $count i32) (param $out i32) (local $i i32) (local $at i32) (local $d i32) (local $sum v128)
 *         (local $v v128)
 *       (block $done
 *         (br_if $done (i32.eqz (local.get $count)))
 *         (loop $each
 *           (local.set $at (i32.add (local.get $vectors) (i32.mul (i32.load (i32.add (local.get $slots)
 *             (i32.shl (local.get $i) (i32.const 2)))) (local.get $stride))))
 *           (local.set $sum (v128.const i32x4 0 0 0 0))
 *           (local.set $d (i32.const 0))
 *           (loop $sixteen
 *             (local.set $v (v128.load (i32.add (local.get $at) (local.get $d))))
 *             (local.set $sum (i32x4.add
 *               (i32x4.add (local.get $sum) (i32x4.dot_i16x8_s (i16x8.extend_low_i8x16_s (local.get $v))
 *                 (v128.load (i32.add (local.get $query) (i32.shl (local.get $d) (i32.const 1))))))
 *               (i32x4.dot_i16x8_s (i16x8.extend_high_i8x16_s (local.get $v))
 *                 (v128.load offset=16 (i32.add (local.get $query) (i32.shl (local.get $d) (i32.const 1)))))))
 *             (br_if $sixteen (i32.lt_u (local.tee $d (i32.add (local.get $d) (i32.const 16))) (local.get $stride))))
 *           (i32.store (i32.add (local.get $out) (i32.shl (local.get $i) (i32.const 2)))
 *             (i32.add (i32.add (i32.add (i32x4.extract_lane 0 (local.get $sum)) (i32x4.extract_lane 1 (local.get $sum)))
 *               (i32x4.extract_lane 2 (local.get $sum))) (i32x4.extract_lane 3 (local.get $sum))))
 *           (br_if $each (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (local.get $count))))))
 *
 * `dots(vectors, stride, query, slots, count, out)`: for each of `count` slots (int32 at byte `slots`), the dot
 * product of its `stride` int8 values (from byte `vectors + slot * stride`; stride a multiple of 16) with the `stride`
 * int16 values at byte `query`, as int32 from byte `out`. With |query| <= 32767 and |vector| <= 127 a lane's sum
 * stays within int32 up to 2,048 dimensions.
 */
const MODULE = new WebAssembly.Module(
  Buffer.from(
    'AGFzbQEAAAABCgFgBn9/f39/fwADAgEABQMBAAEHEQIGbWVtb3J5AgAEZG90cwAACrkBAbYBAgN/AnsCQCAERQ0AA0AgACADIAZBAnRqKAIAIAFsaiEH' +
      '/QwAAAAAAAAAAAAAAAAAAAAAIQlBACEIA0AgByAIav0AAAAhCiAJIAr9hwEgAiAIQQF0av0AAAD9ugH9rgEgCv2IASACIAhBAXRq/QAAEP26Af2u' +
      'ASEJIAhBEGoiCCABSQ0ACyAFIAZBAnRqIAn9GwAgCf0bAWogCf0bAmogCf0bA2o2AgAgBkEBaiIGIARJDQALCws=',
    'base64'
  )
);

const PAGE = 65536;

/** The largest int16 a query value is scaled to. */
export const QUERY_UNIT = 32767;

/**
 * Up to `capacity` int8 vectors of `dimensions` values, each padded with zeros to a multiple of 16. Growing the
 * memory keeps what it holds at the same place, so a ranking may keep reading slots written before it grew.
 */
export class VectorDots {
  /** Bytes per vector: the dimensions rounded up to 16. */
  readonly stride: number;
  private readonly _memory: WebAssembly.Memory;
  private readonly _dots: (
    vectors: number,
    stride: number,
    query: number,
    slots: number,
    count: number,
    out: number
  ) => void;
  private _capacity = 0;

  constructor(readonly dimensions: number) {
    this.stride = Math.max(16, Math.ceil(dimensions / 16) * 16);
    const instance = new WebAssembly.Instance(MODULE);
    this._memory = instance.exports.memory as WebAssembly.Memory;
    this._dots = instance.exports.dots as VectorDots['_dots'];
  }

  /** Every vector, `stride` bytes each (a fresh view: growing replaces the memory's buffer). */
  vectors(): Int8Array {
    return new Int8Array(this._memory.buffer, 0, this._capacity * this.stride);
  }

  /** Stores `values` (int8 range) as slot `slot`'s vector. */
  set(slot: number, values: ArrayLike<number>): void {
    if (slot >= this._capacity) {
      this._capacity = Math.max(1024, 2 * this._capacity, slot + 1);
      this._ensure(this._capacity * this.stride);
    }
    const row = new Int8Array(this._memory.buffer, slot * this.stride, this.stride);
    row.fill(0);
    for (let d = 0; d < values.length; d++) {
      row[d] = values[d];
    }
  }

  /** The dot product of each slot's vector with `query` (int16, `dimensions` of them). */
  dots(query: Int16Array, slots: Int32Array): Int32Array {
    const at = this._capacity * this.stride;
    const slotsAt = at + 2 * this.stride;
    const out = slotsAt + 4 * slots.length;
    this._ensure(out + 4 * slots.length);
    const padded = new Int16Array(this._memory.buffer, at, this.stride);
    padded.fill(0);
    padded.set(query);
    new Int32Array(this._memory.buffer, slotsAt, slots.length).set(slots);
    this._dots(0, this.stride, at, slotsAt, slots.length, out);
    return new Int32Array(this._memory.buffer, out, slots.length).slice();
  }

  private _ensure(bytes: number): void {
    const have = this._memory.buffer.byteLength;
    if (bytes > have) {
      this._memory.grow(Math.ceil((bytes - have) / PAGE));
    }
  }
}

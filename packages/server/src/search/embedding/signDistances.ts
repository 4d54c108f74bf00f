/*
 * The sign bits of every vector in a VectorMemory, and the first pass of a search over them: how many bits of each
 * differ from the query's (Hamming distance). Counted by a WebAssembly function, because JavaScript has no popcount
 * instruction: at 100,000 notebooks of 384 dimensions the same pass in JavaScript (a bit-twiddling popcount per
 * 32-bit word) took about 3.3 ms of CPU per search, this one about 0.4 ms.
 */

/**
 * The module, hand-assembled (no toolchain is needed to rebuild it; `test/search/signDistances.test.ts` checks it
 * against a JavaScript count). Its text:
 *
 *   (module
 *     (memory (export "memory") 1)
 *     (func (export "distances") (param $bits i32) (param $target i32) (param $words i32) (param $size i32)
 *         (param $out i32) (local $slot i32) (local $w i32) (local $at i32) (local $d i64)
 *       (block $done
 *         (br_if $done (i32.eqz (local.get $size)))
 *         (local.set $at (local.get $bits))
 *         (loop $slots
 *           (local.set $d (i64.const 0))
 *           (local.set $w (i32.const 0))
 *           (loop $words
 *             (local.set $d (i64.add (local.get $d) (i64.popcnt (i64.xor
 *               (i64.load (i32.add (local.get $at) (i32.shl (local.get $w) (i32.const 3))))
 *               (i64.load (i32.add (local.get $target) (i32.shl (local.get $w) (i32.const 3))))))))
 *             (br_if $words (i32.lt_u (local.tee $w (i32.add (local.get $w) (i32.const 1))) (local.get $words))))
 *           (i32.store16 (i32.add (local.get $out) (i32.shl (local.get $slot) (i32.const 1))) (i32.wrap_i64 (local.get $d)))
 *           (local.set $at (i32.add (local.get $at) (i32.shl (local.get $words) (i32.const 3))))
 *           (br_if $slots (i32.lt_u (local.tee $slot (i32.add (local.get $slot) (i32.const 1))) (local.get $size))))))
 *
 * `distances(bits, target, words, size, out)`: for each of `size` slots of `words` 64-bit words from byte `bits`,
 * the bits that differ from the `words` at byte `target`, as 16-bit counts from byte `out`.
 */
const MODULE = new WebAssembly.Module(
  Buffer.from(
    'AGFzbQEAAAABCQFgBX9/f39/AAMCAQAFAwEAAQcWAgZtZW1vcnkCAAlkaXN0YW5jZXMAAApvAW0CA38BfgJAIANFDQAgACEHA0BCACEIQQAhBgNAIAgg' +
      'ByAGQQN0aikDACABIAZBA3RqKQMAhXt8IQggBkEBaiIGIAJJDQALIAQgBUEBdGogCKc7AQAgByACQQN0aiEHIAVBAWoiBSADSQ0ACwsL',
    'base64'
  )
);

const PAGE = 65536;

/**
 * The sign bits of up to `capacity` slots in WebAssembly memory (64-bit words per slot, the unused bits zero), and
 * the distances of a query to the first `size` of them. Growing the memory replaces its buffer, so views are made
 * afresh for every use.
 */
export class SignDistances {
  private readonly _memory: WebAssembly.Memory;
  private readonly _distances: (bits: number, target: number, words: number, size: number, out: number) => void;
  /** 64-bit words per slot. */
  private _words = 1;
  private _capacity = 0;

  constructor() {
    const instance = new WebAssembly.Instance(MODULE);
    this._memory = instance.exports.memory as WebAssembly.Memory;
    this._distances = instance.exports.distances as SignDistances['_distances'];
  }

  /** Forgets every slot: vectors of `dimensions` from now on. */
  reset(dimensions: number): void {
    this._words = Math.max(1, Math.ceil(dimensions / 64));
    this._capacity = 0;
  }

  /** The signs of `vector` (1 where positive) as slot `slot`'s bits. */
  set(slot: number, vector: ArrayLike<number>): void {
    if (slot >= this._capacity) {
      this._capacity = Math.max(1024, 2 * this._capacity, slot + 1);
      this._ensure(this._capacity * this._words * 8);
    }
    const bits = new Uint32Array(this._memory.buffer, slot * this._words * 8, 2 * this._words);
    bits.fill(0);
    for (let d = 0; d < vector.length; d++) {
      if (vector[d] > 0) {
        bits[d >> 5] |= 1 << (d & 31);
      }
    }
  }

  /** How many signs of each of the first `size` slots differ from those of `query`. */
  distances(query: ArrayLike<number>, size: number): Uint16Array {
    const bytes = this._words * 8;
    const target = this._capacity * bytes;
    const out = target + bytes;
    this._ensure(out + 2 * size);
    const bits = new Uint32Array(this._memory.buffer, target, 2 * this._words);
    bits.fill(0);
    for (let d = 0; d < query.length; d++) {
      if (query[d] > 0) {
        bits[d >> 5] |= 1 << (d & 31);
      }
    }
    this._distances(0, target, this._words, size, out);
    return new Uint16Array(this._memory.buffer, out, size).slice();
  }

  private _ensure(bytes: number): void {
    const have = this._memory.buffer.byteLength;
    if (bytes > have) {
      this._memory.grow(Math.ceil((bytes - have) / PAGE));
    }
  }
}

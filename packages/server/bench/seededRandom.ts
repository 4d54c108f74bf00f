/**
 * mulberry32: a small, fast 32-bit generator with a seed, so a bench or a test draws the same numbers on every run and
 * machine (a generated gallery is cached by its size alone, and a failing test can be replayed). One copy for the
 * benches and the tests that generate data; not for anything that needs unpredictability.
 */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

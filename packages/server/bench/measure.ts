/** Timing helpers for the bench. */

/** Milliseconds since an arbitrary point, with sub-millisecond resolution. */
export function now(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}

/** The p-th percentile (0-100) of samples, nearest-rank. */
export function percentile(samples: number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank];
}

/** Runs `task` repeatedly for at least `minMs` (and at least once); returns milliseconds per run. */
export function timePerRun(task: () => void, minMs = 500): number {
  let runs = 0;
  const start = now();
  do {
    task();
    runs++;
  } while (now() - start < minMs);
  return (now() - start) / runs;
}

/** Formats a number with fixed decimals. */
export function fixed(value: number, decimals = 2): string {
  return value.toFixed(decimals);
}

import * as fs from 'node:fs';
import * as os from 'node:os';

/** How much nicer than the thread that started it a worker thread runs: CFS then gives it about a tenth the weight. */
export const WORKER_NICENESS = 10;

/** The highest nice value Linux knows. */
const NICEST = 19;

/**
 * Lowers the calling thread's scheduling priority by {@link WORKER_NICENESS}, so the event loop's thread wins the CPU
 * whenever it has work. The read workers and the embedding thread call it first thing: on a 2-core machine, two busy
 * read workers took turns with the event loop, and /healthz (every request's parsing and answer, in fact) waited
 * behind searches for up to a scheduler slice. The workers lose nothing when the event loop is idle.
 *
 * Linux only, where a thread has a priority of its own: setpriority() on a thread id changes that thread alone (and
 * threads it starts later, such as onnxruntime's). The id comes from /proc/thread-self. Elsewhere, or without /proc,
 * it does nothing and returns false; lowering needs no privilege, so it cannot fail for lack of one.
 */
export function lowerThisThreadPriority(): boolean {
  if (process.platform !== 'linux') {
    return false;
  }
  try {
    const threadId = Number(fs.readlinkSync('/proc/thread-self').split('/').pop());
    os.setPriority(threadId, Math.min(NICEST, os.getPriority(threadId) + WORKER_NICENESS));
    return true;
  } catch {
    return false;
  }
}

import { setImmediate as nextTurn } from 'node:timers/promises';

/** How long work runs before it gives the event loop back; other requests wait at most about this long. */
export const DEFAULT_SLICE_MS = 15;

/**
 * Long synchronous work cut into slices. Rendering a large notebook takes up to a second of CPU (several under
 * load), and the server has one thread: done in one go, it would hold every other request, `/healthz` included,
 * for that long. Between two steps of the work, {@link pause} lets pending I/O and other requests run whenever a
 * slice's time is spent; the work itself takes as long as before.
 */
export class TimeSlices {
  private _sliceStart = performance.now();

  constructor(private readonly _sliceMs = DEFAULT_SLICE_MS) {}

  /** Resolves at once while the slice lasts; once it is spent, after the event loop has had a turn. */
  async pause(): Promise<void> {
    if (performance.now() - this._sliceStart < this._sliceMs) {
      return;
    }
    await nextTurn();
    this._sliceStart = performance.now();
  }
}

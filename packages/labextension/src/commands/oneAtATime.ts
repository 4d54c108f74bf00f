/**
 * Runs at most one task per key (a notebook id or a file path) and ignores a second request for the same key while
 * the first runs: a double click on Save, Open or Delete must not upload, copy or ask twice. One guard for every
 * command, as jupyterlab-git's `TaskHandler` is.
 */
export class OneAtATime {
  /**
   * Run `task` for `key`, or resolve with `whenBusy` without running it when a task for `key` is still running.
   * A task that throws frees its key as one that returns does.
   */
  async run<T>(key: string, task: () => Promise<T>, whenBusy: T): Promise<T> {
    if (this._running.has(key)) {
      return whenBusy;
    }
    this._running.add(key);
    try {
      return await task();
    } finally {
      this._running.delete(key);
    }
  }

  private _running = new Set<string>();
}

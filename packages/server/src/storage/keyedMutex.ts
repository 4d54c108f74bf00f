/** Runs tasks one at a time per key; tasks under different keys never wait on each other. */
export class KeyedMutex {
  private readonly _tails = new Map<string, Promise<void>>();

  /** Runs `task` once every earlier task for `key` has settled, and settles with it. */
  async run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const previous = this._tails.get(key) ?? Promise.resolve();
    let release!: () => void;
    const tail = new Promise<void>(resolve => (release = resolve));
    this._tails.set(key, tail);
    await previous;
    try {
      return await task();
    } finally {
      release();
      if (this._tails.get(key) === tail) {
        this._tails.delete(key);
      }
    }
  }

  /** How many keys have a task running or queued; zero when idle. */
  get size(): number {
    return this._tails.size;
  }
}

/**
 * A least-recently-used cache bounded by a total weight (for rendered notebooks: characters of source), not by a
 * count: one notebook of 50 MB must not keep fifty of them in memory. An entry heavier than a quarter of the budget
 * is not kept; it would push out everything else to save one render.
 */
export class RenderCache<T> {
  /** Insertion order of a Map is its recency order: a hit is deleted and set again. */
  private readonly _entries = new Map<string, { value: T; weight: number }>();
  private _weight = 0;

  constructor(private readonly _budget: number) {
    if (!Number.isFinite(_budget) || _budget <= 0) {
      throw new RangeError(`RenderCache: the budget must be a positive number, got ${_budget}`);
    }
  }

  /** The value for `key`, made by `make` (with its weight) on a miss. */
  getOrMake(key: string, make: () => { value: T; weight: number }): T {
    const hit = this._entries.get(key);
    if (hit !== undefined) {
      this._entries.delete(key);
      this._entries.set(key, hit);
      return hit.value;
    }
    const made = make();
    if (made.weight <= this._budget / 4) {
      this._entries.set(key, made);
      this._weight += made.weight;
      for (const [oldest, entry] of this._entries) {
        if (this._weight <= this._budget) {
          break;
        }
        this._entries.delete(oldest);
        this._weight -= entry.weight;
      }
    }
    return made.value;
  }

  /** How many entries are kept; for tests. */
  get size(): number {
    return this._entries.size;
  }
}

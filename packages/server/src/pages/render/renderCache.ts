/**
 * A least-recently-used cache bounded by a total weight (for rendered notebooks: characters of source), not by a
 * count: one notebook of 50 MB must not keep fifty of them in memory. An entry heavier than a quarter of the budget
 * is not kept; it would push out everything else to save one render.
 */
export class RenderCache<T> {
  /** Insertion order of a Map is its recency order: a hit is deleted and set again. */
  private readonly _entries = new Map<string, { value: T; weight: number }>();
  /** Values being made by {@link getOrMakeAsync}, by key. */
  private readonly _making = new Map<string, Promise<T>>();
  private _weight = 0;

  constructor(private readonly _budget: number) {
    if (!Number.isFinite(_budget) || _budget <= 0) {
      throw new RangeError(`RenderCache: the budget must be a positive number, got ${_budget}`);
    }
  }

  /** The value for `key`, made by `make` (with its weight) on a miss. */
  getOrMake(key: string, make: () => { value: T; weight: number }): T {
    const hit = this._hit(key);
    if (hit !== undefined) {
      return hit.value;
    }
    const made = make();
    this._keep(key, made);
    return made.value;
  }

  /**
   * {@link getOrMake} for work that takes a while and awaits on the way: callers asking for the same key meanwhile
   * share the one making (the first view of a popular notebook is rendered once, not once per reader).
   */
  async getOrMakeAsync(key: string, make: () => Promise<{ value: T; weight: number }>): Promise<T> {
    const hit = this._hit(key);
    if (hit !== undefined) {
      return hit.value;
    }
    let making = this._making.get(key);
    if (making === undefined) {
      making = make().then(
        made => {
          this._making.delete(key);
          this._keep(key, made);
          return made.value;
        },
        (error: unknown) => {
          this._making.delete(key);
          throw error;
        }
      );
      this._making.set(key, making);
    }
    return making;
  }

  /** How many entries are kept; for tests. */
  get size(): number {
    return this._entries.size;
  }

  private _hit(key: string): { value: T; weight: number } | undefined {
    const hit = this._entries.get(key);
    if (hit !== undefined) {
      this._entries.delete(key);
      this._entries.set(key, hit);
    }
    return hit;
  }

  private _keep(key: string, made: { value: T; weight: number }): void {
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
  }
}

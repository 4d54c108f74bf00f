import type { GalleryDatabase } from '@notebook-gallery/server';

/** Counts the statements a database runs, to show how many queries one save costs. */
export interface IQueryCounter {
  /** Statements run (`run`, `get`, `all`, `iterate`) since the last reset. */
  readonly count: number;
  reset(): void;
}

/** Wraps `db.prepare` so every statement it returns counts its runs; the connection works as before. */
export function countQueries(db: GalleryDatabase): IQueryCounter {
  const counter = { count: 0, reset: () => (counter.count = 0) };
  const prepare = db.prepare.bind(db);
  // The connection hands back the same statement for the same SQL: wrap each statement once.
  const counted = new WeakSet<object>();
  db.prepare = ((source: string) => {
    const statement = prepare(source);
    if (counted.has(statement)) {
      return statement;
    }
    counted.add(statement);
    for (const method of ['run', 'get', 'all', 'iterate'] as const) {
      const original = (statement[method] as (...args: unknown[]) => unknown).bind(statement);
      (statement as unknown as Record<string, unknown>)[method] = (...args: unknown[]) => {
        counter.count++;
        return original(...args);
      };
    }
    return statement;
  }) as typeof db.prepare;
  return counter;
}

import type { IRateWindows } from '../auth/rateWindows';

/** What @fastify/rate-limit's store answers for a key: the count in its window and the ms left of the window. */
interface IStoreCount {
  current: number;
  ttl: number;
}

/** The store contract of @fastify/rate-limit (its LocalStore and RedisStore): a count per key, and a store per route. */
export interface IRateLimitStore {
  incr(key: string, callback: (error: Error | null, result?: IStoreCount) => void, timeWindow: number): void;
  child(routeOptions: unknown): IRateLimitStore;
}

/**
 * A @fastify/rate-limit store (its `store` option, a class it constructs) over the gallery's rate windows, so the
 * per-user write limits count where the login limits do: in memory with SQLite, and in PostgreSQL shared by every
 * replica. Its own LocalStore counted per process, so N replicas let a user write N times the limit. Keys are
 * already one per limit and user (plugins/writeLimitsPlugin.ts), so every route shares the one store.
 */
export function rateLimitStoreOf(
  windows: IRateWindows,
  now: () => number = Date.now
): new (options: unknown) => IRateLimitStore {
  return class RateWindowsStore implements IRateLimitStore {
    incr(key: string, callback: (error: Error | null, result?: IStoreCount) => void, timeWindow: number): void {
      const at = now();
      windows.add(`w:${key}`, timeWindow, at).then(
        window => callback(null, { current: window.count, ttl: Math.max(0, window.resetAt - at) }),
        (error: Error) => callback(error)
      );
    }

    child(): IRateLimitStore {
      return this;
    }
  };
}

/**
 * The asynchronous form of a synchronous repository interface: every method returns a Promise of what it returned.
 * The PostgreSQL repositories implement `AsyncOf<IXxxRepository>` while the interfaces are being made asynchronous
 * (issue 18); once they are, `AsyncOf<I>` equals `I` and this file goes.
 */
export type AsyncOf<T> = {
  [K in keyof T]: T[K] extends (...args: infer A) => infer R ? (...args: A) => Promise<Awaited<R>> : T[K];
};

/** A synchronous SQLite repository seen through {@link AsyncOf}, so one contract test can run both backends. */
export function asAsync<T extends object>(repository: T): AsyncOf<T> {
  return new Proxy(repository, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver) as unknown;
      if (typeof value !== 'function') {
        return value;
      }
      return (...args: unknown[]) => {
        try {
          return Promise.resolve((value as (...a: unknown[]) => unknown).apply(target, args));
        } catch (error) {
          return Promise.reject(error);
        }
      };
    }
  }) as unknown as AsyncOf<T>;
}

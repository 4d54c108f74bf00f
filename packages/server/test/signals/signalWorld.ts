import type { InjectOptions } from 'fastify';
import { sampleNotebook } from '../helpers/fixtures';
import { callExpecting, startTestGallery, type ITestGallery } from '../helpers/testGallery';

/** A test gallery whose stars and activity read a clock the test moves by hand. */
export interface ISignalWorld {
  gallery: ITestGallery;
  /** Milliseconds since the epoch, as the server sees them. */
  clock: { now: number };
  /** Saves a notebook as `token`'s user and returns its id. */
  create(token: string, title: string, options?: Record<string, unknown>): Promise<string>;
  /** A request that must answer `status`; returns the JSON body, or null for an empty one. */
  call(token: string | null, options: InjectOptions, status: number): Promise<any>;
  /** Every item of a listing, walking its pages (at most 50). */
  walk(token: string | null, query: string): Promise<any[]>;
}

export const HOUR_MS = 3_600_000;

/**
 * Starts a gallery on a clock set to the real time, which tests then move; `flags` as for startTestGallery.
 * Summaries decay `trending` with the real clock, so tests compare scores with each other, never with a constant.
 */
export async function startSignalWorld(flags: Record<string, string> = {}): Promise<ISignalWorld> {
  const clock = { now: Date.now() };
  const gallery = await startTestGallery(flags, undefined, { now: () => clock.now });
  const call = callExpecting(gallery);
  return {
    gallery,
    clock,
    call,
    async create(token, title, options = {}) {
      const { notebook, ...rest } = options;
      const body = await call(
        token,
        {
          method: 'POST',
          url: '/api/notebooks',
          payload: { notebook: notebook ?? sampleNotebook(`About ${title}`), title, ...rest }
        },
        201
      );
      return body.id as string;
    },
    async walk(token, query) {
      const items: any[] = [];
      let cursor: string | null = null;
      for (let page = 0; page < 50; page++) {
        const url: string = `/api/notebooks?${query}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
        const result = await call(token, { method: 'GET', url }, 200);
        items.push(...result.items);
        cursor = result.nextCursor;
        if (!cursor) {
          return items;
        }
      }
      throw new Error('the listing never ended');
    }
  };
}

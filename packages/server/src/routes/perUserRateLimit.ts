import type { FastifyInstance, FastifyRequest } from 'fastify';
import { RateLimitedError } from '../errors/RateLimitedError';

type Limiter = (request: FastifyRequest) => Promise<void>;

/** The limiters of each app (its config is one object per app), by name: one counter however many routes use it. */
const LIMITERS = new WeakMap<object, Map<string, Limiter>>();

/**
 * A preHandler that lets each logged-in user make `limit.max` requests per window on the routes it guards (their
 * counter is shared between them, and between every call with the same `name` in one app: the API and the pages'
 * forms count together) and answers the next with a 429 and Retry-After. Run it after authentication.
 */
export function perUserRateLimit(
  fastify: FastifyInstance,
  name: string,
  what: string,
  limit: { max: number; windowSeconds: number }
): Limiter {
  const byName = LIMITERS.get(fastify.config) ?? new Map<string, Limiter>();
  LIMITERS.set(fastify.config, byName);
  const known = byName.get(name);
  if (known) {
    return known;
  }
  const limiter = fastify.createRateLimit({
    max: limit.max,
    timeWindow: limit.windowSeconds * 1000,
    keyGenerator: request => `${name}:${request.caller?.user?.username ?? request.ip}`
  });
  const check: Limiter = async request => {
    const result = await limiter(request);
    if (!result.isAllowed && result.isExceeded) {
      throw new RateLimitedError(what, Math.max(1, result.ttlInSeconds));
    }
  };
  byName.set(name, check);
  return check;
}

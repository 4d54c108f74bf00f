import type { FastifyInstance, FastifyRequest } from 'fastify';
import { RateLimitedError } from '../errors/RateLimitedError';

/**
 * A preHandler that lets each logged-in user make `limit.max` requests per window on the routes it guards (their
 * counter is shared between them) and answers the next with a 429 and Retry-After. Run it after authentication.
 */
export function perUserRateLimit(
  fastify: FastifyInstance,
  name: string,
  what: string,
  limit: { max: number; windowSeconds: number }
): (request: FastifyRequest) => Promise<void> {
  const limiter = fastify.createRateLimit({
    max: limit.max,
    timeWindow: limit.windowSeconds * 1000,
    keyGenerator: request => `${name}:${request.caller?.user?.username ?? request.ip}`
  });
  return async request => {
    const result = await limiter(request);
    if (!result.isAllowed && result.isExceeded) {
      throw new RateLimitedError(what, Math.max(1, result.ttlInSeconds));
    }
  };
}

import { ApiErrorSchema } from '@notebook-gallery/core';
import type { FastifyRequest, RouteOptions } from 'fastify';
import fp from 'fastify-plugin';
import { CONFIG_OPTIONS, type IGalleryConfig, type IRate } from '../config';
import { RateLimitedError } from '../errors/RateLimitedError';

/** The per-user write limits: what each counts (for the 429's message) and the config key that sets it. */
export const WRITE_LIMITS = {
  save: { what: 'notebook changes', key: 'saveRateLimit' },
  token: { what: 'API token changes', key: 'tokenRateLimit' },
  'change-request': { what: 'change requests', key: 'changeRequestRateLimit' },
  activity: { what: 'activity records and stars', key: 'activityRateLimit' },
  'health-report': { what: 'health reports', key: 'healthReportRateLimit' },
  comment: { what: 'comments', key: 'commentRateLimit' },
  webhook: { what: 'webhook changes', key: 'webhookRateLimit' },
  import: { what: 'imported revisions', key: 'importRateLimit' },
  write: { what: 'changes', key: 'writeRateLimit' }
} as const satisfies Record<string, { what: string; key: keyof IGalleryConfig }>;

/** The name of one of {@link WRITE_LIMITS}; a 429 names it in its `limit` field. */
export type WriteLimitName = keyof typeof WRITE_LIMITS;

/** Checks one limit for a request; throws {@link RateLimitedError} past it. */
export type WriteLimiter = (request: FastifyRequest) => Promise<void>;

declare module 'fastify' {
  interface FastifyInstance {
    /**
     * The limiter of one per-user write limit; one counter per name and user, however many routes use it. For routes
     * that answer a 429 their own way (a page that keeps the text of a form); other write routes get theirs from
     * their `writeLimit` config.
     */
    writeLimit(name: WriteLimitName): WriteLimiter;
  }
  interface FastifyContextConfig {
    /**
     * The per-user limit a write route (POST, PUT, PATCH, DELETE) counts against: `write` when absent; false for
     * routes with limits of their own (login) or that call {@link FastifyInstance.writeLimit} themselves.
     */
    writeLimit?: WriteLimitName | false;
  }
}

const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * Puts every write route behind a per-user rate limit, so no one user (or their script) can flood the gallery with
 * saves, tokens or change requests: routes name their limit in `config.writeLimit`, and a route that names none
 * counts against `write`, so a new write route cannot be left out by mistake. The limit applies to logged-in
 * callers, after authentication; routes without a login (login itself) have limits of their own. Register it
 * before the routes.
 */
export const writeLimitsPlugin = fp(
  async fastify => {
    const limiters = new Map<WriteLimitName, WriteLimiter>();
    const limiterOf = (name: WriteLimitName): WriteLimiter => {
      const known = limiters.get(name);
      if (known) {
        return known;
      }
      const { what, key } = WRITE_LIMITS[name];
      const rate = fastify.config[key] as IRate;
      const flag = `--${CONFIG_OPTIONS.find(option => option.key === key)?.flag ?? key}`;
      const limiter = fastify.createRateLimit({
        max: rate.max,
        timeWindow: rate.windowSeconds * 1000,
        keyGenerator: request => `${name}:${request.caller?.user?.username ?? request.ip}`
      });
      const check: WriteLimiter = async request => {
        const result = await limiter(request);
        if (!result.isAllowed && result.isExceeded) {
          throw new RateLimitedError(what, Math.max(1, result.ttlInSeconds), { ...rate, name, flag });
        }
      };
      limiters.set(name, check);
      return check;
    };
    fastify.decorate('writeLimit', limiterOf);
    fastify.addHook('onRoute', (route: RouteOptions) => {
      const methods = [route.method].flat();
      const name = route.config?.writeLimit ?? 'write';
      if (name === false || !methods.some(method => WRITE_METHODS.has(method))) {
        return;
      }
      const limiter = limiterOf(name);
      const counted = new WeakSet<FastifyRequest>();
      const limited = async (request: FastifyRequest): Promise<void> => {
        if (request.caller?.user && !counted.has(request)) {
          counted.add(request);
          await limiter(request);
        }
      };
      // Counted as soon as the caller is known: before validation for API routes (a flood of bad requests spends the
      // allowance too), after the preHandler that logs in a page's form post (it needs the body's XSRF token).
      route.preValidation = [...[route.preValidation ?? []].flat(), limited];
      route.preHandler = [...[route.preHandler ?? []].flat(), limited];
      // The API document lists the 429 of every limited route, and the storage failures every write may meet.
      const response = route.schema?.response as Record<number, unknown> | undefined;
      if (route.schema && response) {
        route.schema = {
          ...route.schema,
          response: { 429: ApiErrorSchema, 503: ApiErrorSchema, 507: ApiErrorSchema, ...response }
        };
      }
    });
  },
  { name: 'gallery-write-limits', dependencies: ['@fastify/rate-limit'] }
);

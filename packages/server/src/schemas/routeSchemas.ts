import type { Static, TSchema } from '@notebook-gallery/core';
import type { FastifyTypeProvider } from 'fastify';

/**
 * Types request parts and replies from the TypeBox schemas in @notebook-gallery/core; routes use it with
 * `withTypeProvider<CoreTypeProvider>()`. Written here rather than taken from @fastify/type-provider-typebox,
 * which resolves the older TypeBox hoisted at the repository root for jest (0.27, whose `Kind` symbol differs from
 * core's 0.34) and so types every core schema as `unknown`.
 */
export interface CoreTypeProvider extends FastifyTypeProvider {
  validator: this['schema'] extends TSchema ? Static<this['schema']> : unknown;
  serializer: this['schema'] extends TSchema ? Static<this['schema']> : unknown;
}

/** The response schema of a route that answers 204 with no body. */
export function noContent(description: string) {
  return { type: 'null', description } as const;
}

/** OpenAPI security requirement for routes that need a login token. */
export const bearerSecurity = [{ bearerAuth: [] }];

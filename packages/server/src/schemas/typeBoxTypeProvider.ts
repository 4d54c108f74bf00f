import type { Static, TSchema } from '@notebook-gallery/core';
import type { FastifyTypeProvider } from 'fastify';

/**
 * @fastify/type-provider-typebox's `TypeBoxTypeProvider`, deriving request and reply types from core's schemas with
 * the TypeBox version core builds them with. The package's own provider resolves the older TypeBox hoisted at the
 * repository root (a dependency of jest), whose `Kind` symbol differs, so with it every request part types as
 * `unknown`.
 */
export interface TypeBoxTypeProvider extends FastifyTypeProvider {
  validator: this['schema'] extends TSchema ? Static<this['schema']> : unknown;
  serializer: this['schema'] extends TSchema ? Static<this['schema']> : unknown;
}

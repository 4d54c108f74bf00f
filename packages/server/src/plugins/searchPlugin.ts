import fp from 'fastify-plugin';
import { SearchIndex } from '../search/searchIndex';

declare module 'fastify' {
  interface FastifyInstance {
    searchIndex: SearchIndex;
  }
}

/** Decorates `searchIndex`, the full-text index and notebook listing. */
export const searchPlugin = fp(
  async fastify => {
    fastify.decorate('searchIndex', new SearchIndex(fastify.db));
  },
  { name: 'gallery-search', dependencies: ['gallery-db'] }
);

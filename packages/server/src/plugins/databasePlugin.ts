import fp from 'fastify-plugin';
import type { IGalleryConfig } from '../config';
import { openDatabase, type GalleryDatabase } from '../db/database';

declare module 'fastify' {
  interface FastifyInstance {
    config: IGalleryConfig;
    db: GalleryDatabase;
  }
}

/** Decorates `config` and `db` (the migrated SQLite connection, closed with the app). */
export const databasePlugin = fp<{ config: IGalleryConfig }>(
  async (fastify, { config }) => {
    const db = openDatabase(config.dataDir);
    fastify.decorate('config', config);
    fastify.decorate('db', db);
    fastify.addHook('onClose', async () => {
      db.close();
    });
  },
  { name: 'gallery-db', fastify: '5.x' }
);

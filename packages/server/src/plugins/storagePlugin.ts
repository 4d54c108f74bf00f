import fp from 'fastify-plugin';
import { NotebookStore } from '../storage/notebookStore';

declare module 'fastify' {
  interface FastifyInstance {
    notebooks: NotebookStore;
  }
}

/** Decorates `notebooks`, after reconciling whatever a crash left half-done so requests see git and SQLite agree. */
export const storagePlugin = fp(
  async fastify => {
    const store = new NotebookStore(fastify.db, fastify.config.dataDir, fastify.searchIndex);
    const report = await store.reconcile();
    if (report.refsRepaired + report.createsRolledBack + report.deletesFinished > 0) {
      fastify.log.warn({ reconcile: report }, 'finished saves interrupted by a crash');
    }
    fastify.decorate('notebooks', store);
  },
  { name: 'gallery-storage', dependencies: ['gallery-db', 'gallery-search'] }
);

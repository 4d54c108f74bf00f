import type Database from 'better-sqlite3';
import { MIGRATIONS } from '../../src/db/migrations';

/**
 * The tables each migration after 6 creates, so upgrade tests can put a database back as an older schema left it.
 * One list for every such test: a new migration adds its tables here, and {@link rollBackSchema} refuses to guess.
 */
const TABLES_BY_MIGRATION: Readonly<Record<number, readonly string[]>> = {
  7: ['notebook_stars', 'notebook_stats', 'notebook_opens', 'notebook_activity'],
  8: ['revision_environments', 'environment_backfill_queue', 'health_reports', 'notebook_health'],
  9: ['notebook_terms', 'similarity_vectors', 'similarity_terms', 'similarity_reindex_queue']
};

/**
 * Drops the tables of every migration after `version` (newest first) and sets `user_version` to `version`, so the
 * next start runs those migrations again as an upgrade would. Older schema changes are the caller's to undo.
 */
export function rollBackSchema(db: Database.Database, version: number): void {
  const later = MIGRATIONS.filter(migration => migration.version > version).reverse();
  const statements = later.flatMap(migration => {
    const tables = TABLES_BY_MIGRATION[migration.version];
    if (tables === undefined) {
      throw new Error(`rollBackSchema does not know the tables of migration ${migration.version}; add them`);
    }
    return tables.map(table => `DROP TABLE ${table};`);
  });
  db.exec([...statements, `PRAGMA user_version = ${version};`].join('\n'));
}

import type Database from 'better-sqlite3';
import { MIGRATIONS } from '../../src/db/migrations';

/**
 * The tables and indexes each migration after 6 creates (an index on a table of its own migration goes with the
 * table), so upgrade tests can put a database back as an older schema left it. One list for every such test: a new
 * migration adds what it creates here, and {@link rollBackSchema} refuses to guess.
 */
const CREATED_BY_MIGRATION: Readonly<Record<number, { tables?: readonly string[]; indexes?: readonly string[] }>> = {
  7: { tables: ['notebook_stars', 'notebook_stats', 'notebook_opens', 'notebook_activity'] },
  8: { tables: ['revision_environments', 'environment_backfill_queue', 'health_reports', 'notebook_health'] },
  9: { tables: ['notebook_terms', 'similarity_vectors', 'similarity_terms', 'similarity_reindex_queue'] },
  10: { indexes: ['users_by_folded_name', 'groups_by_folded_name'] },
  11: { tables: ['webhook_deliveries', 'webhooks', 'notebook_mutes', 'inbox_events', 'comments'] },
  12: { tables: ['secret_allowlist'] },
  13: { tables: ['import_revisions', 'import_items'] },
  14: { tables: ['notebook_embeddings'] },
  15: { tables: ['topk_fill_queue', 'topk_totals', 'topk_documents', 'topk_postings', 'topk_terms'] }
};

/**
 * Drops the tables and indexes of every migration after `version` (newest first) and sets `user_version` to `version`, so the
 * next start runs those migrations again as an upgrade would. Older schema changes are the caller's to undo.
 */
export function rollBackSchema(db: Database.Database, version: number): void {
  const later = MIGRATIONS.filter(migration => migration.version > version).reverse();
  const statements = later.flatMap(migration => {
    const created = CREATED_BY_MIGRATION[migration.version];
    if (created === undefined) {
      throw new Error(`rollBackSchema does not know what migration ${migration.version} creates; add it`);
    }
    return [
      ...(created.indexes ?? []).map(index => `DROP INDEX ${index};`),
      ...(created.tables ?? []).map(table => `DROP TABLE ${table};`)
    ];
  });
  db.exec([...statements, `PRAGMA user_version = ${version};`].join('\n'));
}

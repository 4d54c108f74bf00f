import type pg from 'pg';
import { SchemaTooNewError } from '../../errors/SchemaTooNewError';
import { advisoryKey, type PgDatabase } from './pgDatabase';

/** One step of the PostgreSQL schema; versions count up from 1 without gaps, and a released step never changes. */
export interface IPgMigration {
  version: number;
  /** What it adds, for the log and the `gallery_schema` table. */
  name: string;
  sql: string;
}

/** What {@link migratePostgres} did. */
export interface IPgMigrationReport {
  from: number;
  to: number;
}

/** The lock every replica takes before migrating, so replicas that start together migrate once. */
const MIGRATION_LOCK = advisoryKey('gallery', 'schema-migration');

/**
 * Brings the database up to the newest of `migrations`, each step in its own transaction with its row in
 * `gallery_schema`. Holds a session advisory lock while it reads the version and migrates: a second replica starting
 * at the same moment waits for it, then finds nothing left to do. Refuses a database migrated past what this server
 * knows before changing anything.
 * @throws {SchemaTooNewError} when the database has a newer schema version than `migrations` reach.
 */
export async function migratePostgres(
  db: PgDatabase,
  migrations: readonly IPgMigration[],
  databaseName = 'the PostgreSQL database'
): Promise<IPgMigrationReport> {
  const latest = migrations.length ? migrations[migrations.length - 1].version : 0;
  const client = await db.pool.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK.toString()]);
    try {
      await client.query(
        'CREATE TABLE IF NOT EXISTS gallery_schema (version integer PRIMARY KEY, name text NOT NULL, applied_at text NOT NULL)'
      );
      const from = await schemaVersion(client);
      if (from > latest) {
        throw new SchemaTooNewError(databaseName, from, latest);
      }
      for (const migration of migrations) {
        if (migration.version <= from) {
          continue;
        }
        await client.query('BEGIN');
        try {
          await client.query(migration.sql);
          await client.query('INSERT INTO gallery_schema (version, name, applied_at) VALUES ($1, $2, $3)', [
            migration.version,
            migration.name,
            new Date().toISOString()
          ]);
          await client.query('COMMIT');
        } catch (error) {
          await client.query('ROLLBACK');
          throw error;
        }
      }
      return { from, to: Math.max(from, latest) };
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK.toString()]);
    }
  } finally {
    client.release();
  }
}

/** The newest schema version recorded, 0 for an empty database. */
export async function schemaVersion(client: pg.ClientBase | PgDatabase['pool']): Promise<number> {
  const exists = await client.query<{ present: boolean }>(
    "SELECT to_regclass('gallery_schema') IS NOT NULL AS present"
  );
  if (!exists.rows[0].present) {
    return 0;
  }
  const result = await client.query<{ version: number | null }>('SELECT max(version) AS version FROM gallery_schema');
  return result.rows[0].version ?? 0;
}

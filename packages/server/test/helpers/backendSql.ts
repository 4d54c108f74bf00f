import { sqliteDatabase } from '../../src/compositionRoot';
import { PgDatabase } from '../../src/db/postgres/pgDatabase';
import type { IBackendDatabase } from './repositoryBackends';
import type { ITestGallery } from './testGallery';

/**
 * Runs one statement written for both backends, with `?` placeholders (numbered `$1`… for PostgreSQL; booleans as
 * 0/1 for SQLite), and resolves to the rows it returns (none for a statement that returns none). For contract tests
 * that set up rows no repository under test writes, look at what one left, or delete a row to see what the schema
 * cascades. The statement must have no `?` other than its placeholders.
 */
export async function runSql<R extends object = Record<string, unknown>>(
  database: IBackendDatabase,
  sql: string,
  params: readonly unknown[] = []
): Promise<R[]> {
  if (database.backend === 'sqlite') {
    const statement = database.sqlite.prepare(sql);
    const values = params.map(value => (typeof value === 'boolean' ? Number(value) : value));
    return statement.reader ? (statement.all(...values) as R[]) : (statement.run(...values), []);
  }
  let next = 0;
  return database.pg.query<R>(
    sql.replace(/\?/g, () => `$${++next}`),
    params
  );
}

/**
 * The database of a running test gallery, for tests that look at rows no API shows (a stored hash, a token's row) or
 * set up rows no API writes: its own SQLite connection, or a new pool on its PostgreSQL database when the tests run
 * for PostgreSQL. `close` closes only what this opened; the gallery keeps its own connection.
 */
export function galleryDatabase(gallery: ITestGallery): IBackendDatabase {
  const url = gallery.config.databaseUrl;
  if (url === null) {
    return { backend: 'sqlite', sqlite: sqliteDatabase(gallery.app.gallery), close: async () => undefined };
  }
  const pg = PgDatabase.connect(url, { maxConnections: 2 });
  return { backend: 'postgres', pg, url, close: () => pg.close() };
}

/** {@link runSql} on a running test gallery's database (see {@link galleryDatabase}), for a single statement. */
export async function gallerySql<R extends object = Record<string, unknown>>(
  gallery: ITestGallery,
  sql: string,
  params: readonly unknown[] = []
): Promise<R[]> {
  const database = galleryDatabase(gallery);
  try {
    return await runSql<R>(database, sql, params);
  } finally {
    await database.close();
  }
}

/** Adds accounts by name (what notebooks, comments, events and memberships reference), made on 1 January 2026. */
export async function insertUsers(database: IBackendDatabase, usernames: readonly string[]): Promise<void> {
  for (const username of usernames) {
    await runSql(database, 'INSERT INTO users (username, password_hash, created_at) VALUES (?, ?, ?)', [
      username,
      'h',
      '2026-01-01T00:00:00.000Z'
    ]);
  }
}

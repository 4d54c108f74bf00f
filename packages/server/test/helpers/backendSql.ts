import type { IBackendDatabase } from './repositoryBackends';

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

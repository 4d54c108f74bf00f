import type { IBackendDatabase } from './repositoryBackends';

/**
 * Runs one statement with `?` placeholders on either backend (numbered `$1`… for PostgreSQL), for contract tests
 * that set up rows no repository under test writes (a notebook for comments to hang on) or that delete a row to
 * see what the schema cascades. The statement must have no `?` other than its placeholders.
 */
export async function runSql(database: IBackendDatabase, sql: string, params: readonly unknown[] = []): Promise<void> {
  if (database.backend === 'sqlite') {
    database.sqlite.prepare(sql).run(...params.map(value => (typeof value === 'boolean' ? Number(value) : value)));
    return;
  }
  let next = 0;
  await database.pg.execute(
    sql.replace(/\?/g, () => `$${++next}`),
    params
  );
}

/** The rows a `?`-placeholder query returns on either backend (see {@link runSql}). */
export async function querySql<R>(
  database: IBackendDatabase,
  sql: string,
  params: readonly unknown[] = []
): Promise<R[]> {
  if (database.backend === 'sqlite') {
    return database.sqlite.prepare(sql).all(...params) as R[];
  }
  let next = 0;
  return database.pg.query<R & object>(
    sql.replace(/\?/g, () => `$${++next}`),
    params
  );
}

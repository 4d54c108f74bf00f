import type { GalleryDatabase } from '../database';
import type { PgDatabase } from './pgDatabase';

/** One table's part in a copy: rows read from SQLite, and how many of them PostgreSQL did not have yet. */
export interface ITableCopy {
  table: string;
  rows: number;
  added: number;
}

/** What {@link copySqliteToPostgres} did. */
export interface ISqliteCopyReport {
  tables: ITableCopy[];
  /** Notebooks new to PostgreSQL, queued for its search index (filled from git when the gallery next starts). */
  queuedForSearch: number;
}

/** Progress of a copy: rows of `table` done out of its `total`. */
export type CopyProgress = (table: string, done: number, total: number) => void;

/** Rows sent to PostgreSQL per statement: large enough to be fast, small enough to keep memory flat. */
const BATCH_ROWS = 2_000;

/**
 * Tables that are not copied: FTS5's (the PostgreSQL search index is its own schema, filled from git through its
 * queue) and the queue itself (filled for every notebook the copy adds).
 */
function copied(table: string): boolean {
  // The top-k engine's tables (topk_*) are derived from the index's text: PostgreSQL's are written as its index is filled.
  return (
    !table.startsWith('notebook_search') &&
    table !== 'search_reindex_queue' &&
    !table.startsWith('topk_') &&
    !table.startsWith('sqlite_')
  );
}

interface IColumn {
  name: string;
  /** PostgreSQL's type name, for the array the batch is sent as (`text`, `bigint`, `boolean`, `bytea`…). */
  type: string;
}

/**
 * Copies every row of a SQLite gallery database into a migrated PostgreSQL one (the same tables and columns, see
 * pgMigrations.ts), as `notebook-gallery migrate-to-postgres` does. The SQLite side is read in one read transaction,
 * so the copy is one consistent moment of it. Idempotent: a row whose key PostgreSQL already has is left as it is
 * (`ON CONFLICT DO NOTHING`), so a second run adds nothing and an interrupted run can simply be run again.
 *
 * Tables go parents first (from SQLite's own foreign keys), rows in their insertion order (a reply after the comment
 * it answers). Each batch goes as one `INSERT … SELECT FROM unnest(arrays)`: one statement whatever the row count,
 * without PostgreSQL's 65,535-parameter limit. Identity sequences are moved past the copied numbers afterwards, so
 * the next notebook or inbox event gets a fresh one. Flags stored as 0/1 by SQLite become booleans.
 */
export async function copySqliteToPostgres(
  sqlite: GalleryDatabase,
  pg: PgDatabase,
  progress: CopyProgress = () => undefined
): Promise<ISqliteCopyReport> {
  const tables = tablesParentsFirst(sqlite);
  const report: ISqliteCopyReport = { tables: [], queuedForSearch: 0 };
  sqlite.exec('BEGIN');
  try {
    for (const table of tables) {
      const inPostgres = await postgresColumns(pg, table);
      if (inPostgres.length === 0) {
        throw new Error(`PostgreSQL has no table ${table}: migrate it with this version of notebook-gallery first`);
      }
      // Columns only PostgreSQL has (its own bookkeeping, e.g. the transaction that wrote an embedding) take their
      // defaults; every SQLite column must have its PostgreSQL twin.
      const inSqlite = new Set(
        (sqlite.prepare(`PRAGMA table_info("${table}")`).all() as { name: string }[]).map(column => column.name)
      );
      const columns = inPostgres.filter(column => inSqlite.has(column.name));
      const missing = [...inSqlite].filter(name => !columns.some(column => column.name === name));
      if (missing.length > 0) {
        throw new Error(`PostgreSQL's ${table} lacks ${missing.join(', ')}: migrate it with this version first`);
      }
      const total = (sqlite.prepare(`SELECT count(*) AS n FROM "${table}"`).get() as { n: number }).n;
      const copy: ITableCopy = { table, rows: 0, added: 0 };
      progress(table, 0, total);
      const order = hasRowid(sqlite, table)
        ? 'rowid'
        : primaryKey(sqlite, table)
            .map(name => `"${name}"`)
            .join(', ');
      const select = sqlite.prepare(
        `SELECT ${columns.map(c => `"${c.name}"`).join(', ')} FROM "${table}" ORDER BY ${order}`
      );
      let batch: Record<string, unknown>[] = [];
      for (const row of select.iterate() as Iterable<Record<string, unknown>>) {
        batch.push(row);
        if (batch.length === BATCH_ROWS) {
          copy.added += await insertBatch(pg, table, columns, batch, report);
          copy.rows += batch.length;
          progress(table, copy.rows, total);
          batch = [];
        }
      }
      if (batch.length > 0) {
        copy.added += await insertBatch(pg, table, columns, batch, report);
        copy.rows += batch.length;
        progress(table, copy.rows, total);
      }
      report.tables.push(copy);
    }
  } finally {
    sqlite.exec('COMMIT');
  }
  await advanceIdentities(pg);
  return report;
}

/** Inserts one batch; returns how many rows were new. New notebooks are queued for the search index too. */
async function insertBatch(
  pg: PgDatabase,
  table: string,
  columns: readonly IColumn[],
  rows: readonly Record<string, unknown>[],
  report: ISqliteCopyReport
): Promise<number> {
  const arrays = columns.map(column => rows.map(row => toPostgres(row[column.name], column.type)));
  const names = columns.map(column => `"${column.name}"`).join(', ');
  const unnest = columns.map((column, index) => `$${index + 1}::${column.type}[]`).join(', ');
  return pg.transaction(async () => {
    const added = await pg.query<{ id?: string }>(
      `INSERT INTO "${table}" (${names}) SELECT * FROM unnest(${unnest}) ON CONFLICT DO NOTHING
       RETURNING ${table === 'notebooks' ? 'id' : '1 AS added'}`,
      arrays
    );
    if (table === 'notebooks' && added.length > 0) {
      await pg.execute(
        'INSERT INTO search_reindex_queue (notebook_id) SELECT unnest($1::text[]) ON CONFLICT DO NOTHING',
        [added.map(row => row.id)]
      );
      report.queuedForSearch += added.length;
    }
    return added.length;
  });
}

function toPostgres(value: unknown, type: string): unknown {
  if (value === null || value === undefined) {
    return null;
  }
  if (type === 'boolean') {
    return value === 1 || value === 1n || value === true;
  }
  return typeof value === 'bigint' ? value.toString() : value;
}

/** The columns PostgreSQL has for `table`, in order, with the array type their batch is sent as. */
async function postgresColumns(pg: PgDatabase, table: string): Promise<IColumn[]> {
  const rows = await pg.query<{ name: string; type: string }>(
    `SELECT column_name AS name, format_type(a.atttypid, NULL) AS type
     FROM information_schema.columns c
     JOIN pg_attribute a ON a.attrelid = to_regclass(c.table_name) AND a.attname = c.column_name
     WHERE c.table_schema = current_schema() AND c.table_name = $1
     ORDER BY c.ordinal_position`,
    [table]
  );
  return rows;
}

/** SQLite's tables that are copied, every table after the tables its foreign keys point to. */
function tablesParentsFirst(sqlite: GalleryDatabase): string[] {
  const names = (
    sqlite.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as { name: string }[]
  )
    .map(row => row.name)
    .filter(copied);
  const parents = new Map(
    names.map(name => [
      name,
      (sqlite.prepare(`PRAGMA foreign_key_list("${name}")`).all() as { table: string }[])
        .map(key => key.table)
        .filter(parent => parent !== name)
    ])
  );
  const ordered: string[] = [];
  const placed = new Set<string>();
  const place = (name: string): void => {
    if (placed.has(name)) {
      return;
    }
    placed.add(name);
    for (const parent of parents.get(name) ?? []) {
      place(parent);
    }
    ordered.push(name);
  };
  names.forEach(place);
  return ordered;
}

function hasRowid(sqlite: GalleryDatabase, table: string): boolean {
  const sql = (sqlite.prepare('SELECT sql FROM sqlite_master WHERE name = ?').get(table) as { sql: string }).sql;
  return !/WITHOUT\s+ROWID\s*$/i.test(sql.trim());
}

function primaryKey(sqlite: GalleryDatabase, table: string): string[] {
  return (sqlite.prepare(`PRAGMA table_info("${table}")`).all() as { name: string; pk: number }[])
    .filter(column => column.pk > 0)
    .sort((a, b) => a.pk - b.pk)
    .map(column => column.name);
}

/** Moves every identity sequence past the largest number its column holds. */
async function advanceIdentities(pg: PgDatabase): Promise<void> {
  const identities = await pg.query<{ table: string; column: string }>(
    `SELECT table_name AS table, column_name AS column FROM information_schema.columns
     WHERE table_schema = current_schema() AND is_identity = 'YES'`
  );
  for (const { table, column } of identities) {
    await pg.query(
      `SELECT setval(pg_get_serial_sequence($1, $2), GREATEST((SELECT max("${column}") FROM "${table}"), 0) + 1, false)`,
      [table, column]
    );
  }
}

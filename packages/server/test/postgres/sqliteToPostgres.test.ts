import * as path from 'node:path';
import { DATABASE_FILE, openReadOnlyDatabase, type GalleryDatabase } from '../../src/db/database';
import { PgDatabase } from '../../src/db/postgres/pgDatabase';
import { migratePostgres } from '../../src/db/postgres/pgMigrate';
import { PG_MIGRATIONS } from '../../src/db/postgres/pgMigrations';
import { copySqliteToPostgres } from '../../src/db/postgres/sqliteToPostgres';
import { postgresCluster, POSTGRES_START_TIMEOUT_MS } from '../helpers/postgresCluster';
import { startTestGallery, SETUP_TIMEOUT_MS, type ITestGallery } from '../helpers/testGallery';
import { buildSampleGallery } from '../transfer/sampleGallery';

/** Every row of `table` on both sides, in one order, with SQLite's 0/1 flags and PostgreSQL's booleans alike. */
async function rowsOf(sqlite: GalleryDatabase, pg: PgDatabase, table: string): Promise<[string[], string[]]> {
  const columns = (sqlite.prepare(`PRAGMA table_info("${table}")`).all() as { name: string }[]).map(
    column => column.name
  );
  const list = columns.map(column => `"${column}"`).join(', ');
  const normal = (row: Record<string, unknown>): Record<string, unknown> =>
    Object.fromEntries(
      Object.entries(row).map(([key, value]) => [
        key,
        typeof value === 'boolean' ? Number(value) : Buffer.isBuffer(value) ? value.toString('hex') : value
      ])
    );
  // Compared as sorted JSON: the same rows, whatever order each database returns them in.
  const sorted = (rows: Record<string, unknown>[]): string[] => rows.map(row => JSON.stringify(normal(row))).sort();
  const fromSqlite = sorted(sqlite.prepare(`SELECT ${list} FROM "${table}"`).all() as Record<string, unknown>[]);
  const fromPg = sorted(await pg.query<Record<string, unknown>>(`SELECT ${list} FROM "${table}"`));
  return [fromSqlite, fromPg];
}

describe('copying a SQLite gallery into PostgreSQL (migrate-to-postgres)', () => {
  let gallery: ITestGallery;
  let sqlite: GalleryDatabase;
  let pg: PgDatabase;
  let url: string;

  beforeAll(async () => {
    gallery = await startTestGallery();
    await buildSampleGallery(gallery);
    await gallery.app.close();
    sqlite = openReadOnlyDatabase(path.join(gallery.dataDir, DATABASE_FILE));
    url = await postgresCluster().createDatabase('copy');
    pg = PgDatabase.connect(url);
    await migratePostgres(pg, PG_MIGRATIONS);
  }, SETUP_TIMEOUT_MS + POSTGRES_START_TIMEOUT_MS);

  afterAll(async () => {
    sqlite?.close();
    await pg?.close();
    if (url) {
      await postgresCluster().dropDatabase(url);
    }
    await gallery?.close();
  });

  it('copies every row of every table, queues the notebooks for the search index, and a second run adds nothing', async () => {
    const progress: string[] = [];
    const first = await copySqliteToPostgres(sqlite, pg, (table, done, total) =>
      progress.push(`${table} ${done}/${total}`)
    );
    const byTable = new Map(first.tables.map(table => [table.table, table]));
    expect(byTable.get('notebooks')).toEqual({ table: 'notebooks', rows: 2, added: 2 });
    expect(byTable.get('revisions')?.added).toBeGreaterThanOrEqual(5);
    expect(byTable.get('comments')).toEqual({ table: 'comments', rows: 4, added: 4 });
    expect(byTable.get('change_requests')).toEqual({ table: 'change_requests', rows: 2, added: 2 });
    expect(first.tables.every(table => table.added === table.rows)).toBe(true);
    expect(first.queuedForSearch).toBe(2);
    expect(progress).toContain('notebook_stars 2/2');
    // Parents before children: a table comes after every table its foreign keys point to.
    const order = first.tables.map(table => table.table);
    expect(order.indexOf('users')).toBeLessThan(order.indexOf('notebooks'));
    expect(order.indexOf('notebooks')).toBeLessThan(order.indexOf('comments'));
    expect(order.indexOf('change_requests')).toBeLessThan(order.indexOf('comments'));
    expect(order).not.toContain('notebook_search');

    for (const { table } of first.tables) {
      const [fromSqlite, fromPg] = await rowsOf(sqlite, pg, table);
      expect({ table, rows: fromPg }).toEqual({ table, rows: fromSqlite });
    }
    expect(await pg.query('SELECT notebook_id FROM search_reindex_queue')).toHaveLength(2);

    const second = await copySqliteToPostgres(sqlite, pg);
    expect(second.tables.map(table => table.added)).toEqual(second.tables.map(() => 0));
    expect(second.queuedForSearch).toBe(0);
  });

  it('moves identity sequences past the copied numbers, so the next row gets a fresh one', async () => {
    const highest = (await pg.queryOne<{ id: number }>('SELECT max(id) AS id FROM audit_log'))?.id ?? 0;
    const next = await pg.queryOne<{ id: number }>(
      "INSERT INTO audit_log (actor, action, target, at) VALUES ('ann', 'test', 'x', '2026-12-07T00:00:00Z') RETURNING id"
    );
    expect(next?.id).toBe(highest + 1);
    const inbox = await pg.queryOne<{ seq: number }>('SELECT max(seq) AS seq FROM inbox_events');
    expect(inbox?.seq).toBeGreaterThan(0);
  });
});

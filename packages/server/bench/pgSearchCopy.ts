import type { GalleryDatabase } from '@notebook-gallery/server/lib/db/database';
import { PgDatabase } from '@notebook-gallery/server/lib/db/postgres/pgDatabase';
import { migratePostgres } from '@notebook-gallery/server/lib/db/postgres/pgMigrate';
import { PG_MIGRATIONS } from '@notebook-gallery/server/lib/db/postgres/pgMigrations';
import { PgSearchIndex } from '@notebook-gallery/server/lib/repositories/postgres/pgSearchIndex';

/** A row of SQLite's search index. */
type IndexedRow = { seq: number } & Record<
  'title' | 'description' | 'tags' | 'owner' | 'language' | 'packages' | 'markdown' | 'code',
  string | null
>;

/**
 * What the search benches read, copied from a SQLite gallery into an empty PostgreSQL database (`url`, migrated
 * here): accounts, groups, notebooks with their tags, shares and stats, and the search index, re-indexed from
 * SQLite's index text through PgSearchIndex (as a save would). For comparing the two engines on the same gallery,
 * not a migration (that is `notebook-gallery migrate-to-postgres`).
 */
export async function copyForSearch(
  sqlite: GalleryDatabase,
  url: string,
  log: (line: string) => void = () => undefined
): Promise<PgDatabase> {
  const pg = PgDatabase.connect(url);
  await migratePostgres(pg, PG_MIGRATIONS);
  const tables: [string, string[]][] = [
    ['users', ['username', 'password_hash', 'is_admin', 'created_at']],
    ['groups', ['name', 'created_at']],
    ['group_members', ['group_name', 'username', 'role', 'source']],
    [
      'notebooks',
      [
        'seq',
        'id',
        'title',
        'description',
        'owner',
        'created_at',
        'updated_at',
        'head_sha',
        'head_blob_sha',
        'revision_count',
        'parent_id',
        'parent_revision',
        'owner_kind',
        'visibility',
        'group_name'
      ]
    ],
    ['notebook_tags', ['notebook_id', 'position', 'tag']],
    ['notebook_shares', ['notebook_id', 'principal_kind', 'principal', 'role']],
    ['notebook_stats', ['notebook_id', 'stars', 'views', 'downloads', 'opens', 'runs', 'trending_key', 'health_score']]
  ];
  for (const [table, columns] of tables) {
    const rows = sqlite
      .prepare(`SELECT ${columns.join(', ')} FROM ${table}`)
      .raw()
      .all() as unknown[][];
    for (let first = 0; first < rows.length; first += 1_000) {
      const batch = rows.slice(first, first + 1_000);
      const values: unknown[] = [];
      const tuples = batch.map(row => {
        const placeholders = row.map((value, column) => {
          // SQLite's flags are integers, PostgreSQL's booleans.
          values.push(columns[column] === 'is_admin' ? value === 1 : value);
          return `$${values.length}`;
        });
        return `(${placeholders.join(', ')})`;
      });
      await pg.execute(`INSERT INTO ${table} (${columns.join(', ')}) VALUES ${tuples.join(', ')}`, values);
    }
    log(`  copied ${rows.length} rows of ${table}`);
  }
  const search = new PgSearchIndex(pg);
  const indexed = sqlite
    .prepare(
      'SELECT rowid AS seq, title, description, tags, owner, language, packages, markdown, code FROM notebook_search'
    )
    .all() as IndexedRow[];
  const words = (text: string | null): string[] => (text ?? '').split(' ').filter(word => word !== '');
  for (let first = 0; first < indexed.length; first += 500) {
    await pg.transaction(async () => {
      for (const row of indexed.slice(first, first + 500)) {
        await search.put(
          row.seq,
          { title: row.title ?? '', description: row.description ?? '', tags: words(row.tags), owner: row.owner ?? '' },
          {
            markdown: row.markdown ?? '',
            code: row.code ?? '',
            packages: words(row.packages),
            language: row.language ?? ''
          }
        );
      }
    });
    log(`  indexed ${Math.min(indexed.length, first + 500)} of ${indexed.length} notebooks`);
  }
  await pg.execute('ANALYZE');
  return pg;
}

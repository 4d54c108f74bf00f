import { copyGalleryToPostgres, openGallery, type ISqliteCopyReport } from '../compositionRoot';
import { ConfigError } from '../errors/ConfigError';
import { assertNoServerOn } from '../storage/serverPidFile';
import { maintenanceArgs } from './maintenanceArgs';

/** `notebook-gallery migrate-to-postgres --help`. */
export const MIGRATE_TO_POSTGRES_USAGE = `Usage: notebook-gallery migrate-to-postgres --database-url URL [--data-dir D]

Copies the gallery's database (gallery.sqlite in the data directory) into PostgreSQL: accounts,
groups, tokens, notebooks with their revisions, sharing, stars, comments, change requests, the inbox
and everything else the database holds. The notebook repositories stay where they are, in the data
directory: point every server at the same data directory and at URL afterwards. The PostgreSQL
search index is filled from the repositories when the server first starts on PostgreSQL.

Run it with the server stopped. Running it again adds only what PostgreSQL does not have yet, so
an interrupted copy can be run again. gallery.sqlite is read, never changed.

Options:
  --database-url <url>  postgres://user:password@host:5432/database (GALLERY_DATABASE_URL); the
                        database must exist; its tables are created
  --data-dir <dir>      the gallery's data directory (GALLERY_DATA_DIR, default ./.gallery)
  -h, --help            this help
`;

/** `migrate-to-postgres`: copies a SQLite gallery's rows into PostgreSQL, with progress per table and a summary. */
export async function migrateToPostgresCommand(args: string[]): Promise<number> {
  const parsed = maintenanceArgs(args, 'migrate-to-postgres', [], MIGRATE_TO_POSTGRES_USAGE);
  if (parsed === null) {
    return 0;
  }
  const { config } = parsed;
  const url = config.databaseUrl;
  if (url === null) {
    throw new ConfigError('--database-url (or GALLERY_DATABASE_URL) names the PostgreSQL database to copy into');
  }
  // Neither a server on the SQLite gallery nor a replica already serving on the target database.
  await assertNoServerOn(config.dataDir, config.databaseUrl, 'migrate-to-postgres');
  // A save a crash cut short is finished (or undone) first, so the rows copied are the acknowledged ones.
  const gallery = await openGallery({ dataDir: config.dataDir, fsync: config.fsync });
  try {
    await gallery.reconcile();
  } finally {
    await gallery.close();
  }
  const { schema, copy } = await copyGalleryToPostgres(config.dataDir, url, tableProgress());
  if (schema.from < schema.to) {
    process.stderr.write(`PostgreSQL schema: version ${schema.from} -> ${schema.to}\n`);
  }
  process.stdout.write(copySummary(copy));
  return 0;
}

/** Prints each table once when it starts and, for a large one, about ten times as it goes. */
function tableProgress(): (table: string, done: number, total: number) => void {
  let shown = 0;
  return (table, done, total) => {
    if (done === 0) {
      shown = 0;
      process.stderr.write(`copying ${table}: ${total} rows\n`);
    } else if (total >= 10_000 && (done === total || done - shown >= total / 10)) {
      shown = done;
      process.stderr.write(`copying ${table}: ${done}/${total}\n`);
    }
  };
}

/** The summary: what was added, what PostgreSQL already had, and what to do next. */
export function copySummary(report: ISqliteCopyReport): string {
  const rows = report.tables.reduce((sum, table) => sum + table.rows, 0);
  const added = report.tables.reduce((sum, table) => sum + table.added, 0);
  const count = (name: string): string => {
    const table = report.tables.find(entry => entry.table === name);
    return table ? `${table.added} ${name.replace(/_/g, ' ')}` : '';
  };
  const lines = [
    `Copied ${added} of ${rows} rows into PostgreSQL (${rows - added} were there already): ` +
      ['users', 'notebooks', 'revisions', 'comments', 'change_requests'].map(count).filter(Boolean).join(', ') +
      '.',
    report.queuedForSearch > 0
      ? `${report.queuedForSearch} notebooks will be indexed for search from their repositories when the server starts on PostgreSQL.`
      : 'No new notebooks to index for search.',
    'Next: start the server with --database-url (GALLERY_DATABASE_URL) and the same data directory, then run ' +
      '"notebook-gallery fsck --database-url ..." to compare the database with the repositories.'
  ];
  return `${lines.join('\n')}\n`;
}

import { fsckCommand } from './cli/fsckCommand';
import { importCommand } from './cli/importCommand';
import { migrateToPostgresCommand } from './cli/migrateToPostgresCommand';
import { backupCommand } from './cli/backupCommand';
import { exportCommand } from './cli/exportCommand';
import { rebuildIndexCommand } from './cli/rebuildIndexCommand';
import { restoreCommand } from './cli/restoreCommand';
import { scanCommand } from './cli/scanCommand';
import { seedCommand } from './cli/seedCommand';
import { serveCommand } from './cli/serveCommand';
import { userCommand } from './cli/userCommand';
import { ConfigError } from './errors/ConfigError';
import { SchemaTooNewError } from './errors/SchemaTooNewError';
import { GalleryError } from './errors/GalleryError';
import { VERSION } from './version';

const USAGE = `Usage: notebook-gallery <command> [options]

Commands:
  serve                  run the gallery server
  user add NAME          add a user
  user disable NAME      disable an account (enable NAME undoes it)
  seed --owner NAME      add the example notebooks
  fsck [--repair]        check (and repair) the database and every notebook repository
  backup DEST            copy the gallery into DEST while it runs
  restore SRC            restore a backup into a stopped, empty data directory
  rebuild-index          recreate the database's notebook rows from the repositories
  import SOURCE          bring in notebooks with their history (a folder, a git repository, an nbgallery export)
  export FILE.tar.gz     write notebooks with their history, comments and change requests into one archive
  scan [--json]          look for secrets in every revision of every notebook
  migrate-to-postgres    copy the gallery's database into PostgreSQL (--database-url URL)

Run "notebook-gallery <command> --help" for a command's options.
`;

const COMMANDS: Record<string, (args: string[]) => Promise<number>> = {
  serve: serveCommand,
  user: userCommand,
  seed: seedCommand,
  fsck: fsckCommand,
  backup: backupCommand,
  restore: restoreCommand,
  'rebuild-index': rebuildIndexCommand,
  scan: scanCommand,
  import: importCommand,
  export: exportCommand,
  'migrate-to-postgres': migrateToPostgresCommand
};

/** Runs the CLI; resolves to the exit code (a running server keeps the process alive after that). */
export async function main(argv: string[]): Promise<number> {
  const [command, ...args] = argv;
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    process.stdout.write(USAGE);
    return command === undefined ? 2 : 0;
  }
  if (command === '--version') {
    process.stdout.write(`${VERSION}\n`);
    return 0;
  }
  const run = COMMANDS[command];
  if (!run) {
    process.stderr.write(`notebook-gallery: unknown command "${command}"\n\n${USAGE}`);
    return 2;
  }
  try {
    return await run(args);
  } catch (error) {
    if (error instanceof ConfigError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      process.stderr.write(`notebook-gallery ${command}: ${(error as Error).message}\n`);
      process.stderr.write(`Run "notebook-gallery ${command} --help" for usage.\n`);
      return 2;
    }
    // A database migrated by a newer version is not an API error but is as expected as one: a sentence, no stack.
    if (error instanceof GalleryError || error instanceof SchemaTooNewError) {
      process.stderr.write(`notebook-gallery ${command}: ${error.message}\n`);
      return 1;
    }
    throw error;
  }
}

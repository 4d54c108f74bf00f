import { ConfigError } from '../errors/ConfigError';
import * as path from 'node:path';
import { sqliteBackup } from '../compositionRoot';
import { backupGallery } from '../storage/galleryBackup';
import { maintenanceArgs } from './maintenanceArgs';
import { progressPrinter } from './progressPrinter';

/** `notebook-gallery backup --help`. */
export const BACKUP_USAGE = `Usage: notebook-gallery backup DEST [--data-dir D]

Copies the gallery into DEST (a new or empty directory) while the server keeps running: the database
(SQLite's online backup) and every notebook's repository. Every save acknowledged before the backup
started is in it. Restore it with "notebook-gallery restore DEST". Exits 1 when a notebook's
repository is missing (the rest is still backed up).

Options:
  --data-dir <dir>   the gallery's data directory (GALLERY_DATA_DIR, default ./.gallery)
  -h, --help         this help
`;

/** `backup DEST`: an online, consistent copy of the gallery. */
export async function backupCommand(args: string[]): Promise<number> {
  const parsed = maintenanceArgs(args, 'backup', ['DEST'], BACKUP_USAGE);
  if (parsed === null) {
    return 0;
  }
  const { config, positionals } = parsed;
  if (config.databaseUrl !== null) {
    throw new ConfigError(
      "backup copies SQLite's gallery.sqlite with the repositories; with PostgreSQL, back up the database with pg_dump and then the data directory (docs/admin-guide.md, Backups with PostgreSQL)"
    );
  }
  const destination = path.resolve(positionals[0]);
  const manifest = await backupGallery(
    config.dataDir,
    sqliteBackup(config.dataDir),
    destination,
    progressPrinter('copied')
  );
  const seconds = (Date.parse(manifest.finishedAt) - Date.parse(manifest.startedAt)) / 1000;
  process.stdout.write(
    `Backed up ${manifest.notebooks} notebooks to ${destination} in ${seconds.toFixed(1)} s; ` +
      `it holds every save acknowledged before ${manifest.startedAt}.\n`
  );
  for (const id of manifest.missingRepositories) {
    process.stdout.write(
      `notebook ${id}: its repository is missing, so the backup lacks it; run "notebook-gallery fsck".\n`
    );
  }
  return manifest.missingRepositories.length === 0 ? 0 : 1;
}

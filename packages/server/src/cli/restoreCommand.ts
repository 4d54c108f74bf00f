import { ConfigError } from '../errors/ConfigError';
import * as path from 'node:path';
import { openGallery } from '../compositionRoot';
import { restoreFiles } from '../storage/galleryBackup';
import { assertNoServer } from '../storage/serverPidFile';
import { findingLine, printFsckReport } from './fsckCommand';
import { maintenanceArgs } from './maintenanceArgs';
import { progressPrinter } from './progressPrinter';

/** `notebook-gallery restore --help`. */
export const RESTORE_USAGE = `Usage: notebook-gallery restore SRC [--data-dir D]

Restores the backup SRC (made by "notebook-gallery backup") into the data directory, which must be
stopped and empty or missing (move an old one aside first). Then it makes the database follow git as
the server does at start (interrupted saves are finished, revisions saved while the backup ran are
kept) and runs "notebook-gallery fsck" on the result; it exits with fsck's code (0 when clean).

Options:
  --data-dir <dir>   the data directory to restore into (GALLERY_DATA_DIR, default ./.gallery)
  -h, --help         this help
`;

/**
 * `restore SRC`: a backup into a stopped, empty data directory; then the start-up steps that make the database follow
 * git, and a read-only fsck. Returns fsck's exit code, so a restore that left damage is not 0.
 */
export async function restoreCommand(args: string[]): Promise<number> {
  const parsed = maintenanceArgs(args, 'restore', ['SRC'], RESTORE_USAGE);
  if (parsed === null) {
    return 0;
  }
  const { config, positionals } = parsed;
  if (config.databaseUrl !== null) {
    throw new ConfigError(
      'restore brings back a SQLite gallery; with PostgreSQL, restore the database with pg_restore and the data directory from the same backup (docs/admin-guide.md, Backups with PostgreSQL)'
    );
  }
  assertNoServer(config.dataDir, 'restore');
  const manifest = await restoreFiles(path.resolve(positionals[0]), config.dataDir, progressPrinter('restored'));
  const gallery = await openGallery({
    dataDir: config.dataDir,
    fsync: config.fsync,
    embeddingModel: config.embeddingModel ?? undefined
  });
  try {
    // What the server does before serving, so the check below sees the gallery as the server will.
    const { reconciled, alignment: aligned } = await gallery.repairAtStart();
    const lines = [
      `Restored ${manifest.notebooks} notebooks from the backup started ${manifest.startedAt} into ${config.dataDir}.`,
      `Finished ${reconciled.refsRepaired} interrupted saves; kept ${aligned.revisionsRecorded} revisions saved ` +
        'while the backup ran.',
      ...aligned.findings.filter(finding => finding.repaired).map(findingLine),
      'Checking the restored gallery (notebook-gallery fsck):'
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
    return printFsckReport(await gallery.checkStorage({ repair: false }), false);
  } finally {
    await gallery.close();
  }
}

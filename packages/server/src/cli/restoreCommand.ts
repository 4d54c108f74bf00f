import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { openGallery } from '../compositionRoot';
import { loadConfig } from '../config';
import { ConfigError } from '../errors/ConfigError';
import { restoreFiles } from '../storage/galleryBackup';
import { assertNoServer } from '../storage/serverPidFile';
import { progressPrinter } from './progressPrinter';

/** `notebook-gallery restore --help`. */
export const RESTORE_USAGE = `Usage: notebook-gallery restore SRC [--data-dir D]

Restores the backup SRC (made by "notebook-gallery backup") into the data directory, which must be
stopped and empty or missing (move an old one aside first). Saves interrupted in the backup are
finished, revisions saved while the backup ran are kept, and every commit the database names is
checked in git.

Options:
  --data-dir <dir>   the data directory to restore into (GALLERY_DATA_DIR, default ./.gallery)
  -h, --help         this help
`;

/** `restore SRC`: a backup into a stopped, empty data directory, then checked. Exit 1 when a commit is missing. */
export async function restoreCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: { 'data-dir': { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    allowPositionals: true,
    strict: true
  });
  if (values.help) {
    process.stdout.write(RESTORE_USAGE);
    return 0;
  }
  if (positionals.length !== 1) {
    throw new ConfigError('expected: notebook-gallery restore SRC');
  }
  const config = loadConfig({ 'data-dir': values['data-dir'] });
  assertNoServer(config.dataDir, 'restore');
  const manifest = await restoreFiles(path.resolve(positionals[0]), config.dataDir, progressPrinter('restored'));
  const gallery = openGallery({ dataDir: config.dataDir, fsync: config.fsync });
  try {
    const repaired = await gallery.reconcile();
    const adopted = await gallery.adoptNewerCommits();
    const checked = await gallery.checkCommits();
    const lines = [
      `Restored ${manifest.notebooks} notebooks from the backup started ${manifest.startedAt} into ${config.dataDir}.`,
      `Finished ${repaired.refsRepaired} interrupted saves; kept ${adopted.revisionsAdopted} revisions saved while ` +
        'the backup ran.',
      `Checked ${checked.commits} commits of ${checked.notebooks} notebooks in git: ` +
        (checked.missing.length === 0 ? 'all present.' : `${checked.missing.length} missing.`)
    ];
    for (const missing of checked.missing) {
      lines.push(`notebook ${missing.notebookId}: ${missing.what} (commit ${missing.commit}) is missing from git.`);
    }
    for (const id of adopted.diverged) {
      lines.push(
        `notebook ${id}: its branch does not contain the revision the database names; run "notebook-gallery fsck".`
      );
    }
    process.stdout.write(`${lines.join('\n')}\n`);
    return checked.missing.length === 0 && adopted.diverged.length === 0 ? 0 : 1;
  } finally {
    gallery.close();
  }
}

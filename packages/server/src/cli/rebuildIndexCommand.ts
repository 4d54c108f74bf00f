import { openGallery } from '../compositionRoot';
import type { IRebuildReport } from '../storage/indexRebuild';
import { assertNoServerOn } from '../storage/serverPidFile';
import { maintenanceArgs } from './maintenanceArgs';
import { progressPrinter } from './progressPrinter';

/** `notebook-gallery rebuild-index --help`. */
export const REBUILD_INDEX_USAGE = `Usage: notebook-gallery rebuild-index [--data-dir D]

Recreates every notebook's rows in the database from the repositories: revisions from git, and title,
description, tags, ownership, sharing, change requests and comments from each repository's record
journal (stars and secret-check confirmations too). Accounts, groups and tokens are kept. View
counts, activity and health reports are not in git and start empty. Stop the server first.

Options:
  --data-dir <dir>   the gallery's data directory (GALLERY_DATA_DIR, default ./.gallery)
  -h, --help         this help
`;

/** `rebuild-index`: recreates the database's notebook rows from the repositories, with progress and a summary. */
export async function rebuildIndexCommand(args: string[]): Promise<number> {
  const parsed = maintenanceArgs(args, 'rebuild-index', [], REBUILD_INDEX_USAGE);
  if (parsed === null) {
    return 0;
  }
  const { config } = parsed;
  await assertNoServerOn(config.dataDir, config.databaseUrl, 'rebuild-index');
  const gallery = await openGallery({
    dataDir: config.dataDir,
    fsync: config.fsync,
    databaseUrl: config.databaseUrl,
    embeddingModel: config.embeddingModel ?? undefined
  });
  try {
    // Saves a crash cut short are finished first, so the refs the rebuild reads are the acknowledged ones.
    await gallery.reconcile();
    // A gallery last served by a version without record journals gets them from its rows before they are replaced.
    await gallery.backfillRecordJournals();
    const report = await gallery.rebuildIndex(progressPrinter('rebuilt'));
    process.stdout.write(rebuildSummary(report));
    return report.unreadable.length > 0 || report.withoutRepository.length > 0 ? 1 : 0;
  } finally {
    await gallery.close();
  }
}

/** The summary a rebuild prints: what it recovered, then what it could not. */
export function rebuildSummary(report: IRebuildReport): string {
  const lines = [
    `Rebuilt ${report.notebooks} notebooks: ${report.revisions} revisions, ${report.changeRequests} change requests, ` +
      `${report.comments} comments, ${report.stars} stars.`
  ];
  if (report.revisionsFromGitOnly > 0) {
    lines.push(
      `${report.revisionsFromGitOnly} revisions were not in a record journal and were taken from their commits ` +
        '(times to the second).'
    );
  }
  for (const id of report.withoutJournal) {
    lines.push(
      `notebook ${id} has no record journal: titled "Recovered notebook ${id}", private, owned by its first author.`
    );
  }
  for (const { id, reason } of report.unreadable) {
    lines.push(
      `notebook ${id} was left out: its repository could not be read (${reason}); run "notebook-gallery fsck".`
    );
  }
  for (const id of report.withoutRepository) {
    lines.push(`notebook ${id} was in the database but has no repository in repos/, so it is gone (look in trash/).`);
  }
  if (report.entriesSkipped > 0) {
    lines.push(`${report.entriesSkipped} journal entries were left out (cut short, or naming something git lacks).`);
  }
  if (report.accountsAdded.length > 0) {
    lines.push(
      `Accounts added, disabled and without a password: ${[...report.accountsAdded].sort().join(', ')}. ` +
        'Accounts live only in the database: restore them from a backup, or enable them ' +
        '("notebook-gallery user enable NAME") to log in by single sign-on.'
    );
  }
  if (report.groupsAdded.length > 0) {
    lines.push(`Groups added without members: ${[...report.groupsAdded].sort().join(', ')}.`);
  }
  lines.push(`Not recovered (never written to git): ${report.notRecovered.join('; ')}.`);
  return `${lines.join('\n')}\n`;
}

import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { openGallery } from '../compositionRoot';
import { loadConfig } from '../config';

import { ConfigError } from '../errors/ConfigError';
import { DatabaseDamagedError } from '../errors/DatabaseDamagedError';
import type { IStorageFinding } from '../storage/gitAlignment';
import type { FsckProgress, IFsckReport } from '../storage/storageCheck';

/** The database file, whose absence means --data-dir names no gallery (db/database.ts names it too). */
const DATABASE_FILE = 'gallery.sqlite';

/** Exit codes of `fsck`, for monitoring scripts; docs/admin-guide.md lists them too. */
export const FSCK_EXIT = {
  /** Nothing is wrong. */
  CLEAN: 0,
  /** Something is wrong and was not (or could not be) repaired. */
  DAMAGED: 1,
  /** Bad arguments. */
  USAGE: 2,
  /** Something was wrong, and --repair repaired all of it. */
  REPAIRED: 3,
  /** The database itself is damaged (it cannot be opened, or integrity_check fails): restore a backup. */
  DATABASE_DAMAGED: 4
} as const;

/** `notebook-gallery fsck --help`. */
export const FSCK_USAGE = `Usage: notebook-gallery fsck [--repair] [--data-dir D] [--quiet]

Checks the gallery's storage: SQLite's integrity_check; every notebook repository's HEAD, branch, packs and
the commit, tree and notebook file of every revision; every branch against the database; repositories without
a notebook and notebooks without a repository. Each finding names the notebook, its title and owner.

With --repair (stop the server first) it repairs what survives: it brings the database in line with git
(records commits the database lost, adopts repositories without a row), moves a branch forward to the head
the database acknowledged, rewrites a damaged HEAD, and re-points a branch whose latest revisions are lost
to a repair commit on the newest intact one, saying which revisions were lost. Then it checks again.

Exit codes: 0 nothing wrong; 1 something is wrong (after --repair: still wrong); 2 bad arguments;
3 everything found was repaired; 4 the database itself is damaged (restore a backup).

Options:
  --repair           repair what can be repaired from what survives
  --data-dir <dir>   the gallery's data directory (GALLERY_DATA_DIR, default ./.gallery)
  --quiet            no progress lines on stderr
  -h, --help         this help
`;

/** `fsck`: prints progress on stderr, then each finding and a summary on stdout; returns an {@link FSCK_EXIT} code. */
export async function fsckCommand(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      repair: { type: 'boolean' },
      quiet: { type: 'boolean' },
      'data-dir': { type: 'string' },
      'database-url': { type: 'string' },
      help: { type: 'boolean', short: 'h' }
    },
    strict: true
  });
  if (values.help) {
    process.stdout.write(FSCK_USAGE);
    return FSCK_EXIT.CLEAN;
  }
  const config = loadConfig({ 'data-dir': values['data-dir'], 'database-url': values['database-url'] });
  // Opening a gallery creates what is missing: a mistyped path must not come out as a clean, empty gallery.
  if (config.databaseUrl === null && !fs.existsSync(path.join(config.dataDir, DATABASE_FILE))) {
    throw new ConfigError(`${config.dataDir} holds no gallery (no ${DATABASE_FILE}); check --data-dir`);
  }
  const repair = values.repair === true;
  let gallery;
  try {
    gallery = await openGallery({
      dataDir: config.dataDir,
      fsync: config.fsync,
      databaseUrl: config.databaseUrl,
      embeddingModel: config.embeddingModel ?? undefined
    });
  } catch (error) {
    if (error instanceof DatabaseDamagedError) {
      process.stdout.write(
        `DATABASE_DAMAGED  ${error.message}\n\nfsck: the database cannot be opened; nothing else was checked.\n`
      );
      return FSCK_EXIT.DATABASE_DAMAGED;
    }
    throw error;
  }
  try {
    const report = await gallery.checkStorage({ repair, progress: values.quiet ? undefined : progressPrinter() });
    return printFsckReport(report, repair);
  } finally {
    await gallery.close();
  }
}

/**
 * Prints each finding and a summary on stdout (fsck's, and restore's check after restoring).
 * @returns the {@link FSCK_EXIT} code the report calls for.
 */
export function printFsckReport(report: IFsckReport, repair: boolean): number {
  for (const finding of report.findings) {
    process.stdout.write(`${findingLine(finding)}\n`);
  }
  const repaired = report.findings.filter(finding => finding.repaired).length;
  process.stdout.write(
    `\nfsck: ${report.notebooks} notebooks, ${report.repositories} repositories checked; ` +
      `${report.findings.length} problems found` +
      (repair ? `, ${repaired} repaired, ${report.remaining.length} still wrong` : '') +
      '.\n'
  );
  if (!repair && report.findings.some(finding => !finding.repaired)) {
    process.stdout.write('Run "notebook-gallery fsck --repair" with the server stopped to repair what survives.\n');
  }
  if (report.databaseDamaged) {
    return FSCK_EXIT.DATABASE_DAMAGED;
  }
  if (report.remaining.length > 0) {
    return FSCK_EXIT.DAMAGED;
  }
  return report.findings.length > 0 ? FSCK_EXIT.REPAIRED : FSCK_EXIT.CLEAN;
}

/** `CODE  notebook ID "Title" (owner): message [repaired]`. */
export function findingLine(finding: IStorageFinding): string {
  const subject =
    finding.notebook === null
      ? 'database'
      : `notebook ${finding.notebook} "${finding.title ?? '(no row)'}" (${finding.owner ?? 'owner unknown'})`;
  return `${finding.code}  ${subject}: ${finding.message}${finding.repaired ? ' [repaired]' : ''}`;
}

/** Prints where fsck is on stderr, at most once a second per step, and each step's end. */
function progressPrinter(): FsckProgress {
  let last = 0;
  return (step, done, total) => {
    const now = Date.now();
    if (done === total || now - last >= 1000) {
      last = now;
      process.stderr.write(`fsck: ${step} ${done}/${total}\n`);
    }
  };
}

import { openGallery } from '../compositionRoot';
import type { IGallerySecretReport } from '../services/secretScan';
import { maintenanceArgs } from './maintenanceArgs';
import { progressPrinter } from './progressPrinter';

/** `notebook-gallery scan --help`. */
export const SCAN_USAGE = `Usage: notebook-gallery scan [--data-dir D] [--json]

Runs the secret check (the one every save runs) over every revision of every notebook, for
galleries that had notebooks before the check existed. Prints each finding with its notebook,
revision, cell, line and rule, the secret masked, then a summary. Fingerprints confirmed on a
notebook as not secrets are left out, as a save leaves them out. Only reads; the server may run.

Exit status: 0 when nothing was found, 1 when something was (or a revision could not be read).

Options:
  --data-dir <dir>   the gallery's data directory (GALLERY_DATA_DIR, default ./.gallery)
  --json             print the findings and the summary as one JSON object
  -h, --help         this help
`;

/** `scan`: the secret check across the whole history of the gallery. */
export async function scanCommand(args: string[]): Promise<number> {
  const parsed = maintenanceArgs(args, 'scan', [], SCAN_USAGE, { json: { type: 'boolean' } });
  if (parsed === null) {
    return 0;
  }
  const { config, values } = parsed;
  const gallery = await openGallery({ dataDir: config.dataDir, fsync: config.fsync, databaseUrl: config.databaseUrl });
  try {
    const report = await gallery.scanSecrets(values.json ? undefined : progressPrinter('scanned'));
    process.stdout.write(values.json ? `${JSON.stringify(report, null, 2)}\n` : scanText(report));
    return report.findings.length > 0 || report.unreadable.length > 0 ? 1 : 0;
  } finally {
    await gallery.close();
  }
}

/** The plain output: a line per finding, a line per unreadable revision, and a summary. */
export function scanText(report: IGallerySecretReport): string {
  const lines = report.findings.map(finding => {
    const place =
      finding.cellIndex < 0
        ? 'notebook metadata'
        : `cell ${finding.cellIndex + 1}${finding.where === 'metadata' ? ' metadata' : ''}`;
    return (
      `${finding.notebookId} "${finding.title}" revision ${finding.revisionNumber} (${finding.revision.slice(0, 7)}) ` +
      `${place} line ${finding.line} column ${finding.column}: ${finding.description} [${finding.rule}] ${finding.masked}`
    );
  });
  for (const { notebookId, revision, reason } of report.unreadable) {
    lines.push(
      `${notebookId} revision ${revision.slice(0, 7)} could not be read (${reason}); run "notebook-gallery fsck".`
    );
  }
  const notebooksWithFindings = new Set(report.findings.map(finding => finding.notebookId)).size;
  lines.push(
    `Scanned ${report.notebooks} notebooks, ${report.revisions} revisions: ` +
      (report.findings.length === 0
        ? 'no secrets found.'
        : `${report.findings.length} possible secrets in ${notebooksWithFindings} notebooks. Remove them (history ` +
          'keeps old revisions: rotate the secret), or confirm a finding by saving with its fingerprint in ' +
          '"confirmedSecrets" (JSON output lists the fingerprints).')
  );
  return `${lines.join('\n')}\n`;
}

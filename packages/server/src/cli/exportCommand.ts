import * as path from 'node:path';
import { openExportSnapshot } from '../compositionRoot';
import { exportGallery, type IExportProgress } from '../transfer/galleryExport';
import { terminalProgress } from '../transfer/importProgress';
import { maintenanceArgs } from './maintenanceArgs';

/** `notebook-gallery export --help`. */
export const EXPORT_USAGE = `Usage: notebook-gallery export FILE.tar.gz [--data-dir D] [--database-url URL] [--owner U] [--tag T] [--group G] [--json]

Writes the gallery's notebooks into one archive (tar.gz): a manifest, and for each notebook its whole
history as a git bundle (with its change requests) and its metadata, shares, stars, comments and
change requests, with the users and groups it names (never password hashes or tokens). Safe while
the servers run: it reads one snapshot of the database (SQLite or PostgreSQL) and the git commits
that snapshot names.
Import it into another gallery with "notebook-gallery import FILE.tar.gz".

Options:
  --data-dir <dir>      the gallery's data directory (GALLERY_DATA_DIR, default ./.gallery)
  --database-url <url>  the gallery's PostgreSQL database, if it has one (GALLERY_DATABASE_URL)
  --owner <user>        only notebooks this user owns
  --tag <tag>           only notebooks with this tag (any case)
  --group <group>       only notebooks owned by or published to this group
  --json                print the result as JSON on stdout
  -h, --help            this help
`;

/** `export FILE`: the gallery's notebooks (or those the filters select) in one archive. */
export async function exportCommand(args: string[]): Promise<number> {
  const parsed = maintenanceArgs(args, 'export', ['FILE.tar.gz'], EXPORT_USAGE, {
    owner: { type: 'string' },
    tag: { type: 'string' },
    group: { type: 'string' },
    json: { type: 'boolean' }
  });
  if (parsed === null) {
    return 0;
  }
  const { config, positionals, values } = parsed;
  const file = path.resolve(positionals[0]);
  const filters = {
    owner: (values.owner as string | undefined) ?? null,
    tag: (values.tag as string | undefined) ?? null,
    group: (values.group as string | undefined) ?? null
  };
  const snapshot = await openExportSnapshot(config);
  const progress = exportProgress(process.stderr, values.json === true);
  try {
    const report = await exportGallery(snapshot.repository, config.dataDir, file, filters, progress);
    progress.stop();
    const { counts } = report.manifest;
    if (values.json) {
      process.stdout.write(`${JSON.stringify({ file, bytes: report.bytes, manifest: report.manifest }, null, 2)}\n`);
    } else {
      process.stdout.write(
        `Exported ${counts.notebooks} notebooks (${counts.revisions} revisions, ${counts.changeRequests} change ` +
          `requests, ${counts.comments} comments) to ${file} (${report.bytes} bytes).\n`
      );
    }
    return 0;
  } finally {
    progress.stop();
    await snapshot.close();
  }
}

/**
 * The import's progress output for an export: its bars in a terminal (notebooks with an ETA, and the current one),
 * otherwise a line per notebook on stderr (none with --json, whose result is the only output).
 */
function exportProgress(stream: NodeJS.WriteStream, json: boolean): IExportProgress & { stop(): void } {
  let bars: ReturnType<typeof terminalProgress> | undefined;
  return {
    started(total) {
      bars = stream.isTTY === true ? terminalProgress(total, stream) : undefined;
    },
    notebookDone(event) {
      const path = `notebooks/${event.id}`;
      if (bars) {
        bars.itemStarted({ path, revisions: event.revisions });
        bars.itemDone({
          sourceKey: event.id,
          path,
          galleryId: event.id,
          applied: event.revisions,
          skipped: 0,
          error: null
        });
      } else if (!json) {
        stream.write(
          `exported ${event.done}/${event.total} ${path} ${JSON.stringify(event.title)}: ${event.revisions} revisions\n`
        );
      }
    },
    stop() {
      bars?.stop();
      bars = undefined;
    }
  };
}

import { MultiBar, Presets, type SingleBar } from 'cli-progress';
import type { IImportItemReport, IImportProgress, IImportReport } from './importPipeline';

/**
 * Progress for a terminal: one bar for the whole run (notebooks done of the total, with an ETA when the source knows
 * the total) and one for the current notebook's revisions, on stderr, cleared at the end.
 */
export function terminalProgress(
  total: number | undefined,
  stream: NodeJS.WriteStream
): IImportProgress & { stop(): void } {
  const bars = new MultiBar(
    {
      stream,
      clearOnComplete: true,
      hideCursor: true,
      format: '{label} [{bar}] {value}/{total} {detail}',
      etaBuffer: 20
    },
    Presets.shades_classic
  );
  const overall = bars.create(
    total ?? 0,
    0,
    { label: 'notebooks', detail: '' },
    { format: `{label} [{bar}] {value}/{total}${total === undefined ? '' : ' ETA {eta_formatted}'} {detail}` }
  );
  let current: SingleBar | undefined;
  let done = 0;
  return {
    itemStarted({ path, revisions }) {
      current?.stop();
      if (current) {
        bars.remove(current);
      }
      current = bars.create(revisions, 0, { label: 'revisions', detail: path });
    },
    revisionDone() {
      current?.increment();
    },
    itemDone(report) {
      done++;
      if (total === undefined || done > total) {
        overall.setTotal(done);
      }
      overall.update(done, { detail: report.error ? `last error: ${report.path}` : '' });
    },
    stop() {
      bars.stop();
    }
  };
}

/** Progress without a terminal: one line per notebook on `out`. */
export function lineProgress(out: NodeJS.WritableStream): IImportProgress {
  return {
    itemStarted() {},
    revisionDone() {},
    itemDone(report) {
      out.write(`${reportLine(report)}\n`);
    }
  };
}

/** One notebook's outcome in words. */
export function reportLine(report: IImportItemReport): string {
  if (report.error !== null) {
    return `failed    ${report.path}: ${report.error}${report.applied > 0 ? ` (after ${report.applied} revisions)` : ''}`;
  }
  const verb = report.applied > 0 ? 'imported' : 'unchanged';
  return `${verb.padEnd(9)} ${report.path} → ${report.galleryId}: ${report.applied} revisions applied, ${report.skipped} already there`;
}

/** The summary line: notebooks imported, revisions applied and skipped, failures. */
export function summaryLine(report: IImportReport): string {
  const items = report.items;
  const failed = items.filter(item => item.error !== null).length;
  const applied = items.reduce((sum, item) => sum + item.applied, 0);
  const skipped = items.reduce((sum, item) => sum + item.skipped, 0);
  const touched = items.filter(item => item.applied > 0).length;
  return (
    `Imported ${touched} of ${items.length - failed} notebooks: ${applied} revisions applied, ${skipped} already there` +
    (failed > 0 ? `; ${failed} failed (listed above)` : '') +
    '.'
  );
}

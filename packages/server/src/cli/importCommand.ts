import type { Visibility } from '@notebook-gallery/core';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../config';
import { ConfigError } from '../errors/ConfigError';
import { runImport, type IImportOptions, type IImportProgress, type IImportTarget } from '../transfer/importPipeline';
import { lineProgress, reportLine, summaryLine, terminalProgress } from '../transfer/importProgress';
import type { ImportSourceKind } from '../transfer/importSource';
import { archiveNotes } from '../transfer/archiveImportNotes';
import { openGalleryArchive } from '../transfer/gallerySource';
import { detectSourceKind, openSource, SOURCE_KINDS } from '../transfer/importSources';
import { apiTarget, openDataDirTarget } from '../transfer/importTargets';
import { DEFAULT_TAR_LIMITS, type ITarLimits } from '../transfer/safeTarReader';

/** `notebook-gallery import --help`. */
export const IMPORT_USAGE = `Usage: notebook-gallery import SOURCE --owner NAME [options]
       (--data-dir D into a stopped gallery, or --server URL --token TOKEN into a running one)

Imports notebooks with their history. SOURCE is a folder of .ipynb files, a git repository, or an
nbgallery export (.tar.gz). Running it again adds only what changed; a run cut short resumes.

Options:
  --from <kind>          folder, git, nbgallery or gallery (detected when absent)
  --owner <name>         owner of notebooks the source names none for, and author of revisions
                         --author-map does not map (must exist)
  --visibility <v>       private (default), group or public, where the source says nothing
  --group <name>         the group "group" visibility publishes to
  --owned-by-group       the notebooks belong to --group
  --author-map <file>    JSON object: a git author's email or name → gallery username
  --confirm-secret <fp>  a finding's fingerprint (from an earlier run's report) that is not a secret;
                         repeat for each. Anything else that looks like a secret refuses its notebook
  --data-dir <dir>       the stopped gallery's data directory (GALLERY_DATA_DIR, default ./.gallery)
  --server <url>         a running gallery, through its admin API (needs --token of an admin)
  --token <token>        an admin's API token (GALLERY_TOKEN)
  --json                 print one JSON report (source key, gallery id, revisions applied and skipped,
                         error per notebook) instead of lines
  -h, --help             this help
`;

/** `import`: reads a source and applies its notebooks' revisions through the import service. */
export async function importCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: {
      from: { type: 'string' },
      owner: { type: 'string' },
      visibility: { type: 'string' },
      group: { type: 'string' },
      'owned-by-group': { type: 'boolean' },
      'author-map': { type: 'string' },
      'confirm-secret': { type: 'string', multiple: true },
      'data-dir': { type: 'string' },
      'database-url': { type: 'string' },
      server: { type: 'string' },
      token: { type: 'string' },
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' }
    },
    allowPositionals: true,
    strict: true
  });
  if (values.help) {
    process.stdout.write(IMPORT_USAGE);
    return 0;
  }
  if (positionals.length !== 1) {
    throw new ConfigError('expected: notebook-gallery import SOURCE --owner NAME');
  }
  if (!values.owner) {
    throw new ConfigError('--owner NAME is required');
  }
  const location = path.resolve(positionals[0]);
  const options: IImportOptions = {
    owner: values.owner,
    visibility: Private.visibility(values.visibility),
    group: values.group ?? null,
    ownedByGroup: values['owned-by-group'] ?? false,
    authorMap: Private.authorMap(values['author-map']),
    confirmedSecrets: values['confirm-secret'] ?? []
  };
  if (values.server !== undefined && values['data-dir'] !== undefined) {
    throw new ConfigError('give --data-dir or --server, not both');
  }
  const token = values.token ?? process.env.GALLERY_TOKEN;
  if (values.server !== undefined && !token) {
    throw new ConfigError('--server needs --token TOKEN (an admin API token) or GALLERY_TOKEN');
  }
  const config = loadConfig({ 'data-dir': values['data-dir'], 'database-url': values['database-url'] });
  const limits: ITarLimits = { ...DEFAULT_TAR_LIMITS, maxEntryBytes: config.bodyLimit };
  const kind = values.from !== undefined ? Private.kind(values.from) : await detectSourceKind(location, limits);
  const source = openSource(kind, location, limits, openGalleryArchive);
  const target: IImportTarget =
    values.server !== undefined
      ? apiTarget(values.server, token as string)
      : await openDataDirTarget(config.dataDir, config.fsync, config.embeddingModel ?? undefined, config.databaseUrl);
  const terminal = process.stderr.isTTY === true;
  let progress: IImportProgress | undefined;
  let stop = (): void => undefined;
  if (terminal) {
    const bars = terminalProgress(await source.count?.(), process.stderr);
    progress = bars;
    stop = () => bars.stop();
  } else if (!values.json) {
    progress = lineProgress(process.stdout);
  }
  try {
    const report = await runImport(source, target, options, progress);
    stop();
    if (values.json) {
      process.stdout.write(`${JSON.stringify({ source: { kind, location }, items: report.items }, null, 2)}\n`);
    } else {
      if (terminal) {
        for (const item of report.items) {
          process.stdout.write(`${reportLine(item)}\n`);
        }
      }
      process.stdout.write(`${summaryLine(report)}\n`);
      for (const line of archiveNotes(kind, report)) {
        process.stdout.write(`${line}\n`);
      }
    }
    return report.items.some(item => item.error !== null) ? 1 : 0;
  } finally {
    stop();
    await target.close();
  }
}

namespace Private {
  const VISIBILITIES: readonly Visibility[] = ['private', 'group', 'public'];

  /** @throws {ConfigError} */
  export function visibility(value: string | undefined): Visibility {
    if (value === undefined) {
      return 'private';
    }
    if (!(VISIBILITIES as readonly string[]).includes(value)) {
      throw new ConfigError(`--visibility must be one of ${VISIBILITIES.join(', ')}, got "${value}"`);
    }
    return value as Visibility;
  }

  /** @throws {ConfigError} */
  export function kind(value: string): ImportSourceKind {
    if (!(SOURCE_KINDS as readonly string[]).includes(value)) {
      throw new ConfigError(`--from must be one of ${SOURCE_KINDS.join(', ')}, got "${value}"`);
    }
    return value as ImportSourceKind;
  }

  /**
   * The `--author-map` file: a JSON object from an email or name to a gallery username.
   * @throws {ConfigError} when it cannot be read or is not such an object.
   */
  export function authorMap(file: string | undefined): Map<string, string> {
    if (file === undefined) {
      return new Map();
    }
    let value: unknown;
    try {
      value = JSON.parse(fs.readFileSync(file, 'utf8'));
    } catch (error) {
      throw new ConfigError(`--author-map ${file}: ${(error as Error).message}`);
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      throw new ConfigError(`--author-map ${file} must hold a JSON object of "email or name": "username"`);
    }
    const map = new Map<string, string>();
    for (const [key, username] of Object.entries(value)) {
      if (typeof username !== 'string' || username === '') {
        throw new ConfigError(`--author-map ${file}: "${key}" must map to a username`);
      }
      map.set(key, username);
    }
    return map;
  }
}

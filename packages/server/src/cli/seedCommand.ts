import { parseArgs } from 'node:util';
import { loadConfig } from '../config';
import { ConfigError } from '../errors/ConfigError';
import { openGallery } from '../compositionRoot';
import { seedExamples } from '../seedExamples';

/** `notebook-gallery seed --help`. */
export const SEED_USAGE = `Usage: notebook-gallery seed --owner NAME [--data-dir D]

Adds the example notebooks that the gallery does not have yet; running it again adds nothing.

Options:
  --owner <name>     the user who will own the examples (must exist)
  --data-dir <dir>   the gallery's data directory (GALLERY_DATA_DIR, default ./.gallery)
  -h, --help         this help
`;

/** `seed`: adds the bundled example notebooks. */
export async function seedCommand(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      owner: { type: 'string' },
      'data-dir': { type: 'string' },
      'database-url': { type: 'string' },
      help: { type: 'boolean', short: 'h' }
    },
    strict: true
  });
  if (values.help) {
    process.stdout.write(SEED_USAGE);
    return 0;
  }
  if (!values.owner) {
    throw new ConfigError('--owner NAME is required');
  }
  const config = loadConfig({ 'data-dir': values['data-dir'], 'database-url': values['database-url'] });
  const gallery = await openGallery({
    dataDir: config.dataDir,
    fsync: config.fsync,
    databaseUrl: config.databaseUrl,
    embeddingModel: config.embeddingModel ?? undefined
  });
  try {
    const report = await seedExamples(gallery, values.owner);
    for (const title of report.added) {
      process.stdout.write(`added   ${title}\n`);
    }
    for (const title of report.skipped) {
      process.stdout.write(`exists  ${title}\n`);
    }
  } finally {
    await gallery.close();
  }
  return 0;
}

import { parseArgs, type ParseArgsConfig } from 'node:util';
import { loadConfig, type IGalleryConfig } from '../config';
import { ConfigError } from '../errors/ConfigError';

/** What a maintenance command was asked: the gallery's configuration and its positional arguments. */
export interface IMaintenanceArgs {
  config: IGalleryConfig;
  positionals: string[];
  /** The command's own options (those `options` named), by name. */
  values: Record<string, string | boolean | undefined>;
}

/**
 * Reads the arguments of the commands that work on a data directory (backup, restore, rebuild-index): `--data-dir`,
 * `--database-url` (a PostgreSQL gallery),
 * `--help` and exactly the positional arguments `expected` names, so each says the same thing for the same mistake;
 * `options` adds a command's own (export's filters). Prints `usage` and returns null for `--help`.
 * @throws {ConfigError} for an unknown option or a wrong number of positional arguments.
 */
export function maintenanceArgs(
  args: string[],
  command: string,
  expected: readonly string[],
  usage: string,
  options: NonNullable<ParseArgsConfig['options']> = {}
): IMaintenanceArgs | null {
  const { values, positionals } = parseArgs({
    args,
    options: {
      ...options,
      'data-dir': { type: 'string' },
      'database-url': { type: 'string' },
      help: { type: 'boolean', short: 'h' }
    },
    allowPositionals: expected.length > 0,
    strict: true
  });
  if (values.help) {
    process.stdout.write(usage);
    return null;
  }
  if (positionals.length !== expected.length) {
    throw new ConfigError(`expected: notebook-gallery ${[command, ...expected].join(' ')}`);
  }
  const own: Record<string, string | boolean | undefined> = { ...values };
  delete own['data-dir'];
  delete own['database-url'];
  delete own.help;
  const flags = {
    'data-dir': values['data-dir'] as string | undefined,
    'database-url': values['database-url'] as string | undefined
  };
  return { config: loadConfig(flags), positionals, values: own };
}

import { parseArgs } from 'node:util';
import { loadConfig, type IGalleryConfig } from '../config';
import { ConfigError } from '../errors/ConfigError';

/** What a maintenance command was asked: the gallery's configuration and its positional arguments. */
export interface IMaintenanceArgs {
  config: IGalleryConfig;
  positionals: string[];
  /** The boolean options the command takes (`--json`), each true when given. */
  flags: Record<string, boolean>;
}

/**
 * Reads the arguments of the commands that work on a data directory (backup, restore, rebuild-index): `--data-dir`,
 * `--help`, the boolean options `flags` names and exactly the positional arguments `expected` names, so each says
 * the same thing for the same mistake. Prints `usage` and returns null for `--help`.
 * @throws {ConfigError} for an unknown option or a wrong number of positional arguments.
 */
export function maintenanceArgs(
  args: string[],
  command: string,
  expected: readonly string[],
  usage: string,
  flags: readonly string[] = []
): IMaintenanceArgs | null {
  const { values, positionals } = parseArgs({
    args,
    options: {
      'data-dir': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
      ...Object.fromEntries(flags.map(flag => [flag, { type: 'boolean' as const }]))
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
  const given = values as Record<string, string | boolean | undefined>;
  return {
    config: loadConfig({ 'data-dir': given['data-dir'] as string | undefined }),
    positionals,
    flags: Object.fromEntries(flags.map(flag => [flag, given[flag] === true]))
  };
}

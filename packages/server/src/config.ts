import * as path from 'node:path';
import { ConfigError } from './errors/ConfigError';

/** Log levels pino understands, plus `silent`. */
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** One of {@link LOG_LEVELS}. */
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Everything the server needs to run; built by {@link loadConfig}. */
export interface IGalleryConfig {
  /** Absolute directory holding `gallery.sqlite`, `repos/`, `trash/` and `jwt-secret`. */
  dataDir: string;
  host: string;
  /** 0 picks a free port. */
  port: number;
  /** Origins allowed to call the API from a browser, e.g. the JupyterLab the extension runs in. */
  corsOrigins: string[];
  /** Largest accepted request body, in bytes. */
  bodyLimit: number;
  /** How long a login token works, in seconds. */
  tokenTtlSeconds: number;
  logLevel: LogLevel;
}

/** Raw option values by flag name without `--` (e.g. `data-dir`), as node:util parseArgs returns them. */
export type ConfigFlags = Record<string, string | undefined>;

/** How one option is given and parsed. */
export interface IConfigOption<K extends keyof IGalleryConfig> {
  key: K;
  flag: string;
  env: string;
  defaultValue: string;
  help: string;
  parse(raw: string, source: string): IGalleryConfig[K];
}

/** Every option: its flag, its environment variable, its default and how it is parsed; the CLI's help comes from here. */
export const CONFIG_OPTIONS = [
  option({
    key: 'dataDir',
    flag: 'data-dir',
    env: 'GALLERY_DATA_DIR',
    defaultValue: './.gallery',
    help: 'directory for the database, the git repositories and the token secret',
    parse: (raw, source) => path.resolve(nonEmpty(raw, source))
  }),
  option({
    key: 'host',
    flag: 'host',
    env: 'GALLERY_HOST',
    defaultValue: '127.0.0.1',
    help: 'address to listen on',
    parse: nonEmpty
  }),
  option({
    key: 'port',
    flag: 'port',
    env: 'GALLERY_PORT',
    defaultValue: '8765',
    help: 'port to listen on; 0 picks a free one',
    parse: (raw, source) => integerInRange(raw, source, 0, 65535)
  }),
  option({
    key: 'corsOrigins',
    flag: 'cors-origins',
    env: 'GALLERY_CORS_ORIGINS',
    defaultValue: 'http://127.0.0.1:8888,http://localhost:8888',
    help: 'comma-separated browser origins allowed to call the API (the JupyterLab servers)',
    parse: parseOrigins
  }),
  option({
    key: 'bodyLimit',
    flag: 'body-limit',
    env: 'GALLERY_BODY_LIMIT',
    defaultValue: '50MiB',
    help: 'largest request body: bytes, or a number with KB, KiB, MB, MiB, GB or GiB',
    parse: parseSize
  }),
  option({
    key: 'tokenTtlSeconds',
    flag: 'token-ttl',
    env: 'GALLERY_TOKEN_TTL',
    defaultValue: '7d',
    help: 'how long a login lasts: seconds, or a number with s, m, h or d',
    parse: parseDuration
  }),
  option({
    key: 'logLevel',
    flag: 'log-level',
    env: 'GALLERY_LOG_LEVEL',
    defaultValue: 'info',
    help: `one of ${LOG_LEVELS.join(', ')}`,
    parse: parseLogLevel
  })
];

/**
 * Builds the config from CLI flags, then `GALLERY_*` environment variables, then defaults.
 * @throws {ConfigError} naming the flag or variable whose value cannot be used.
 */
export function loadConfig(flags: ConfigFlags = {}, env: NodeJS.ProcessEnv = process.env): IGalleryConfig {
  const config: Partial<Record<keyof IGalleryConfig, unknown>> = {};
  for (const opt of CONFIG_OPTIONS) {
    const fromFlag = flags[opt.flag];
    const fromEnv = env[opt.env];
    if (fromFlag !== undefined) {
      config[opt.key] = opt.parse(fromFlag, `--${opt.flag}`);
    } else if (fromEnv !== undefined && fromEnv !== '') {
      config[opt.key] = opt.parse(fromEnv, opt.env);
    } else {
      config[opt.key] = opt.parse(opt.defaultValue, `default of --${opt.flag}`);
    }
  }
  return config as IGalleryConfig;
}

function option<K extends keyof IGalleryConfig>(opt: IConfigOption<K>): IConfigOption<K> {
  return opt;
}

function nonEmpty(raw: string, source: string): string {
  const value = raw.trim();
  if (!value) {
    throw new ConfigError(`${source} must not be empty`);
  }
  return value;
}

function integerInRange(raw: string, source: string, min: number, max: number): number {
  const value = raw.trim();
  if (!/^\d+$/.test(value) || Number(value) < min || Number(value) > max) {
    throw new ConfigError(`${source} must be a whole number from ${min} to ${max}, got "${raw}"`);
  }
  return Number(value);
}

function parseOrigins(raw: string, source: string): string[] {
  const origins = raw
    .split(',')
    .map(origin => origin.trim())
    .filter(origin => origin !== '');
  for (const origin of origins) {
    let url: URL;
    try {
      url = new URL(origin);
    } catch {
      throw new ConfigError(`${source}: "${origin}" is not an origin like http://localhost:8888`);
    }
    if (url.origin !== origin.replace(/\/$/, '')) {
      throw new ConfigError(`${source}: "${origin}" must be scheme://host[:port] with no path`);
    }
  }
  return origins.map(origin => origin.replace(/\/$/, ''));
}

const SIZE_UNITS: Record<string, number> = {
  '': 1,
  b: 1,
  kb: 1e3,
  kib: 1024,
  mb: 1e6,
  mib: 1024 ** 2,
  gb: 1e9,
  gib: 1024 ** 3
};

function parseSize(raw: string, source: string): number {
  const match = /^(\d+)\s*([a-z]*)$/i.exec(raw.trim());
  const unit = match ? SIZE_UNITS[match[2].toLowerCase()] : undefined;
  if (!match || unit === undefined || Number(match[1]) === 0) {
    throw new ConfigError(`${source} must be a positive size like 1048576, 512KiB or 50MiB, got "${raw}"`);
  }
  return Number(match[1]) * unit;
}

const DURATION_UNITS: Record<string, number> = { '': 1, s: 1, m: 60, h: 3600, d: 86400 };

function parseDuration(raw: string, source: string): number {
  const match = /^(\d+)\s*([smhd]?)$/i.exec(raw.trim());
  if (!match || Number(match[1]) === 0) {
    throw new ConfigError(`${source} must be a positive duration like 3600, 12h or 7d, got "${raw}"`);
  }
  return Number(match[1]) * DURATION_UNITS[match[2].toLowerCase()];
}

function parseLogLevel(raw: string, source: string): LogLevel {
  const value = raw.trim().toLowerCase();
  if (!(LOG_LEVELS as readonly string[]).includes(value)) {
    throw new ConfigError(`${source} must be one of ${LOG_LEVELS.join(', ')}, got "${raw}"`);
  }
  return value as LogLevel;
}

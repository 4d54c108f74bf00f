import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { buildApp, type IAppOptions } from '../../src/app';
import { loadConfig, type ConfigFlags, type IGalleryConfig } from '../../src/config';
import { repositoryPath } from '../../src/storage/repositoryLayout';
import { postgresCluster } from './postgresCluster';

/** A fresh temporary data directory; removed by {@link ITestGallery.close}. */
export function makeDataDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'gallery-test-'));
}

/**
 * Limits far above what any test does: tests log in, save and comment many times as one user from one address. The
 * limit tests set their own; servers started as processes (helpers/cliProcess.ts) get these as flags too.
 */
export const GENEROUS_LIMITS: ConfigFlags = {
  'login-rate-limit': '100000/1m',
  'login-address-rate-limit': '100000/1m',
  'login-user-rate-limit': '100000/1m',
  'token-rate-limit': '100000/1m',
  'save-rate-limit': '100000/1m',
  'change-request-rate-limit': '100000/1m',
  'activity-rate-limit': '100000/1m',
  'health-report-rate-limit': '100000/1m',
  'comment-rate-limit': '100000/1m',
  'import-rate-limit': '100000/1m',
  'write-rate-limit': '100000/1m'
};

/** {@link GENEROUS_LIMITS} as command-line arguments. */
export function generousLimitArgs(): string[] {
  return Object.entries(GENEROUS_LIMITS).flatMap(([flag, value]) => [`--${flag}`, String(value)]);
}

/** An app over a temporary data directory, with helpers for logged-in requests. */
export interface ITestGallery {
  app: FastifyInstance;
  config: IGalleryConfig;
  dataDir: string;
  /** Adds a user and returns a bearer token for them. */
  login(username: string, options?: { admin?: boolean }): Promise<string>;
  /** `app.inject` with `Authorization: Bearer <token>`. */
  request(token: string | null, options: InjectOptions): Promise<LightMyRequestResponse>;
  /** The bare repository of a notebook. */
  repo(id: string): string;
  close(): Promise<void>;
}

/**
 * Builds an app on a new temporary data directory (or `dataDir`), quiet unless a test fails; `appOptions` can
 * install a save hook that fails a step of a save.
 */
export async function startTestGallery(
  flags: ConfigFlags = {},
  dataDir = makeDataDir(),
  appOptions: IAppOptions = {}
): Promise<ITestGallery> {
  const databaseUrl = flags['database-url'] === undefined ? await testDatabaseOf(dataDir) : null;
  const config = loadConfig(
    {
      'data-dir': dataDir,
      'log-level': 'silent',
      ...GENEROUS_LIMITS,
      ...(databaseUrl ? { 'database-url': databaseUrl } : {}),
      ...flags
    },
    {}
  );
  let app: FastifyInstance;
  try {
    app = await buildApp(config, appOptions);
  } catch (error) {
    await dropTestDatabaseOf(dataDir);
    throw error;
  }
  return {
    app,
    config,
    dataDir,
    async login(username, options = {}) {
      await app.accounts.add(username, `${username}-password`, options.admin ?? false);
      const response = await app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { username, password: `${username}-password` }
      });
      return response.json().token as string;
    },
    request(token, options) {
      const headers = { ...(options.headers ?? {}), ...(token ? { authorization: `Bearer ${token}` } : {}) };
      return app.inject({ ...options, headers });
    },
    repo: id => repositoryPath(dataDir, id),
    async close() {
      await app.close();
      await dropTestDatabaseOf(dataDir);
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  };
}

/**
 * Which database a test gallery gets: SQLite in its data directory, or, when the tests run for PostgreSQL
 * (`GALLERY_TEST_DATABASE=postgres`, the server-postgres jest project), a new database of this process's throwaway
 * PostgreSQL cluster (helpers/postgresCluster.ts). A test that names its own `database-url` keeps it.
 */
export function testDatabaseBackend(): 'sqlite' | 'postgres' {
  return process.env.GALLERY_TEST_DATABASE === 'postgres' ? 'postgres' : 'sqlite';
}

/** The PostgreSQL database of each data directory a test gallery was opened on, while the tests run for PostgreSQL. */
const dataDirDatabases = new Map<string, Promise<string>>();

/**
 * The `--database-url` of the test gallery kept in `dataDir`: null on SQLite (its database is a file in the
 * directory); on PostgreSQL a new database of this process's cluster the first time the directory is named, and the
 * same one after, so a gallery reopened on its directory (a restart, the CLI, `openGallery`, the import helpers)
 * finds what it wrote. {@link dropTestDatabaseOf} drops it.
 */
export function testDatabaseOf(dataDir: string): Promise<string | null> {
  if (testDatabaseBackend() !== 'postgres') {
    return Promise.resolve(null);
  }
  let url = dataDirDatabases.get(dataDir);
  if (url === undefined) {
    url = postgresCluster().createDatabase('api');
    dataDirDatabases.set(dataDir, url);
  }
  return url;
}

/** Drops the PostgreSQL database {@link testDatabaseOf} made for `dataDir`, if any. */
export async function dropTestDatabaseOf(dataDir: string): Promise<void> {
  const url = dataDirDatabases.get(dataDir);
  if (url !== undefined) {
    dataDirDatabases.delete(dataDir);
    await postgresCluster().dropDatabase(await url);
  }
}

/**
 * The command-line arguments that name the test gallery in `dataDir` to the CLI: `--data-dir`, and `--database-url`
 * when the tests run for PostgreSQL.
 */
export async function galleryArgs(dataDir: string): Promise<string[]> {
  const url = await testDatabaseOf(dataDir);
  return ['--data-dir', dataDir, ...(url === null ? [] : ['--database-url', url])];
}

/**
 * Timeout of hooks that start an app or hash passwords: on a busy 2-core CI machine they take far longer than
 * jest's 5 s default, and a hook that times out fails every test after it.
 */
export const SETUP_TIMEOUT_MS = 60_000;

/**
 * A call through `gallery` that must answer `status`: on any other, the failure names the method, the URL and the
 * body the server sent. Answers the parsed JSON body, or null for an empty one.
 */
export function callExpecting(
  gallery: ITestGallery
): (token: string | null, options: InjectOptions, status: number) => Promise<any> {
  return async (token, options, status) => {
    const response = await gallery.request(token, options);
    expect([options.method, options.url, response.statusCode, response.body]).toEqual([
      options.method,
      options.url,
      status,
      expect.anything()
    ]);
    return response.body ? response.json() : null;
  };
}

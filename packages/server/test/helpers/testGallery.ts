import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { buildApp, type IAppOptions } from '../../src/app';
import { loadConfig, type ConfigFlags, type IGalleryConfig } from '../../src/config';
import { repositoryPath } from '../../src/storage/repositoryLayout';

/** A fresh temporary data directory; removed by {@link ITestGallery.close}. */
export function makeDataDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'gallery-test-'));
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
  // Tests log in (and comment) many times from one address; the rate limit tests set their own limits.
  const config = loadConfig(
    {
      'data-dir': dataDir,
      'log-level': 'silent',
      'login-rate-limit': '1000/1m',
      'comment-rate-limit': '1000/1m',
      ...flags
    },
    {}
  );
  const app = await buildApp(config, appOptions);
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
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  };
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

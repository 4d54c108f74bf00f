import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import * as fs from 'node:fs';
import { buildApp } from '../../src/app';
import { loadConfig, type ConfigFlags } from '../../src/config';
import { dropTestDatabaseOf, GENEROUS_LIMITS, makeDataDir, testDatabaseOf } from '../helpers/testGallery';
import type { StandInHub } from './standInHub';

/** Where the stand-in hub's managed service is mounted. */
export const PREFIX = '/services/gallery';

/** A gallery app in hub mode, talking to a stand-in hub, with a clock the tests move. */
export interface IHubGallery {
  app: FastifyInstance;
  /** Moves the clock the identity cache reads `seconds` ahead. */
  advance(seconds: number): void;
  /** `app.inject` under the prefix with `Authorization: token <hubToken>` (none when null). */
  request(hubToken: string | null, options: InjectOptions & { url: string }): Promise<LightMyRequestResponse>;
  close(): Promise<void>;
}

/** The environment JupyterHub gives a managed service named `gallery`. */
export function hubEnvironment(hub: StandInHub): NodeJS.ProcessEnv {
  return {
    JUPYTERHUB_SERVICE_URL: 'http://127.0.0.1:10101',
    JUPYTERHUB_SERVICE_PREFIX: `${PREFIX}/`,
    JUPYTERHUB_SERVICE_NAME: 'gallery',
    JUPYTERHUB_API_URL: hub.apiUrl,
    JUPYTERHUB_API_TOKEN: hub.serviceToken,
    JUPYTERHUB_BASE_URL: '/',
    JUPYTERHUB_CLIENT_ID: 'service-gallery'
  };
}

/**
 * Builds a hub-mode app over a new data directory (and its own PostgreSQL database when the tests run for
 * PostgreSQL); periodic sync is off unless `flags` turn it on.
 */
export async function startHubGallery(hub: StandInHub, flags: ConfigFlags = {}): Promise<IHubGallery> {
  const dataDir = makeDataDir();
  const databaseUrl = await testDatabaseOf(dataDir);
  const config = loadConfig(
    {
      'data-dir': dataDir,
      'log-level': 'silent',
      'hub-sync-interval': '0',
      ...GENEROUS_LIMITS,
      ...(databaseUrl === null ? {} : { 'database-url': databaseUrl }),
      ...flags
    },
    hubEnvironment(hub)
  );
  // The clock stands still unless a test moves it: a cache time of 60 s checked after advance(59) must not expire
  // because the loaded machine took another second to answer.
  let nowMs = Date.now();
  let app: FastifyInstance;
  try {
    app = await buildApp(config, { now: () => nowMs });
  } catch (error) {
    await dropTestDatabaseOf(dataDir);
    throw error;
  }
  return {
    app,
    advance: seconds => {
      nowMs += seconds * 1000;
    },
    request: (hubToken, options) =>
      app.inject({
        ...options,
        url: `${PREFIX}${options.url}`,
        headers: { ...(options.headers ?? {}), ...(hubToken ? { authorization: `token ${hubToken}` } : {}) }
      }),
    async close() {
      await app.close();
      await dropTestDatabaseOf(dataDir);
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  };
}

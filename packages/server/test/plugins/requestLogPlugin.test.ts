import { Writable } from 'node:stream';
import type { SavePoint } from '../../src/storage/saveHooks';
import { sampleNotebook } from '../helpers/fixtures';
import { startTestGallery, type ITestGallery, SETUP_TIMEOUT_MS } from '../helpers/testGallery';

/*
 * What the gallery writes to its log per request (in a JupyterHub, into the hub's log): nothing at the default level
 * for a request that went well, such as the hub's poll every minute, and one line for a failed or a slow one.
 */

/** pino's levels as numbers in its JSON lines. */
const DEBUG = 20;
const INFO = 30;
const WARN = 40;
const ERROR = 50;

/** Collects pino's JSON lines, as the process's stdout would receive them. */
class LogLines extends Writable {
  readonly lines: Array<Record<string, unknown>> = [];

  override _write(chunk: Buffer, _encoding: string, done: () => void): void {
    for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) {
      this.lines.push(JSON.parse(line));
    }
    done();
  }

  /** Every line that mentions `text` anywhere, whatever its fields are called. */
  mentioning(text: string): Array<Record<string, unknown>> {
    return this.lines.filter(line => JSON.stringify(line).includes(text));
  }

  /** Waits for a line about a request to `path` (pino writes it once the response has gone out). */
  async lineFor(path: string): Promise<Record<string, unknown>> {
    for (let waited = 0; waited < 5000; waited += 20) {
      const found = this.lines.find(line => line.path === path);
      if (found) {
        return found;
      }
      await new Promise(resolve => setTimeout(resolve, 20));
    }
    throw new Error(`no log line for ${path}; the log has:\n${this.lines.map(l => JSON.stringify(l)).join('\n')}`);
  }
}

let gallery: ITestGallery | undefined;
let log: LogLines;
/** What the save hook does at `after-objects`: nothing, fail like a broken disk, or wait like a slow one. */
let disk: 'ok' | 'failing' | { slowMs: number } = 'ok';

async function start(flags: Record<string, string>): Promise<ITestGallery> {
  log = new LogLines();
  disk = 'ok';
  gallery = await startTestGallery(flags, undefined, {
    logStream: log,
    saveHook: async (point: SavePoint) => {
      if (point !== 'after-objects') {
        return;
      }
      if (disk === 'failing') {
        throw Object.assign(new Error('injected failure'), { code: 'EIO' });
      }
      if (typeof disk === 'object') {
        await new Promise(resolve => setTimeout(resolve, (disk as { slowMs: number }).slowMs));
      }
    }
  });
  return gallery;
}

afterEach(async () => {
  await gallery?.close();
  gallery = undefined;
});

function save(app: ITestGallery, token: string) {
  return app.request(token, {
    method: 'POST',
    url: '/api/notebooks',
    payload: { notebook: sampleNotebook('logged'), title: 'Logged' }
  });
}

describe('the request log', () => {
  it(
    'writes nothing at the default level for a request that went well, and one info line for a 404',
    async () => {
      const app = await start({ 'log-level': 'info' });
      expect((await app.request(null, { method: 'GET', url: '/healthz' })).statusCode).toBe(200);
      expect((await app.request(null, { method: 'GET', url: '/no-such-page' })).statusCode).toBe(404);

      const notFound = await log.lineFor('/no-such-page');
      expect(notFound).toMatchObject({ level: INFO, method: 'GET', statusCode: 404 });
      expect(log.mentioning('/no-such-page')).toHaveLength(1);
      expect(log.mentioning('/healthz')).toEqual([]);
    },
    SETUP_TIMEOUT_MS
  );

  it(
    'writes every request at debug, with its path but not its query',
    async () => {
      const app = await start({ 'log-level': 'debug' });
      expect((await app.request(null, { method: 'GET', url: '/healthz?state=secret-state' })).statusCode).toBe(200);

      const line = await log.lineFor('/healthz');
      expect(line).toMatchObject({ level: DEBUG, method: 'GET', path: '/healthz', statusCode: 200 });
      expect(line.responseTime).toEqual(expect.any(Number));
      expect(log.mentioning('secret-state')).toEqual([]);
    },
    SETUP_TIMEOUT_MS
  );

  it(
    'writes a request that failed with a 500 at error',
    async () => {
      const app = await start({ 'log-level': 'info' });
      const token = await app.login('ann');
      disk = 'failing';
      expect((await save(app, token)).statusCode).toBe(500);

      expect(await log.lineFor('/api/notebooks')).toMatchObject({ level: ERROR, method: 'POST', statusCode: 500 });
    },
    SETUP_TIMEOUT_MS
  );

  it(
    'writes a request slower than --slow-request-ms at warn, with how long it took',
    async () => {
      const app = await start({ 'log-level': 'info', 'slow-request-ms': '300' });
      const token = await app.login('ann');
      disk = { slowMs: 600 };
      expect((await save(app, token)).statusCode).toBe(201);

      const line = await log.lineFor('/api/notebooks');
      expect(line).toMatchObject({ level: WARN, method: 'POST', statusCode: 201 });
      expect(line.responseTime).toBeGreaterThanOrEqual(600);
      expect(line.msg).toMatch(/^slow request: \d+ ms$/);
    },
    SETUP_TIMEOUT_MS
  );
});

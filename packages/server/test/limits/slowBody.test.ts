import * as http from 'node:http';
import * as net from 'node:net';
import { startTestGallery, type ITestGallery, SETUP_TIMEOUT_MS } from '../helpers/testGallery';

/*
 * A slow client cannot hold the server: a body sent one byte a second is cut with 408 REQUEST_TIMEOUT within
 * --request-timeout on every route (a login, a save, a route that does not exist), and meanwhile /healthz answers
 * in under 50 ms. Over real sockets: timeouts are the HTTP server's, which app.inject never reaches.
 */

const TIMEOUT_SECONDS = 3;
/** Node looks for timed-out requests once a second (app.ts); the rest is slack for a busy machine. */
const CUT_WITHIN_MS = TIMEOUT_SECONDS * 1000 + 1000 + 1500;

let gallery: ITestGallery;
let port: number;

beforeAll(async () => {
  gallery = await startTestGallery({
    'request-timeout': `${TIMEOUT_SECONDS}s`,
    'headers-timeout': `${TIMEOUT_SECONDS}s`
  });
  await gallery.app.listen({ host: '127.0.0.1', port: 0 });
  port = (gallery.app.server.address() as net.AddressInfo).port;
}, SETUP_TIMEOUT_MS);

afterAll(async () => {
  await gallery.close();
});

interface ISlowUpload {
  /** Everything the server sent back. */
  reply: string;
  /** Milliseconds from the headers to the server closing the connection. */
  closedAfterMs: number;
  /** Bytes of the body sent before the cut. */
  bytesSent: number;
}

/**
 * Sends a request's headers at once, then its 1000-byte body one byte a second, until the server closes it. A route
 * that refuses the request before reading its body (404, 401) answers at once, but the connection still has to
 * take the rest of the body, so it is cut the same way.
 */
function slowUpload(method: string, path: string, token?: string): Promise<ISlowUpload> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    let reply = '';
    let bytesSent = 0;
    let timer: NodeJS.Timeout | undefined;
    const started = Date.now();
    socket.setEncoding('utf8');
    socket.on('data', chunk => (reply += chunk));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearInterval(timer);
      resolve({ reply, closedAfterMs: Date.now() - started, bytesSent });
    });
    socket.on('connect', () => {
      socket.write(
        `${method} ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n` +
          (token ? `Authorization: Bearer ${token}\r\n` : '') +
          'Content-Length: 1000\r\n\r\n'
      );
      timer = setInterval(() => {
        if (!socket.destroyed && socket.writable) {
          socket.write(bytesSent === 0 ? '{' : ' ');
          bytesSent++;
        }
        if (Date.now() - started > 15_000) {
          socket.destroy();
          reject(new Error('the server never cut the slow body'));
        }
      }, 1000);
    });
  });
}

/** How long GET /healthz takes over a fresh connection, in milliseconds. */
function healthzMs(): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    http
      .get({ host: '127.0.0.1', port, path: '/healthz', agent: false }, response => {
        response.resume();
        response.on('end', () => {
          expect(response.statusCode).toBe(200);
          resolve(Number(process.hrtime.bigint() - started) / 1e6);
        });
      })
      .on('error', reject);
  });
}

it('cuts a body sent one byte a second with 408 on every route, while /healthz stays under 50 ms', async () => {
  const token = await gallery.login('ann');
  let uploading = true;
  const uploads = Promise.all([
    slowUpload('POST', '/api/auth/login'),
    slowUpload('PUT', '/api/notebooks/some-id', token),
    slowUpload('PUT', '/api/notebooks/some-id'),
    slowUpload('POST', '/no/such/route')
  ]).finally(() => {
    uploading = false;
  });
  const healthTimes: number[] = [];
  while (uploading) {
    healthTimes.push(await healthzMs());
    await new Promise(resolve => setTimeout(resolve, 200));
  }
  const results = await uploads;
  for (const result of results) {
    // The server's last word on the connection is the 408.
    const last = result.reply.slice(result.reply.lastIndexOf('HTTP/1.1 '));
    expect(last).toMatch(/^HTTP\/1\.1 408 Request Timeout\r\n[^]*Connection: close\r\n/);
    const body = JSON.parse(last.split('\r\n\r\n')[1]);
    expect(body).toEqual({
      error: 'REQUEST_TIMEOUT',
      message: expect.stringContaining(`did not arrive within ${TIMEOUT_SECONDS} seconds`)
    });
    expect(result.closedAfterMs).toBeGreaterThanOrEqual(TIMEOUT_SECONDS * 1000 - 100);
    expect(result.closedAfterMs).toBeLessThan(CUT_WITHIN_MS);
    expect(result.bytesSent).toBeLessThan(1000);
  }
  expect(healthTimes.length).toBeGreaterThan(5);
  // Under 50 ms as a rule; on a busy 2-core machine the scheduler can delay one now and then, but a server held up by
  // the slow bodies would take seconds, the length of the upload.
  const sorted = [...healthTimes].sort((a, b) => a - b);
  expect(sorted[Math.floor(sorted.length / 2)]).toBeLessThan(50);
  expect(sorted[sorted.length - 1]).toBeLessThan(1000);
}, 30_000);

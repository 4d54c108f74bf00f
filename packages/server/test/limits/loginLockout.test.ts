import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { CONFIG_OPTIONS } from '../../src/config';
import { startTestGallery, type ITestGallery, SETUP_TIMEOUT_MS } from '../helpers/testGallery';

/*
 * One caller cannot lock out another: an attacker's address guessing a user's password is stopped, and the user,
 * from another address, still logs in with the right password. Over real sockets: the attacker's requests come from
 * 127.0.0.2 and the user's from 127.0.0.3 (both loopback addresses a client can bind as its local side), so the
 * server sees the addresses the way it sees real clients.
 */

interface IReply {
  status: number;
  retryAfter: string | undefined;
  body: any;
}

/** POST /api/auth/login to the listening server from `localAddress`. */
function login(port: number, localAddress: string, username: string, password: string): Promise<IReply> {
  return new Promise((resolve, reject) => {
    const payload = JSON.stringify({ username, password });
    const request = http.request(
      {
        host: '127.0.0.1',
        port,
        localAddress,
        method: 'POST',
        path: '/api/auth/login',
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) },
        agent: false
      },
      response => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', chunk => (text += chunk));
        response.on('end', () =>
          resolve({
            status: response.statusCode ?? 0,
            retryAfter: response.headers['retry-after'] as string | undefined,
            body: JSON.parse(text)
          })
        );
      }
    );
    request.on('error', reject);
    request.end(payload);
  });
}

/** The shipped default of a login limit, so the test holds the documented limits, not limits of its own. */
function loginDefaults(): Record<string, string> {
  const flags = ['login-rate-limit', 'login-address-rate-limit', 'login-user-rate-limit'];
  return Object.fromEntries(
    flags.map(flag => [flag, CONFIG_OPTIONS.find(option => option.flag === flag)?.defaultValue as string])
  );
}

describe.each([
  ['the default limits', {}],
  // So low that the attacker also passes the per-username limit: the owner must still get in.
  ['a per-username limit the attack exceeds', { 'login-user-rate-limit': '5/1h' }]
])('50 wrong passwords from one address, with %s', (_label, flags: Record<string, string>) => {
  let gallery: ITestGallery;
  let port: number;

  beforeAll(async () => {
    gallery = await startTestGallery({ ...loginDefaults(), ...flags });
    await gallery.app.accounts.add('ann', 'correct horse battery');
    await gallery.app.listen({ host: '127.0.0.1', port: 0 });
    port = (gallery.app.server.address() as AddressInfo).port;
  }, SETUP_TIMEOUT_MS);

  afterAll(async () => {
    await gallery.close();
  });

  it('stops the attacker with 429 and Retry-After, and the right password from another address logs in', async () => {
    const replies: IReply[] = [];
    for (let i = 0; i < 50; i++) {
      replies.push(await login(port, '127.0.0.2', 'ann', `guess ${i}`));
    }
    const statuses = replies.map(reply => reply.status);
    expect(statuses.every(status => status === 401 || status === 429)).toBe(true);
    const limited = replies.filter(reply => reply.status === 429);
    // The default --login-rate-limit (10/1m per address and username) lets ten guesses through; the rest wait.
    expect(limited.length).toBeGreaterThanOrEqual(40);
    for (const reply of limited) {
      expect(reply.retryAfter).toMatch(/^[1-9]\d*$/);
      expect(reply.body).toMatchObject({ error: 'RATE_LIMITED', retryAfterSeconds: Number(reply.retryAfter) });
      expect(reply.body.message).toMatch(/^Too many failed logins .*try again in \d+ seconds?$/);
    }
    // The attacker's address is still refused, even with the right password ...
    expect((await login(port, '127.0.0.2', 'ann', 'correct horse battery')).status).toBe(429);
    // ... and the owner, from their own address, is not locked out.
    const owner = await login(port, '127.0.0.3', 'ann', 'correct horse battery');
    expect(owner.status).toBe(200);
    expect(owner.body.user).toEqual({ username: 'ann', isAdmin: false });
  });
});

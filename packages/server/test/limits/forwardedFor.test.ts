import { startTestGallery, type ITestGallery, SETUP_TIMEOUT_MS } from '../helpers/testGallery';

/*
 * Behind a reverse proxy every client arrives from the proxy's address: without --forwarded-for-proxies, one
 * attacker's failures would count against everyone behind it. With it, the client named in X-Forwarded-For is
 * counted, and only when the request really comes from the listed proxy.
 */

let gallery: ITestGallery;

beforeAll(async () => {
  gallery = await startTestGallery({
    'login-rate-limit': '100/1m',
    'login-address-rate-limit': '3/1m',
    'forwarded-for-proxies': '10.9.0.1'
  });
  await gallery.app.accounts.add('ann', 'correct horse');
}, SETUP_TIMEOUT_MS);

afterAll(async () => {
  await gallery.close();
});

const login = (password: string, remoteAddress: string, forwardedFor?: string) =>
  gallery.app.inject({
    method: 'POST',
    url: '/api/auth/login',
    payload: { username: 'ann', password },
    remoteAddress,
    headers: forwardedFor ? { 'x-forwarded-for': forwardedFor } : {}
  });

it('counts the client behind the listed proxy, so one attacker there does not lock out the others', async () => {
  for (let i = 0; i < 3; i++) {
    expect((await login('wrong', '10.9.0.1', '203.0.113.7')).statusCode).toBe(401);
  }
  const attacker = await login('correct horse', '10.9.0.1', '203.0.113.7');
  expect([attacker.statusCode, attacker.json().limit]).toEqual([429, 'login-address']);
  expect((await login('correct horse', '10.9.0.1', '198.51.100.20')).statusCode).toBe(200);
});

it('ignores X-Forwarded-For from an address that is not a listed proxy', async () => {
  for (let i = 0; i < 3; i++) {
    expect((await login('wrong', '10.9.0.2', `192.0.2.${i}`)).statusCode).toBe(401);
  }
  const forged = await login('correct horse', '10.9.0.2', '192.0.2.200');
  expect([forged.statusCode, forged.json().limit]).toEqual([429, 'login-address']);
});

import { postLoginForm } from '../pages/pageHelpers';
import { startTestGallery, type ITestGallery, SETUP_TIMEOUT_MS } from '../helpers/testGallery';

/*
 * The login page and POST /api/auth/login are two doors to the same password check: they share the login limits
 * (two counters would double an attacker's guesses), and the page's 429 sends Retry-After too.
 */

let gallery: ITestGallery;

beforeAll(async () => {
  gallery = await startTestGallery({ 'login-rate-limit': '3/1m' });
  await gallery.app.accounts.add('ann', 'correct horse');
}, SETUP_TIMEOUT_MS);

afterAll(async () => {
  await gallery.close();
});

const apiLogin = (password: string, remoteAddress: string) =>
  gallery.app.inject({
    method: 'POST',
    url: '/api/auth/login',
    payload: { username: 'ann', password },
    remoteAddress
  });

it('counts the API and the page together, answers the page 429 with Retry-After, and lets another address in', async () => {
  for (let i = 0; i < 3; i++) {
    expect((await apiLogin('wrong', '10.1.0.1')).statusCode).toBe(401);
  }
  const page = await gallery.app.inject({
    method: 'POST',
    url: '/login',
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' },
    payload: new URLSearchParams({ username: 'ann', password: 'correct horse', next: '/' }).toString(),
    remoteAddress: '10.1.0.1'
  });
  expect(page.statusCode).toBe(429);
  expect(page.headers['retry-after']).toMatch(/^[1-9]\d*$/);
  expect(page.body).toContain('Too many failed logins for this username from your address');
  const elsewhere = await postLoginForm(gallery.app, { username: 'ann', password: 'correct horse', next: '/' });
  expect(elsewhere.statusCode).toBe(303);
});

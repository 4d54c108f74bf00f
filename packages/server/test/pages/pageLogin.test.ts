import { PAGE_CONTENT_SECURITY_POLICY } from '../../src/plugins/pagesPlugin';
import { sampleNotebook } from '../helpers/fixtures';
import { SETUP_TIMEOUT_MS, startTestGallery, type ITestGallery } from '../helpers/testGallery';
import { cookiesOf, getPage, pageLogin, postLoginForm, saveNotebook } from './pageHelpers';

/* The login page of a standalone gallery, and what pages do without a login. */

let gallery: ITestGallery;
let privateId: string;
let token: string;

beforeAll(async () => {
  gallery = await startTestGallery();
  token = await gallery.login('olga');
  privateId = (await saveNotebook(gallery, token, { notebook: sampleNotebook('secret'), title: 'Secret plan' })).id;
}, SETUP_TIMEOUT_MS);

afterAll(async () => {
  await gallery.close();
});

describe('without a login', () => {
  it('sends a page visitor to the login page, to come back to the same place', async () => {
    const response = await getPage(gallery.app, `/n/${privateId}?x=1`, null);
    expect(response.statusCode).toBe(302);
    expect(response.headers.location).toBe(`/login?next=${encodeURIComponent(`/n/${privateId}?x=1`)}`);
  });

  it('shows the login form with labels, the page CSP and where to go next', async () => {
    const response = await getPage(gallery.app, `/login?next=${encodeURIComponent(`/n/${privateId}`)}`, null);
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-security-policy']).toBe(PAGE_CONTENT_SECURITY_POLICY);
    const html = response.body;
    expect(html).toContain('<form method="post" action="/login">');
    expect(html).toContain(`<input type="hidden" name="next" value="/n/${privateId}">`);
    expect(html).toContain('<label for="login-username">Username</label>');
    expect(html).toContain('<label for="login-password">Password</label>');
    expect(html).toContain('type="password" autocomplete="current-password" required');
    expect(html).not.toContain('Log in with');
  });
});

describe('logging in', () => {
  it('sets an HttpOnly SameSite=Lax session cookie and a readable XSRF cookie, and goes to next', async () => {
    await gallery.app.accounts.add('alice', 'alice-password', false);
    const next = `/n/${privateId}?from=chat`;
    const response = await postLoginForm(gallery.app, { username: 'alice', password: 'alice-password', next });
    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toBe(next);
    const cookies = cookiesOf(response);
    expect(cookies.get('gallery_session')).toMatchObject({
      path: '/',
      httpOnly: true,
      sameSite: 'Lax',
      maxAge: 12 * 3600
    });
    expect(cookies.get('gallery_xsrf')).toMatchObject({ path: '/', sameSite: 'Lax' });
    expect(cookies.get('gallery_xsrf')?.httpOnly).toBeFalsy();
    const me = await gallery.app.inject({
      method: 'GET',
      url: '/api/auth/me',
      headers: { cookie: `gallery_session=${cookies.get('gallery_session')!.value}` }
    });
    expect(me.json()).toMatchObject({ username: 'alice' });
  });

  it('shows a wrong password in the page, keeps the username and next, and sets no cookie', async () => {
    const response = await postLoginForm(gallery.app, {
      username: 'alice',
      password: 'wrong',
      next: `/n/${privateId}`
    });
    expect(response.statusCode).toBe(401);
    expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(response.body).toContain('<p class="form-error" role="alert" id="login-error">Wrong username or password.');
    expect(response.body).toContain('value="alice"');
    expect(response.body).toContain(`<input type="hidden" name="next" value="/n/${privateId}">`);
    expect(response.cookies).toEqual([]);
  });

  it('asks for both fields when one is empty', async () => {
    const response = await postLoginForm(gallery.app, { username: 'alice', password: '' });
    expect(response.statusCode).toBe(400);
    expect(response.body).toContain('Enter your username and your password.');
  });

  it.each(['https://evil.example/', '//evil.example/x', '/\\evil.example', 'javascript:alert(1)', 'n/relative', ''])(
    'refuses next=%j and goes home instead',
    async next => {
      const response = await postLoginForm(gallery.app, { username: 'alice', password: 'alice-password', next });
      expect(response.statusCode).toBe(303);
      expect(response.headers.location).toBe('/');
      const page = await getPage(gallery.app, `/login?next=${encodeURIComponent(next)}`, null);
      expect(page.body).toContain('<input type="hidden" name="next" value="/">');
    }
  );

  it('sends someone already logged in straight on to next', async () => {
    const bob = await pageLogin(gallery, 'bob');
    const response = await getPage(gallery.app, '/login?next=%2Fn%2Fabc', bob);
    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toBe('/n/abc');
  });

  it('ends the page login when the password changes elsewhere ("sign out everywhere")', async () => {
    const dora = await pageLogin(gallery, 'dora');
    expect((await getPage(gallery.app, '/n/none', dora)).statusCode).toBe(404);
    await gallery.app.accounts.signOutEverywhere('dora');
    const response = await getPage(gallery.app, '/n/none', dora);
    expect(response.statusCode).toBe(302);
    expect(response.headers.location).toBe('/login?next=%2Fn%2Fnone');
  });
});

describe('anonymous reading', () => {
  it('is off by default: a public notebook still needs a login', async () => {
    const pub = await saveNotebook(gallery, token, {
      notebook: sampleNotebook('p'),
      title: 'Open',
      visibility: 'public'
    });
    const response = await getPage(gallery.app, `/n/${pub.id}`, null);
    expect(response.statusCode).toBe(302);
  });

  it(
    'when the admin allows it, shows public notebooks to visitors, with Log in links',
    async () => {
      const open = await startTestGallery({ 'anonymous-read': 'true' });
      try {
        const token = await open.login('olga');
        const pub = await saveNotebook(open, token, {
          notebook: sampleNotebook('p'),
          title: 'Open',
          visibility: 'public'
        });
        const response = await getPage(open.app, `/n/${pub.id}`, null);
        expect(response.statusCode).toBe(200);
        expect(response.headers['cache-control']).toBe('no-cache');
        expect(response.body).toContain(`<a href="/login?next=%2Fn%2F${pub.id}">Log in</a>`);
        expect(response.body).toContain('Log in to star');
        expect(response.body).not.toContain('<form method="post"');
      } finally {
        await open.close();
      }
    },
    SETUP_TIMEOUT_MS
  );
});

import * as crypto from 'node:crypto';
import * as vm from 'node:vm';
import { gallerySql } from '../helpers/backendSql';
import { sampleNotebook } from '../helpers/fixtures';
import { startTestGallery, type ITestGallery, SETUP_TIMEOUT_MS } from '../helpers/testGallery';

const PUBLIC_URL = 'https://gallery.uni.example';

const login = (gallery: ITestGallery, username: string, password: string, remoteAddress = '127.0.0.1') =>
  gallery.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password }, remoteAddress });

describe('login rate limit', () => {
  let gallery: ITestGallery;

  beforeAll(async () => {
    gallery = await startTestGallery({
      'login-rate-limit': '3/1m',
      'login-address-rate-limit': '5/1m',
      'login-user-rate-limit': '4/1h'
    });
    await gallery.app.accounts.add('ann', 'correct horse');
    await gallery.app.accounts.add('bea', 'correct horse');
    await gallery.app.accounts.add('cid', 'correct horse');
  }, SETUP_TIMEOUT_MS);

  afterAll(async () => {
    await gallery.close();
  });

  it('stops one address guessing many users with 429 RATE_LIMITED naming the limit and when to retry', async () => {
    for (const name of ['a1', 'a2', 'a3', 'a4', 'a5']) {
      expect((await login(gallery, name, 'x', '10.0.0.1')).statusCode).toBe(401);
    }
    const limited = await login(gallery, 'a6', 'x', '10.0.0.1');
    expect(limited.statusCode).toBe(429);
    expect(limited.headers['retry-after']).toMatch(/^\d+$/);
    expect(limited.json()).toMatchObject({
      error: 'RATE_LIMITED',
      limit: 'login-address',
      message: expect.stringMatching(
        /^Too many failed logins from your address: at most 5 per minute \(--login-address-rate-limit\); try again in \d+ seconds?$/
      )
    });
  });

  it('stops one address guessing one user after the pair limit, and the right password from another address still works', async () => {
    for (let i = 0; i < 3; i++) {
      expect((await login(gallery, 'bea', 'wrong', '10.0.3.1')).statusCode).toBe(401);
    }
    const limited = await login(gallery, 'bea', 'correct horse', '10.0.3.1');
    expect([limited.statusCode, limited.json().limit]).toEqual([429, 'login']);
    expect((await login(gallery, 'bea', 'correct horse', '10.0.3.2')).statusCode).toBe(200);
  });

  it('past the per-username limit, addresses that failed wait, and the right password from a new address logs in', async () => {
    for (const address of ['10.0.1.1', '10.0.1.2', '10.0.1.3', '10.0.1.4']) {
      expect((await login(gallery, 'ann', 'wrong', address)).statusCode).toBe(401);
    }
    // Over the per-username limit: an address that already failed for ann gets no further try, right or wrong.
    const again = await login(gallery, 'ann', 'correct horse', '10.0.1.1');
    expect([again.statusCode, again.json().limit]).toEqual([429, 'login-user']);
    expect(again.headers['retry-after']).toMatch(/^\d+$/);
    // A new address gets one try: a wrong guess is refused and spends it ...
    expect((await login(gallery, 'ann', 'wrong', '10.0.1.5')).statusCode).toBe(401);
    expect((await login(gallery, 'ann', 'wrong', '10.0.1.5')).statusCode).toBe(429);
    // ... and the owner, from their own machine, logs in.
    expect((await login(gallery, 'ann', 'correct horse', '10.0.1.6')).statusCode).toBe(200);
  });

  it('does not count right passwords: a class behind one address logs in many times', async () => {
    for (let i = 0; i < 12; i++) {
      expect((await login(gallery, 'cid', 'correct horse', '10.0.4.1')).statusCode).toBe(200);
    }
  });

  it('gives a wrong password and an unknown user the same reply', async () => {
    const wrong = await login(gallery, 'bea', 'nope', '10.0.2.1');
    const unknown = await login(gallery, 'nobody', 'nope', '10.0.2.2');
    expect(wrong.statusCode).toBe(401);
    expect(unknown.statusCode).toBe(401);
    expect(unknown.json()).toEqual(wrong.json());
  });
});

describe('tokens', () => {
  let gallery: ITestGallery;

  beforeAll(async () => {
    gallery = await startTestGallery({ 'access-token-ttl': '1s' });
  }, SETUP_TIMEOUT_MS);

  afterAll(async () => {
    await gallery.close();
  });

  const me = (token: string) => gallery.request(token, { method: 'GET', url: '/api/auth/me' });

  it('gives a short-lived JWT that expires, and an API token shown once, stored hashed', async () => {
    const jwt = await gallery.login('ann');
    const created = await gallery.request(jwt, { method: 'POST', url: '/api/tokens', payload: { name: 'laptop' } });
    expect(created.statusCode).toBe(201);
    const { token, id } = created.json();
    expect(token).toMatch(/^ngp_[A-Za-z0-9_-]{43}$/);
    const stored = JSON.stringify(await gallerySql(gallery, 'SELECT * FROM api_tokens'));
    expect(stored).not.toContain(token);
    await new Promise(resolve => setTimeout(resolve, 2100));
    const expired = await me(jwt);
    expect(expired.statusCode).toBe(401);
    expect(expired.json().message).toMatch(/expired/);
    expect((await me(token)).json()).toEqual({ username: 'ann', isAdmin: false });
    const listed = (await gallery.request(token, { method: 'GET', url: '/api/tokens' })).json().items;
    expect(listed).toEqual([expect.objectContaining({ id, name: 'laptop', lastUsedAt: expect.any(String) })]);
    expect(JSON.stringify(listed)).not.toContain(token);
  });

  it('refuses a revoked API token, and only lets you revoke your own', async () => {
    const ann = (await gallery.app.accounts.createToken('ann', 'one', 'personal', null)).token;
    await gallery.app.accounts.add('bob', 'bob-password');
    const bob = await gallery.app.accounts.createToken('bob', 'bobs', 'personal', null);
    const notYours = await gallery.request(ann, { method: 'DELETE', url: `/api/tokens/${bob.id}` });
    expect(notYours.statusCode).toBe(404);
    expect(notYours.json().error).toBe('TOKEN_NOT_FOUND');
    expect((await me(bob.token)).statusCode).toBe(200);
    expect((await gallery.request(bob.token, { method: 'DELETE', url: `/api/tokens/${bob.id}` })).statusCode).toBe(204);
    const revoked = await me(bob.token);
    expect(revoked.statusCode).toBe(401);
    expect(revoked.json().error).toBe('UNAUTHORIZED');
  });

  it('refuses an expired API token and the tokens of a disabled user', async () => {
    const expired = await gallery.app.accounts.createToken('ann', 'old', 'personal', new Date(Date.now() - 1000));
    expect((await me(expired.token)).statusCode).toBe(401);
    await gallery.app.accounts.add('cid', 'cid-password');
    const cid = await gallery.app.accounts.createToken('cid', 'cid', 'personal', null);
    expect((await me(cid.token)).statusCode).toBe(200);
    await gallery.app.accounts.setDisabled('cid', true, null);
    expect((await me(cid.token)).statusCode).toBe(401);
    expect((await login(gallery, 'cid', 'cid-password')).statusCode).toBe(401);
  });
});

describe('trusted header login', () => {
  let gallery: ITestGallery;

  beforeAll(async () => {
    gallery = await startTestGallery({
      'trusted-header': 'X-Remote-User',
      'trusted-proxies': '10.9.9.9',
      'public-url': PUBLIC_URL
    });
  }, SETUP_TIMEOUT_MS);

  afterAll(async () => {
    await gallery.close();
  });

  const me = (remoteAddress: string, user = 'Dana.Lee@uni.example') =>
    gallery.app.inject({ method: 'GET', url: '/api/auth/me', remoteAddress, headers: { 'x-remote-user': user } });

  it('ignores the header from an address that is not a trusted proxy, whatever X-Forwarded-For says', async () => {
    const response = await gallery.app.inject({
      method: 'GET',
      url: '/api/auth/me',
      remoteAddress: '10.1.1.1',
      headers: { 'x-remote-user': 'mallory', 'x-forwarded-for': '10.9.9.9' }
    });
    expect(response.statusCode).toBe(401);
    expect(await gallery.app.accounts.find('mallory')).toBeUndefined();
  });

  it('creates the user on first sight from the trusted proxy, with a sanitised name', async () => {
    const response = await me('10.9.9.9');
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ username: 'Dana.Lee-uni.example', isAdmin: false });
    expect(await gallery.app.accounts.find('Dana.Lee-uni.example')).toBeDefined();
    expect((await login(gallery, 'Dana.Lee-uni.example', '!')).statusCode).toBe(401);
  });

  it('answers sso/start from the proxy with a page whose same-origin POST gets a working token for the allowed origin only', async () => {
    const refused = await gallery.app.inject({
      method: 'GET',
      url: '/api/auth/sso/start?origin=https://evil.example',
      remoteAddress: '10.9.9.9',
      headers: { 'x-remote-user': 'dana' }
    });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().message).toMatch(/not an allowed JupyterLab origin/);
    const page = await startPage();
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.headers['content-security-policy']).toMatch(/script-src 'sha256-[A-Za-z0-9+/=]+'; connect-src 'self';/);
    expect(page.body).toContain('"origin":"http://localhost:8888"');
    expect(page.body).toContain('postMessage(message, d.origin)');
    expect(page.body).not.toContain("'*'");
    expect(page.body).not.toContain('ngp_');
    const refusedSession = await ssoSession({ origin: 'https://evil.example' });
    expect(refusedSession.statusCode).toBe(400);
    const session = await ssoSession();
    expect(session.statusCode).toBe(200);
    expect(session.headers['cache-control']).toBe('no-store');
    const message = session.json();
    expect(message).toEqual({
      type: 'notebook-gallery:token',
      token: expect.stringMatching(/^ngp_/),
      tokenId: expect.any(String),
      expiresAt: expect.any(String),
      user: { username: 'dana', isAdmin: false }
    });
    const me = await gallery.request(message.token, { method: 'GET', url: '/api/auth/me', remoteAddress: '10.1.1.1' });
    expect(me.json()).toEqual({ username: 'dana', isAdmin: false });
    const listed = await gallery.request(message.token, {
      method: 'GET',
      url: '/api/tokens',
      remoteAddress: '10.1.1.1'
    });
    expect(listed.json().items).toEqual([
      expect.objectContaining({ id: message.tokenId, name: 'JupyterLab (http://localhost:8888)', kind: 'session' })
    ]);
    const config = (await gallery.app.inject({ method: 'GET', url: '/api/auth/config' })).json();
    expect(config).toMatchObject({ ssoLoginUrl: `${PUBLIC_URL}/api/auth/sso/start`, password: true });
  });

  it("runs the start page's script: one same-origin POST, then the token posted to the opener for its origin", async () => {
    const page = await startPage('hal');
    const script = /<script>([\s\S]*)<\/script>/.exec(page.body)?.[1] as string;
    const hash = crypto.createHash('sha256').update(script, 'utf8').digest('base64');
    expect(page.headers['content-security-policy']).toContain(`'sha256-${hash}'`);
    const posted: Array<[unknown, string]> = [];
    const fetched: string[] = [];
    const pageUrl = `${PUBLIC_URL}/api/auth/sso/start?origin=http://localhost:8888`;
    // What a browser would send for the script's fetch: the proxy adds its header, the browser Origin and Sec-Fetch-Site.
    const fetchStub = async (url: string, init: { method: string; headers: Record<string, string>; body: string }) => {
      const absolute = new URL(url, pageUrl);
      fetched.push(`${init.method} ${absolute.href}`);
      const reply = await gallery.app.inject({
        method: init.method as 'POST',
        url: absolute.pathname,
        remoteAddress: '10.9.9.9',
        headers: { ...init.headers, 'x-remote-user': 'hal', origin: PUBLIC_URL, 'sec-fetch-site': 'same-origin' },
        payload: init.body
      });
      return { ok: reply.statusCode < 300, json: async () => reply.json() };
    };
    let closed = false;
    await new Promise<void>((resolve, reject) => {
      const window = {
        opener: {
          postMessage: (message: unknown, target: string) => {
            posted.push([message, target]);
            resolve();
          }
        },
        close: () => {
          closed = true;
        }
      };
      const document = {
        getElementById: () => ({
          set textContent(text: string) {
            reject(new Error(text));
          }
        })
      };
      vm.runInNewContext(script, { fetch: fetchStub, window, document, JSON, Error });
    });
    expect(fetched).toEqual([`POST ${PUBLIC_URL}/api/auth/sso/session`]);
    expect(posted).toEqual([
      [
        expect.objectContaining({ type: 'notebook-gallery:token', user: { username: 'hal', isAdmin: false } }),
        'http://localhost:8888'
      ]
    ]);
    expect(closed).toBe(true);
    expect(await tokenCount('hal')).toBe(1);
  });

  it('mints no token on GET sso/start, however often; the POST mints exactly one', async () => {
    const before = await tokenCount('erin');
    for (let i = 0; i < 5; i++) {
      expect((await startPage('erin')).statusCode).toBe(200);
    }
    expect(await tokenCount('erin')).toBe(before);
    expect((await ssoSession({}, 'erin')).statusCode).toBe(200);
    expect(await tokenCount('erin')).toBe(before + 1);
  });

  it('refuses a cross-site form-style POST to sso/session, minting nothing', async () => {
    const before = await tokenCount('fay');
    const attempts = [
      // What a cross-site <form> can send: no custom header, a form or text content type, a foreign Origin.
      { 'content-type': 'application/x-www-form-urlencoded', origin: 'https://evil.example' },
      { 'content-type': 'text/plain', origin: 'https://evil.example' },
      { 'content-type': 'application/json', origin: 'https://evil.example', 'x-requested-with': 'notebook-gallery' },
      { 'content-type': 'application/json', 'sec-fetch-site': 'cross-site', 'x-requested-with': 'notebook-gallery' },
      { 'content-type': 'application/json' }
    ];
    for (const headers of attempts) {
      const response = await gallery.app.inject({
        method: 'POST',
        url: '/api/auth/sso/session',
        remoteAddress: '10.9.9.9',
        headers: { ...headers, 'x-remote-user': 'fay' },
        payload:
          headers['content-type'] === 'application/x-www-form-urlencoded'
            ? 'origin=http%3A%2F%2Flocalhost%3A8888'
            : JSON.stringify({ origin: 'http://localhost:8888' })
      });
      expect([headers, response.statusCode]).toEqual([headers, 403]);
      expect(response.json().error).toBe('FORBIDDEN');
    }
    expect(await tokenCount('fay')).toBe(before);
  });

  it('takes public URLs from --public-url, never from a forged Host header', async () => {
    const forged = { host: 'evil.example', 'x-forwarded-host': 'evil.example', 'x-forwarded-proto': 'http' };
    const config = (await gallery.app.inject({ method: 'GET', url: '/api/auth/config', headers: forged })).json();
    expect(config.ssoLoginUrl).toBe(`${PUBLIC_URL}/api/auth/sso/start`);
    const session = await ssoSession({}, 'dana', { host: 'evil.example', origin: 'http://evil.example' });
    expect(session.statusCode).toBe(403);
    const ok = await ssoSession({}, 'dana', { host: 'evil.example' });
    expect(ok.statusCode).toBe(200);
  });

  it('refuses a disabled account at sso/start and sso/session with a clear message', async () => {
    expect((await startPage('gus')).statusCode).toBe(200);
    await gallery.app.accounts.setDisabled('gus', true, null);
    for (const response of [await startPage('gus'), await ssoSession({}, 'gus'), await me('10.9.9.9', 'gus')]) {
      expect(response.statusCode).toBe(401);
      expect(response.json().message).toBe('The gallery account "gus" is disabled; ask a gallery admin to enable it');
    }
  });

  const startPage = (user = 'dana') =>
    gallery.app.inject({
      method: 'GET',
      url: '/api/auth/sso/start?origin=http://localhost:8888',
      remoteAddress: '10.9.9.9',
      headers: { 'x-remote-user': user }
    });
  const ssoSession = (body: object = {}, user = 'dana', headers: Record<string, string> = {}) =>
    gallery.app.inject({
      method: 'POST',
      url: '/api/auth/sso/session',
      remoteAddress: '10.9.9.9',
      headers: {
        'x-remote-user': user,
        'x-requested-with': 'notebook-gallery',
        origin: PUBLIC_URL,
        'sec-fetch-site': 'same-origin',
        ...headers
      },
      payload: { origin: 'http://localhost:8888', ...body }
    });
  const tokenCount = async (user: string) =>
    (await gallerySql<{ n: number }>(gallery, 'SELECT COUNT(*) AS n FROM api_tokens WHERE username = ?', [user]))[0].n;
});

describe('registration and passwords', () => {
  it('is closed by default, and open to listed email domains when the admin says so', async () => {
    const closed = await startTestGallery();
    const domains = await startTestGallery({ registration: 'domains', 'registration-domains': 'uni.example' });
    try {
      const register = (gallery: ITestGallery, payload: object) =>
        gallery.app.inject({ method: 'POST', url: '/api/auth/register', payload });
      const refused = await register(closed, { username: 'eve', password: 'long enough' });
      expect(refused.statusCode).toBe(403);
      expect(refused.json().error).toBe('REGISTRATION_CLOSED');
      expect((await register(domains, { username: 'eve', password: 'long enough' })).statusCode).toBe(403);
      expect(
        (await register(domains, { username: 'eve', password: 'long enough', email: 'eve@else.example' })).statusCode
      ).toBe(403);
      const ok = await register(domains, { username: 'eve', password: 'long enough', email: 'eve@uni.example' });
      expect(ok.statusCode).toBe(201);
      const token = ok.json().token;
      const change = (currentPassword: string) =>
        domains.request(token, {
          method: 'POST',
          url: '/api/auth/password',
          payload: { currentPassword, newPassword: 'even longer' }
        });
      expect((await change('wrong one')).statusCode).toBe(401);
      expect((await change('long enough')).statusCode).toBe(204);
      expect((await login(domains, 'eve', 'even longer')).statusCode).toBe(200);
    } finally {
      await closed.close();
      await domains.close();
    }
  });
});

describe('escalation attempts', () => {
  let gallery: ITestGallery;
  let olga: string;
  let meg: string;
  let uri: string;
  let admin: string;
  let groupNotebook: { id: string; revision: string };

  beforeAll(async () => {
    gallery = await startTestGallery();
    olga = await gallery.login('olga');
    meg = await gallery.login('meg');
    uri = await gallery.login('uri');
    admin = await gallery.login('ada', { admin: true });
    expect(
      (await gallery.request(olga, { method: 'POST', url: '/api/groups', payload: { name: 'team' } })).statusCode
    ).toBe(201);
    await gallery.request(olga, { method: 'PUT', url: '/api/groups/team/members/meg', payload: { role: 'member' } });
    const created = await gallery.request(olga, {
      method: 'POST',
      url: '/api/notebooks',
      payload: { notebook: sampleNotebook('team work'), title: 'Team', group: 'team', ownedByGroup: true }
    });
    groupNotebook = created.json();
  }, SETUP_TIMEOUT_MS);

  afterAll(async () => {
    await gallery.close();
  });

  const state = async () =>
    JSON.stringify([
      (await gallery.request(admin, { method: 'GET', url: `/api/notebooks/${groupNotebook.id}` })).json(),
      (await gallery.request(admin, { method: 'GET', url: `/api/notebooks/${groupNotebook.id}/sharing` })).json(),
      (await gallery.request(admin, { method: 'GET', url: '/api/groups/team' })).json()
    ]);

  it('cannot change the owner through PATCH or sharing, even as the owner', async () => {
    const before = await state();
    const patch = await gallery.request(olga, {
      method: 'PATCH',
      url: `/api/notebooks/${groupNotebook.id}`,
      payload: { owner: 'uri' }
    });
    const sharing = await gallery.request(olga, {
      method: 'PUT',
      url: `/api/notebooks/${groupNotebook.id}/sharing`,
      payload: { visibility: 'private', group: 'team', shares: [], owner: { kind: 'user', name: 'uri' } }
    });
    for (const response of [patch, sharing]) {
      expect(response.statusCode).toBe(400);
      expect(response.json().error).toBe('VALIDATION_FAILED');
    }
    expect(await state()).toBe(before);
  });

  it('refuses a member promoting themselves and an outsider joining (both 403), changing nothing', async () => {
    const before = await state();
    const promote = await gallery.request(meg, {
      method: 'PUT',
      url: '/api/groups/team/members/meg',
      payload: { role: 'owner' }
    });
    expect(promote.statusCode).toBe(403);
    const join = await gallery.request(uri, {
      method: 'PUT',
      url: '/api/groups/team/members/uri',
      payload: { role: 'member' }
    });
    expect(join.statusCode).toBe(403);
    expect(join.json().error).toBe('FORBIDDEN');
    expect(await state()).toBe(before);
  });

  it('refuses a transfer by a member (403) and saving by a member (403), changing nothing', async () => {
    const before = await state();
    const transfer = await gallery.request(meg, {
      method: 'POST',
      url: `/api/notebooks/${groupNotebook.id}/transfer`,
      payload: { owner: { kind: 'user', name: 'meg' } }
    });
    expect(transfer.statusCode).toBe(403);
    const save = await gallery.request(meg, {
      method: 'PUT',
      url: `/api/notebooks/${groupNotebook.id}`,
      payload: { notebook: sampleNotebook('hijack'), baseRevision: groupNotebook.revision }
    });
    expect(save.statusCode).toBe(403);
    expect(await state()).toBe(before);
  });

  it('names unknown users and groups in shares with 400', async () => {
    const response = await gallery.request(olga, {
      method: 'PUT',
      url: `/api/notebooks/${groupNotebook.id}/sharing`,
      payload: { visibility: 'private', group: null, shares: [{ kind: 'user', name: 'ghost', role: 'reader' }] }
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().message).toBe('shares: there is no user "ghost"');
  });

  it('cannot remove the last owner of a group', async () => {
    const response = await gallery.request(olga, { method: 'DELETE', url: '/api/groups/team/members/olga' });
    expect(response.statusCode).toBe(400);
    expect(response.json().message).toMatch(/last owner/);
  });

  it('answers MEMBER_NOT_FOUND for removing a user who is not a member, USER_NOT_FOUND for no such user', async () => {
    const before = await state();
    const notMember = await gallery.request(olga, { method: 'DELETE', url: '/api/groups/team/members/uri' });
    expect(notMember.statusCode).toBe(404);
    expect(notMember.json()).toMatchObject({
      error: 'MEMBER_NOT_FOUND',
      message: 'uri is not a member of group "team"'
    });
    const noUser = await gallery.request(olga, {
      method: 'PUT',
      url: '/api/groups/team/members/ghost',
      payload: { role: 'member' }
    });
    expect(noUser.statusCode).toBe(404);
    expect(noUser.json().error).toBe('USER_NOT_FOUND');
    expect(await state()).toBe(before);
  });

  it('keeps the code of a status such as 415 instead of VALIDATION_FAILED', async () => {
    const response = await gallery.request(olga, {
      method: 'POST',
      url: '/api/groups',
      headers: { 'content-type': 'application/xml' },
      payload: '<group name="x"/>'
    });
    expect(response.statusCode).toBe(415);
    expect(response.json().error).toBe('UNSUPPORTED_MEDIA_TYPE');
  });

  it('audits what only the admin role allowed, and shows the log to admins only', async () => {
    await gallery.request(admin, {
      method: 'PATCH',
      url: `/api/notebooks/${groupNotebook.id}`,
      payload: { title: 'Renamed by the admin' }
    });
    expect((await gallery.request(olga, { method: 'GET', url: '/api/admin/audit' })).statusCode).toBe(403);
    const log = (await gallery.request(admin, { method: 'GET', url: '/api/admin/audit' })).json().items;
    expect(log[0]).toMatchObject({ actor: 'ada', action: 'notebook.patch', target: groupNotebook.id });
    const own = await gallery.request(olga, {
      method: 'PATCH',
      url: `/api/notebooks/${groupNotebook.id}`,
      payload: { title: 'Back' }
    });
    expect(own.statusCode).toBe(200);
    expect((await gallery.request(admin, { method: 'GET', url: '/api/admin/audit' })).json().items).toHaveLength(
      log.length
    );
  });
});

import { sampleNotebook } from '../helpers/fixtures';
import { PREFIX, startHubGallery, type IHubGallery } from './hubGallery';
import { StandInHub } from './standInHub';

/* The hub token authenticator against a stand-in hub on 127.0.0.1, every request under the service prefix. */

const ACCESS_MESSAGE = /^Ask your JupyterHub administrator for access to the gallery/;
let hub: StandInHub;
let gallery: IHubGallery;

beforeEach(async () => {
  hub = new StandInHub('service-token');
  await hub.start();
  gallery = await startHubGallery(hub, { 'hub-cache-ttl': '60s' });
});

afterEach(async () => {
  await gallery.close();
  await hub.stop();
});

const userRequests = () => hub.requests.filter(path => path === '/hub/api/user').length;

describe('hub mode routes', () => {
  it('answers the hub poll at the prefix, /healthz and the OpenAPI document under it, without the hub', async () => {
    await hub.stop();
    for (const url of [PREFIX, `${PREFIX}/`, `${PREFIX}/healthz`]) {
      const response = await gallery.app.inject({ method: 'GET', url });
      expect({ url, status: response.statusCode }).toEqual({ url, status: 200 });
      expect(response.json()).toMatchObject({ status: 'ok' });
    }
    const openApi = await gallery.app.inject({ method: 'GET', url: `${PREFIX}/api/openapi.json` });
    expect(openApi.statusCode).toBe(200);
    expect(openApi.json().servers).toEqual([{ url: PREFIX }]);
    expect(openApi.json().paths['/api/notebooks']).toBeDefined();
    const missing = await gallery.app.inject({ method: 'GET', url: `${PREFIX}/api/nothing-here` });
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toEqual({ error: 'NOT_FOUND', message: 'No route GET /api/nothing-here' });
  });

  it('saves and lists a notebook with a hub token, under the prefix', async () => {
    const token = hub.addUser('alice');
    const saved = await gallery.request(token, {
      method: 'POST',
      url: '/api/notebooks',
      payload: { notebook: sampleNotebook('hello from the hub'), title: 'Hub notebook', visibility: 'public' }
    });
    expect(saved.statusCode).toBe(201);
    const listed = await gallery.request(token, { method: 'GET', url: '/api/notebooks' });
    expect(listed.statusCode).toBe(200);
    expect(listed.json().items.map((item: { title: string; owner: string }) => [item.title, item.owner])).toEqual([
      ['Hub notebook', 'alice']
    ]);
    const me = await gallery.request(token, { method: 'GET', url: '/api/auth/me' });
    expect(me.json()).toMatchObject({ username: 'alice', isAdmin: false });
  });

  it('refuses a request with no credentials with 401', async () => {
    const response = await gallery.request(null, { method: 'GET', url: '/api/notebooks' });
    expect(response.statusCode).toBe(401);
    expect(response.json().error).toBe('UNAUTHORIZED');
  });

  it('tells a caller without credentials to log in to the hub, not to a gallery password login', async () => {
    for (const url of ['/api/notebooks', '/api/auth/me']) {
      const { message } = (await gallery.request(null, { method: 'GET', url })).json();
      expect(message).toMatch(/^Log in to JupyterHub first: .*"Authorization: token <hub token>"/);
      expect(message).toContain(`${PREFIX}/oauth_login`);
      expect(message).not.toContain('/api/auth/login');
    }
  });
});

describe('hub token checks', () => {
  it('accepts access:services and access:services!service=gallery, and refuses other scopes with 403', async () => {
    const general = hub.addUser('gina', { scopes: ['access:services', 'self'] });
    expect((await gallery.request(general, { method: 'GET', url: '/api/notebooks' })).statusCode).toBe(200);
    for (const scopes of [['self'], ['access:services!service=other'], ['access:servers!user=hank']]) {
      const token = hub.addUser('hank', { scopes });
      const response = await gallery.request(token, { method: 'GET', url: '/api/notebooks' });
      expect(response.statusCode).toBe(403);
      expect(response.json().error).toBe('HUB_ACCESS_DENIED');
      expect(response.json().message).toMatch(ACCESS_MESSAGE);
      expect(response.json().message).toContain('access:services!service=gallery');
    }
  });

  it('does not cache a refusal: a scope granted on the hub works on the next request', async () => {
    const token = hub.addUser('ivy', { scopes: ['self'] });
    expect((await gallery.request(token, { method: 'GET', url: '/api/notebooks' })).statusCode).toBe(403);
    hub.tokens.get(token)!.scopes.push('access:services!service=gallery');
    expect((await gallery.request(token, { method: 'GET', url: '/api/notebooks' })).statusCode).toBe(200);
  });

  it('keeps a revoked token working from the cache until the cache time ends, then answers 401', async () => {
    const token = hub.addUser('alice');
    expect((await gallery.request(token, { method: 'GET', url: '/api/notebooks' })).statusCode).toBe(200);
    expect(userRequests()).toBe(1);
    hub.tokens.delete(token);
    gallery.advance(59);
    expect((await gallery.request(token, { method: 'GET', url: '/api/notebooks' })).statusCode).toBe(200);
    expect(userRequests()).toBe(1);
    gallery.advance(2);
    const response = await gallery.request(token, { method: 'GET', url: '/api/notebooks' });
    expect(response.statusCode).toBe(401);
    expect(response.json()).toMatchObject({ error: 'UNAUTHORIZED', message: expect.stringMatching(/revoked/) });
    expect(userRequests()).toBe(2);
  });

  it('asks the hub once for many requests that carry the same new token at once', async () => {
    const token = hub.addUser('alice');
    const responses = await Promise.all(
      Array.from({ length: 5 }, () => gallery.request(token, { method: 'GET', url: '/api/notebooks' }))
    );
    expect(responses.map(response => response.statusCode)).toEqual([200, 200, 200, 200, 200]);
    expect(userRequests()).toBe(1);
  });

  it('answers 401 for the token of a user deleted on the hub', async () => {
    const token = hub.addUser('bob');
    expect((await gallery.request(token, { method: 'GET', url: '/api/notebooks' })).statusCode).toBe(200);
    hub.deleteUser('bob');
    gallery.advance(61);
    const response = await gallery.request(token, { method: 'GET', url: '/api/notebooks' });
    expect(response.statusCode).toBe(401);
    expect(response.json().error).toBe('UNAUTHORIZED');
  });

  it('refuses a hub user whose gallery account an admin disabled, even from the cache', async () => {
    const token = hub.addUser('carol');
    expect((await gallery.request(token, { method: 'GET', url: '/api/notebooks' })).statusCode).toBe(200);
    await gallery.app.accounts.setDisabled('carol', true, null);
    const response = await gallery.request(token, { method: 'GET', url: '/api/notebooks' });
    expect(response.statusCode).toBe(401);
    expect(response.json().message).toMatch(/disabled/);
  });

  it('makes hub admins gallery admins, and takes it back when the hub does', async () => {
    const token = hub.addUser('root', { admin: true });
    expect((await gallery.request(token, { method: 'GET', url: '/api/admin/users' })).statusCode).toBe(200);
    // The user's own token does not show the admin flag; the service token reads it.
    expect(hub.requests).toContain('/hub/api/users/root');
    hub.users.get('root')!.admin = false;
    expect((await gallery.request(token, { method: 'GET', url: '/api/admin/users' })).statusCode).toBe(200);
    gallery.advance(61);
    const response = await gallery.request(token, { method: 'GET', url: '/api/admin/users' });
    expect(response.statusCode).toBe(403);
    expect(await gallery.app.accounts.find('root')).toEqual({ username: 'root', isAdmin: false });
  });

  it('takes the admin flag from /user when the token may read it, and changes nothing when nobody may', async () => {
    const wide = hub.addUser('ada', { admin: true, scopes: ['access:services', 'read:users'] });
    expect((await gallery.request(wide, { method: 'GET', url: '/api/admin/users' })).statusCode).toBe(200);
    expect(hub.requests).not.toContain('/hub/api/users/ada');
    hub.serviceMayReadUsers = false;
    const narrow = hub.addUser('bea', { admin: true });
    expect((await gallery.request(narrow, { method: 'GET', url: '/api/admin/users' })).statusCode).toBe(403);
    expect(await gallery.app.accounts.find('bea')).toEqual({ username: 'bea', isAdmin: false });
  });

  it('answers 503 while the hub is down, keeps /healthz up, and recovers by itself', async () => {
    const token = hub.addUser('dave');
    await hub.stop();
    const down = await gallery.request(token, { method: 'GET', url: '/api/notebooks' });
    expect(down.statusCode).toBe(503);
    expect(down.json()).toEqual({
      error: 'HUB_UNAVAILABLE',
      message: expect.stringMatching(
        /^The gallery cannot reach JupyterHub to check who you are \(no connection from http/
      )
    });
    expect((await gallery.request(null, { method: 'GET', url: '/healthz' })).statusCode).toBe(200);
    await hub.start();
    expect((await gallery.request(token, { method: 'GET', url: '/api/notebooks' })).statusCode).toBe(200);
  });

  it('believes no forged X-Forwarded-For or trusted header from an address that is not the proxy', async () => {
    await gallery.close();
    gallery = await startHubGallery(hub, {
      'trusted-header': 'X-Remote-User',
      'trusted-proxies': '127.0.0.1',
      'public-url': 'https://hub.example.org/services/gallery'
    });
    hub.addUser('root', { admin: true });
    const response = await gallery.request(null, {
      method: 'GET',
      url: '/api/admin/users',
      remoteAddress: '10.1.2.3',
      headers: { 'x-remote-user': 'root', 'x-forwarded-for': '127.0.0.1' }
    });
    expect(response.statusCode).toBe(401);
    expect(await gallery.app.accounts.find('root')).toBeUndefined();
  });

  it('ignores a token sent as Bearer: that scheme belongs to the gallery own tokens', async () => {
    const token = hub.addUser('alice');
    const response = await gallery.app.inject({
      method: 'GET',
      url: `${PREFIX}/api/notebooks`,
      headers: { authorization: `Bearer ${token}` }
    });
    expect(response.statusCode).toBe(401);
    expect(userRequests()).toBe(0);
  });
});

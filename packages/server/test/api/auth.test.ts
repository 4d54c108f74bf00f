import * as fs from 'node:fs';
import * as path from 'node:path';
import { gallerySql } from '../helpers/backendSql';
import { startTestGallery, type ITestGallery, SETUP_TIMEOUT_MS } from '../helpers/testGallery';

let gallery: ITestGallery;

beforeAll(async () => {
  gallery = await startTestGallery({ 'access-token-ttl': '1h' });
  await gallery.app.accounts.add('ann', 'correct horse');
}, SETUP_TIMEOUT_MS);

afterAll(async () => {
  await gallery.close();
});

const login = (username: string, password: string) =>
  gallery.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password } });

describe('login', () => {
  it('returns a token that works for an hour, and the user', async () => {
    const response = await login('ann', 'correct horse');
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body.user).toEqual({ username: 'ann', isAdmin: false });
    const ttl = Date.parse(body.expiresAt) - Date.now();
    expect(ttl).toBeGreaterThan(3590_000);
    expect(ttl).toBeLessThanOrEqual(3600_000);
    const me = await gallery.request(body.token, { method: 'GET', url: '/api/auth/me' });
    expect(me.json()).toEqual({ username: 'ann', isAdmin: false });
  });

  it('gives the same 401 for a wrong password and an unknown user', async () => {
    const wrong = await login('ann', 'battery staple');
    const unknown = await login('nobody', 'correct horse');
    for (const response of [wrong, unknown]) {
      expect(response.statusCode).toBe(401);
    }
    expect(wrong.json()).toEqual({ error: 'INVALID_CREDENTIALS', message: 'Wrong username or password' });
    expect(unknown.json()).toEqual(wrong.json());
  });

  it('stores an scrypt hash, never the password', async () => {
    const [row] = await gallerySql<{ password_hash: string }>(
      gallery,
      'SELECT password_hash FROM users WHERE username = ?',
      ['ann']
    );
    expect(row.password_hash).toMatch(/^scrypt\$/);
    expect(row.password_hash).not.toContain('correct horse');
  });

  it('keeps the signing secret in the data directory, readable only by its owner', () => {
    const stat = fs.statSync(path.join(gallery.dataDir, 'jwt-secret'));
    expect(stat.mode & 0o777).toBe(0o600);
  });
});

describe('protected routes', () => {
  it('refuse a missing, malformed or forged token with 401 UNAUTHORIZED', async () => {
    const token: string = (await login('ann', 'correct horse')).json().token;
    // Change a character well inside the signature: the last one carries padding bits that decoding may ignore.
    const at = token.length - 10;
    const forged = token.slice(0, at) + (token[at] === 'A' ? 'B' : 'A') + token.slice(at + 1);
    for (const authorization of [undefined, 'Basic abc', 'Bearer not-a-token', `Bearer ${forged}`]) {
      const response = await gallery.app.inject({
        method: 'GET',
        url: '/api/notebooks',
        headers: authorization ? { authorization } : {}
      });
      expect(response.statusCode).toBe(401);
      expect(response.json().error).toBe('UNAUTHORIZED');
    }
  });

  it('refuse a token signed with another gallery secret', async () => {
    const other = await startTestGallery();
    try {
      const token = await other.login('ann');
      const response = await gallery.request(token, { method: 'GET', url: '/api/auth/me' });
      expect(response.statusCode).toBe(401);
    } finally {
      await other.close();
    }
  });
});

describe('CORS', () => {
  it('allows the configured JupyterLab origin to send Authorization, and not other origins', async () => {
    const preflight = (origin: string) =>
      gallery.app.inject({
        method: 'OPTIONS',
        url: '/api/notebooks/abc',
        headers: {
          origin,
          'access-control-request-method': 'PUT',
          'access-control-request-headers': 'authorization,content-type'
        }
      });
    const allowed = await preflight('http://localhost:8888');
    expect(allowed.statusCode).toBe(204);
    expect(allowed.headers['access-control-allow-origin']).toBe('http://localhost:8888');
    expect(String(allowed.headers['access-control-allow-methods'])).toContain('PUT');
    expect(String(allowed.headers['access-control-allow-headers']).toLowerCase()).toContain('authorization');
    const denied = await preflight('http://evil.example');
    expect(denied.headers['access-control-allow-origin']).toBeUndefined();
  });
});

describe('health and OpenAPI', () => {
  it('GET /healthz answers without a login', async () => {
    const response = await gallery.app.inject({ method: 'GET', url: '/healthz' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({
      status: 'ok',
      version: expect.stringMatching(/^\d+\.\d+\.\d+/),
      checks: { database: { status: 'ok' }, volume: { status: 'ok' } }
    });
  });

  it('serves an OpenAPI 3 document listing every route with its schemas', async () => {
    const response = await gallery.app.inject({ method: 'GET', url: '/api/openapi.json' });
    expect(response.statusCode).toBe(200);
    const doc = response.json();
    expect(doc.openapi).toMatch(/^3\./);
    expect(doc.info.title).toBe('Notebook Gallery API');
    const routes = Object.entries(doc.paths as Record<string, Record<string, unknown>>).flatMap(([url, methods]) =>
      Object.keys(methods).map(method => `${method.toUpperCase()} ${url}`)
    );
    // Every route has an entry in the permission matrix test, which fails on a route it does not know.
    expect(routes.sort()).toEqual(
      expect.arrayContaining([
        'GET /healthz',
        'GET /api/openapi.json',
        'POST /api/auth/login',
        'GET /api/auth/me',
        'GET /api/notebooks',
        'POST /api/notebooks',
        'GET /api/notebooks/{id}',
        'PUT /api/notebooks/{id}',
        'PATCH /api/notebooks/{id}',
        'DELETE /api/notebooks/{id}',
        'GET /api/notebooks/{id}/content',
        'GET /api/notebooks/{id}/revisions'
      ])
    );
    const put = doc.paths['/api/notebooks/{id}'].put;
    expect(put.requestBody.content['application/json'].schema.required).toEqual(['notebook', 'baseRevision']);
    expect(Object.keys(put.responses)).toEqual(expect.arrayContaining(['200', '409']));
    expect(put.security).toEqual([{ bearerAuth: [] }]);
    expect(Object.keys(doc.paths['/api/notebooks/{id}/content'].get.responses['200'].content)).toEqual([
      'application/x-ipynb+json'
    ]);
    expect(doc.components.securitySchemes.bearerAuth.scheme).toBe('bearer');
  });
});

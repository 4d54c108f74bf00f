import { CONFIG_OPTIONS, type IGalleryConfig } from '../../src/config';
import { sampleNotebook } from '../helpers/fixtures';
import { startTestGallery, type ITestGallery, SETUP_TIMEOUT_MS } from '../helpers/testGallery';

/*
 * Per-user limits on writes and caps on what one user may have, at their documented defaults
 * (docs/admin-guide.md, "Limits and timeouts"): a flood by one user gets 429 (or 409 at a cap) after the
 * documented count, and another user is not affected.
 */

/** The default of a config option, as a flag value. */
function defaultOf(key: keyof IGalleryConfig): string {
  const option = CONFIG_OPTIONS.find(candidate => candidate.key === key);
  if (!option) {
    throw new Error(`no config option ${key}`);
  }
  return option.defaultValue;
}

/** The documented defaults: the count the admin guide promises for each flood. */
const DEFAULTS = {
  'token-rate-limit': defaultOf('tokenRateLimit'),
  'change-request-rate-limit': defaultOf('changeRequestRateLimit'),
  'save-rate-limit': defaultOf('saveRateLimit'),
  'max-tokens-per-user': defaultOf('maxTokensPerUser'),
  'max-open-change-requests-per-notebook': defaultOf('maxOpenChangeRequestsPerNotebook'),
  'max-open-change-requests': defaultOf('maxOpenChangeRequests')
};

it('documents the defaults these tests flood', () => {
  expect(DEFAULTS).toEqual({
    'token-rate-limit': '20/1h',
    'change-request-rate-limit': '30/1h',
    'save-rate-limit': '60/1m',
    'max-tokens-per-user': '100',
    'max-open-change-requests-per-notebook': '10',
    'max-open-change-requests': '100'
  });
});

/** Checks a 429: the limit it names, the message naming the flag, and Retry-After agreeing with the body. */
function expectLimited(
  response: { statusCode: number; headers: Record<string, unknown>; json(): any },
  limit: string,
  flag: string
) {
  expect(response.statusCode).toBe(429);
  const body = response.json();
  expect(body).toMatchObject({ error: 'RATE_LIMITED', limit, message: expect.stringContaining(`(${flag})`) });
  expect(body.message).toMatch(/try again in \d+ seconds?$/);
  expect(response.headers['retry-after']).toBe(String(body.retryAfterSeconds));
  expect(body.retryAfterSeconds).toBeGreaterThan(0);
}

describe('token flood', () => {
  let gallery: ITestGallery;
  let ann: string;
  let bob: string;

  beforeAll(async () => {
    gallery = await startTestGallery({
      'token-rate-limit': DEFAULTS['token-rate-limit'],
      'max-tokens-per-user': '25'
    });
    [ann, bob] = await Promise.all([gallery.login('ann'), gallery.login('bob')]);
  }, SETUP_TIMEOUT_MS);

  afterAll(async () => {
    await gallery.close();
  });

  const createToken = (token: string, name: string, kind = 'personal') =>
    gallery.request(token, { method: 'POST', url: '/api/tokens', payload: { name, kind } });

  it('answers 429 after 20 token changes an hour, with Retry-After; another user is unaffected', async () => {
    const replies = await Promise.all(Array.from({ length: 30 }, (_, i) => createToken(ann, `flood ${i}`)));
    expect(replies.filter(reply => reply.statusCode === 201)).toHaveLength(20);
    const limited = replies.filter(reply => reply.statusCode !== 201);
    expect(limited).toHaveLength(10);
    for (const reply of limited) {
      expectLimited(reply, 'token', '--token-rate-limit');
    }
    expect(limited[0].json().message).toMatch(/^Too many API token changes: at most 20 per hour/);
    const listed = await gallery.request(ann, { method: 'GET', url: '/api/tokens' });
    expect(listed.json().items).toHaveLength(20);
    expect((await createToken(bob, 'laptop')).statusCode).toBe(201);
  });
});

describe('token cap', () => {
  let gallery: ITestGallery;
  let ann: string;

  beforeAll(async () => {
    gallery = await startTestGallery({ 'max-tokens-per-user': '3' });
    ann = await gallery.login('ann');
  }, SETUP_TIMEOUT_MS);

  afterAll(async () => {
    await gallery.close();
  });

  it('refuses a personal token past the cap with 409 LIMIT_REACHED, and a new session replaces the oldest session', async () => {
    const create = (name: string, kind: string) =>
      gallery.request(ann, { method: 'POST', url: '/api/tokens', payload: { name, kind } });
    const oldSession = await create('lab 1', 'session');
    expect(oldSession.statusCode).toBe(201);
    expect((await create('ci', 'personal')).statusCode).toBe(201);
    expect((await create('laptop', 'personal')).statusCode).toBe(201);
    const refused = await create('one more', 'personal');
    expect(refused.statusCode).toBe(409);
    expect(refused.json()).toMatchObject({
      error: 'LIMIT_REACHED',
      limit: 'tokens-per-user',
      max: 3,
      message: expect.stringContaining('revoke one you no longer use')
    });
    // A JupyterLab login at the cap still works: it replaces the least recently used session token.
    expect((await create('lab 2', 'session')).statusCode).toBe(201);
    const names = (await gallery.request(ann, { method: 'GET', url: '/api/tokens' }))
      .json()
      .items.map((item: { name: string }) => item.name);
    expect(names.sort()).toEqual(['ci', 'lab 2', 'laptop']);
    const gone = await gallery.request(oldSession.json().token, { method: 'GET', url: '/api/auth/me' });
    expect(gone.statusCode).toBe(401);
  });
});

describe('change request flood', () => {
  let gallery: ITestGallery;
  let ann: string;
  let bob: string;
  let carl: string;
  const notebooks: { id: string; revision: string }[] = [];

  beforeAll(async () => {
    gallery = await startTestGallery({
      'default-visibility': 'public',
      'change-request-rate-limit': DEFAULTS['change-request-rate-limit'],
      'max-open-change-requests-per-notebook': DEFAULTS['max-open-change-requests-per-notebook']
    });
    [ann, bob, carl] = await Promise.all([gallery.login('ann'), gallery.login('bob'), gallery.login('carl')]);
    for (let i = 0; i < 4; i++) {
      const created = await gallery.request(ann, {
        method: 'POST',
        url: '/api/notebooks',
        payload: { notebook: sampleNotebook(`notes ${i}`), title: `Notes ${i}` }
      });
      expect(created.statusCode).toBe(201);
      notebooks.push(created.json());
    }
  }, SETUP_TIMEOUT_MS);

  afterAll(async () => {
    await gallery.close();
  });

  const propose = (token: string, notebook: { id: string; revision: string }, text: string) =>
    gallery.request(token, {
      method: 'POST',
      url: `/api/notebooks/${notebook.id}/change-requests`,
      payload: { notebook: sampleNotebook(text), baseRevision: notebook.revision, message: text }
    });

  it('caps open change requests on one notebook at 10 with 409 LIMIT_REACHED, counted under the lock', async () => {
    const replies = await Promise.all(Array.from({ length: 14 }, (_, i) => propose(bob, notebooks[0], `idea ${i}`)));
    expect(replies.filter(reply => reply.statusCode === 201)).toHaveLength(10);
    const refused = replies.filter(reply => reply.statusCode !== 201);
    expect(refused).toHaveLength(4);
    for (const reply of refused) {
      expect(reply.statusCode).toBe(409);
      expect(reply.json()).toMatchObject({
        error: 'LIMIT_REACHED',
        limit: 'open-change-requests-per-notebook',
        max: 10
      });
    }
    const open = await gallery.request(ann, {
      method: 'GET',
      url: `/api/notebooks/${notebooks[0].id}/change-requests?status=open`
    });
    expect(open.json().items).toHaveLength(10);
    // Withdrawing one makes room again.
    const first = replies.find(reply => reply.statusCode === 201)!.json();
    const withdrawn = await gallery.request(bob, {
      method: 'POST',
      url: `/api/notebooks/${notebooks[0].id}/change-requests/${first.id}/withdraw`
    });
    expect(withdrawn.statusCode).toBe(200);
  });

  it('answers 429 after 30 change requests an hour, with Retry-After; another user is unaffected', async () => {
    // bob spent 14 of his 30 above (refused ones count too: they reached the route); 16 more pass.
    const replies: { statusCode: number; headers: Record<string, unknown>; json(): any }[] = [];
    for (let i = 0; i < 20; i++) {
      replies.push(await propose(bob, notebooks[1 + (i % 3)], `more ${i}`));
    }
    expect(replies.slice(0, 16).map(reply => reply.statusCode)).toEqual(Array(16).fill(201));
    for (const reply of replies.slice(16)) {
      expectLimited(reply, 'change-request', '--change-request-rate-limit');
    }
    expect((await propose(carl, notebooks[1], 'carl has an idea')).statusCode).toBe(201);
  });
});

describe('save flood', () => {
  let gallery: ITestGallery;
  let ann: string;
  let bob: string;

  beforeAll(async () => {
    gallery = await startTestGallery({ 'save-rate-limit': DEFAULTS['save-rate-limit'] });
    [ann, bob] = await Promise.all([gallery.login('ann'), gallery.login('bob')]);
  }, SETUP_TIMEOUT_MS);

  afterAll(async () => {
    await gallery.close();
  });

  it('answers 429 after 60 notebook changes a minute; another user still saves', async () => {
    const create = (token: string, i: number) =>
      gallery.request(token, {
        method: 'POST',
        url: '/api/notebooks',
        payload: { notebook: sampleNotebook(`draft ${i}`), title: `Draft ${i}` }
      });
    const statuses: number[] = [];
    for (let i = 0; i < 62; i++) {
      const reply = await create(ann, i);
      statuses.push(reply.statusCode);
      if (reply.statusCode === 429) {
        expectLimited(reply, 'save', '--save-rate-limit');
      }
    }
    expect(statuses).toEqual([...Array(60).fill(201), 429, 429]);
    expect((await create(bob, 0)).statusCode).toBe(201);
  });
});

describe('every write route', () => {
  let gallery: ITestGallery;
  let ann: string;
  const limits = Object.fromEntries(
    [
      'login',
      'token',
      'save',
      'change-request',
      'activity',
      'health-report',
      'comment',
      'webhook',
      'import',
      'write'
    ].map(name => [`${name}-rate-limit`, '1/1h'])
  );

  beforeAll(async () => {
    gallery = await startTestGallery(limits);
    await gallery.login('ann', { admin: true });
    // A personal token: it survives POST /api/auth/sign-out-everywhere, which this test calls too.
    ann = (await gallery.app.accounts.createToken('ann', 'limits test', 'personal', null)).token;
  }, SETUP_TIMEOUT_MS);

  afterAll(async () => {
    await gallery.close();
  });

  it('is behind a per-user limit: with every limit at 1 an hour, the second call to each answers 429', async () => {
    const document = (await gallery.request(ann, { method: 'GET', url: '/api/openapi.json' })).json();
    // Login and registration have the login limits instead; the trusted-header session has no logged-in caller.
    const own = new Set(['POST /api/auth/login', 'POST /api/auth/register', 'POST /api/auth/sso/session']);
    const writes: [string, string][] = [];
    for (const [path, operations] of Object.entries(document.paths as Record<string, Record<string, unknown>>)) {
      for (const method of Object.keys(operations)) {
        const upper = method.toUpperCase();
        if (['POST', 'PUT', 'PATCH', 'DELETE'].includes(upper) && !own.has(`${upper} ${path}`)) {
          writes.push([upper, path.replace(/\{[^}]+\}/g, 'x')]);
        }
      }
    }
    expect(writes.length).toBeGreaterThan(25);
    const notLimited: string[] = [];
    for (const [method, url] of writes) {
      await gallery.request(ann, { method: method as 'POST', url, payload: {} });
      const second = await gallery.request(ann, { method: method as 'POST', url, payload: {} });
      if (second.statusCode !== 429 || !second.headers['retry-after']) {
        notLimited.push(`${method} ${url}: ${second.statusCode}`);
      }
    }
    expect(notLimited).toEqual([]);
  });
});

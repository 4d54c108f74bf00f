import * as os from 'node:os';
import * as path from 'node:path';
import { loadConfig } from '../src/config';
import { ConfigError } from '../src/errors/ConfigError';

describe('loadConfig', () => {
  it('takes the embedding model directory from the flag or the environment, absolute', () => {
    expect(loadConfig({ 'embedding-model': 'models/wl' }, {}).embeddingModel).toBe(path.resolve('models/wl'));
    expect(loadConfig({}, { GALLERY_EMBEDDING_MODEL: '/opt/model' }).embeddingModel).toBe('/opt/model');
    expect(loadConfig({}, { GALLERY_EMBEDDING_MODEL: ' ' }).embeddingModel).toBeNull();
  });

  it('has defaults that work with the JupyterLab scripts/start runs', () => {
    expect(loadConfig({}, {})).toEqual({
      dataDir: path.resolve('.gallery'),
      fsync: true,
      host: '127.0.0.1',
      port: 8765,
      corsOrigins: ['http://127.0.0.1:8888', 'http://localhost:8888'],
      bodyLimit: 50 * 1024 * 1024,
      accessTokenTtlSeconds: 15 * 60,
      apiTokenTtlSeconds: 90 * 86400,
      loginRateLimit: { max: 10, windowSeconds: 60 },
      loginAddressRateLimit: { max: 30, windowSeconds: 60 },
      loginUserRateLimit: { max: 50, windowSeconds: 3600 },
      tokenRateLimit: { max: 20, windowSeconds: 3600 },
      saveRateLimit: { max: 60, windowSeconds: 60 },
      changeRequestRateLimit: { max: 30, windowSeconds: 3600 },
      activityRateLimit: { max: 600, windowSeconds: 3600 },
      healthReportRateLimit: { max: 120, windowSeconds: 3600 },
      writeRateLimit: { max: 120, windowSeconds: 60 },
      maxTokensPerUser: 100,
      maxOpenChangeRequestsPerNotebook: 10,
      maxOpenChangeRequests: 100,
      requestTimeoutSeconds: 120,
      headersTimeoutSeconds: 20,
      connectionTimeoutSeconds: 60,
      forwardedForProxies: [],
      registration: 'closed',
      registrationDomains: [],
      defaultVisibility: 'private',
      embeddingModel: null,
      databaseUrl: null,
      anonymousRead: false,
      trustedHeader: null,
      trustedProxies: ['127.0.0.1', '::1'],
      oidcIssuer: null,
      oidcClientId: null,
      oidcClientSecret: null,
      oidcLabel: 'Single sign-on',
      oidcUsernameClaim: 'preferred_username',
      publicUrl: null,
      logLevel: 'info',
      slowRequestMs: 1000,
      hubGroupRoles: [],
      hubCacheTtlSeconds: 60,
      hubSyncIntervalSeconds: 600,
      healthStaleDays: 90,
      readWorkers: Math.min(4, Math.max(2, os.availableParallelism())),
      queryBudgetMs: 10_000,
      commentRateLimit: { max: 30, windowSeconds: 60 },
      webhookRateLimit: { max: 10, windowSeconds: 3600 },
      importRateLimit: { max: 6000, windowSeconds: 60 },
      webhookUrl: null,
      webhookSecret: null,
      webhookTimeoutSeconds: 10,
      webhookAttempts: 8,
      webhookRetrySeconds: 30,
      labUrl: null,
      pageSessionTtlSeconds: 12 * 3600,
      hub: null
    });
  });

  it('sends to no webhook by default, and needs a secret of 16 characters with a site-wide one', () => {
    expect(loadConfig({}, {}).webhookUrl).toBeNull();
    const config = loadConfig(
      {},
      {
        GALLERY_WEBHOOK_URL: 'https://relay.example.org/gallery',
        GALLERY_WEBHOOK_SECRET: '0123456789abcdef'
      }
    );
    expect([config.webhookUrl, config.webhookSecret]).toEqual([
      'https://relay.example.org/gallery',
      '0123456789abcdef'
    ]);
    expect(() => loadConfig({ 'webhook-url': 'https://relay.example.org/gallery' }, {})).toThrow(
      '--webhook-url needs --webhook-secret (GALLERY_WEBHOOK_SECRET) of at least 16 characters'
    );
    expect(() =>
      loadConfig({ 'webhook-url': 'ftp://relay.example.org/', 'webhook-secret': '0123456789abcdef' }, {})
    ).toThrow('--webhook-url: "ftp://relay.example.org/" must be an http or https URL');
    expect(() => loadConfig({ 'webhook-attempts': '0' }, {})).toThrow('--webhook-attempts');
  });

  it('takes --lab-url as an http(s) URL, keeping its query, and refuses anything else', () => {
    expect(loadConfig({ 'lab-url': 'https://lab.example/lab?x=1' }, {}).labUrl).toBe('https://lab.example/lab?x=1');
    expect(loadConfig({}, { GALLERY_LAB_URL: 'http://127.0.0.1:8888/lab/' }).labUrl).toBe('http://127.0.0.1:8888/lab');
    expect(() => loadConfig({ 'lab-url': 'javascript:alert(1)' }, {})).toThrow(ConfigError);
    expect(() => loadConfig({ 'lab-url': 'lab' }, {})).toThrow(ConfigError);
  });

  it('turns fsync off only when asked, by flag or GALLERY_FSYNC', () => {
    expect(loadConfig({ fsync: 'false' }, {}).fsync).toBe(false);
    expect(loadConfig({}, { GALLERY_FSYNC: 'false' }).fsync).toBe(false);
    expect(loadConfig({ fsync: 'true' }, { GALLERY_FSYNC: 'false' }).fsync).toBe(true);
    expect(() => loadConfig({ fsync: 'sometimes' }, {})).toThrow(
      new ConfigError('--fsync must be true or false, got "sometimes"')
    );
  });

  it('takes GALLERY_* variables, and flags over them', () => {
    const env = { GALLERY_PORT: '9000', GALLERY_HOST: '0.0.0.0', GALLERY_CORS_ORIGINS: 'https://hub.example.org/' };
    const config = loadConfig(
      {
        port: '0',
        'body-limit': '2MB',
        'access-token-ttl': '12h',
        'trusted-header': 'X-Remote-User',
        'public-url': 'https://gallery.example.org/'
      },
      env
    );
    expect(config).toMatchObject({
      port: 0,
      host: '0.0.0.0',
      corsOrigins: ['https://hub.example.org'],
      bodyLimit: 2_000_000,
      accessTokenTtlSeconds: 43200,
      trustedHeader: 'x-remote-user',
      publicUrl: 'https://gallery.example.org'
    });
  });

  it('takes the days after which a notebook without a successful run is stale, 90 by default', () => {
    expect(loadConfig({}, {}).healthStaleDays).toBe(90);
    expect(loadConfig({}, { GALLERY_HEALTH_STALE_DAYS: '30' }).healthStaleDays).toBe(30);
    expect(loadConfig({ 'health-stale-days': '7' }, { GALLERY_HEALTH_STALE_DAYS: '30' }).healthStaleDays).toBe(7);
  });

  it('takes the read workers and the query budget, one worker per core (2 to 4) and 10 s by default', () => {
    const defaults = loadConfig({}, {});
    expect(defaults.readWorkers).toBe(Math.min(4, Math.max(2, os.availableParallelism())));
    expect(defaults.queryBudgetMs).toBe(10_000);
    const set = loadConfig({ 'read-workers': '3' }, { GALLERY_QUERY_BUDGET_MS: '2500' });
    expect([set.readWorkers, set.queryBudgetMs]).toEqual([3, 2500]);
  });

  it.each([
    [{ 'read-workers': '0' }, {}, /--read-workers must be a whole number from 1 to 64, got "0"/],
    [{}, { GALLERY_QUERY_BUDGET_MS: '5s' }, /GALLERY_QUERY_BUDGET_MS must be a whole number from 1 to 600000/],
    [{ port: '70000' }, {}, /--port must be a whole number from 0 to 65535, got "70000"/],
    [{}, { GALLERY_PORT: 'http' }, /GALLERY_PORT must be a whole number/],
    [{ 'body-limit': '5 bananas' }, {}, /--body-limit must be a positive size/],
    [{ 'access-token-ttl': '0' }, {}, /--access-token-ttl must be a positive duration/],
    [{ 'login-rate-limit': 'lots' }, {}, /--login-rate-limit must be COUNT\/DURATION/],
    [{ registration: 'domains' }, {}, /--registration domains needs --registration-domains/],
    [{}, { GALLERY_REGISTRATION: 'maybe' }, /GALLERY_REGISTRATION must be one of closed, open, domains/],
    [{ 'default-visibility': 'secret' }, {}, /--default-visibility must be one of private, group, public/],
    [{ 'anonymous-read': 'perhaps' }, {}, /--anonymous-read must be true or false/],
    [{ 'trusted-proxies': '127.0.0.1,proxy.local' }, {}, /"proxy.local" is not an IP address/],
    [{ 'oidc-issuer': 'https://login.example.org' }, {}, /--oidc-issuer needs --oidc-client-id/],
    [{ 'oidc-issuer': 'ftp://x' }, {}, /must be an http or https URL/],
    [{ 'trusted-header': 'X-Remote-User' }, {}, /--trusted-header needs --public-url \(GALLERY_PUBLIC_URL\)/],
    [
      { 'oidc-issuer': 'https://login.example.org', 'oidc-client-id': 'gallery' },
      {},
      /--oidc-issuer needs --public-url \(GALLERY_PUBLIC_URL\).*must not come from the Host header/
    ],
    [{ 'cors-origins': 'localhost:8888' }, {}, /--cors-origins: "localhost:8888"/],
    [{ 'cors-origins': 'http://x.org/lab' }, {}, /no path/],
    [{ 'log-level': 'loud' }, {}, /--log-level must be one of fatal, error/],
    [{ 'data-dir': ' ' }, {}, /--data-dir must not be empty/],
    [{ 'health-stale-days': '0' }, {}, /--health-stale-days must be a whole number from 1 to 36500, got "0"/],
    [{}, { GALLERY_HEALTH_STALE_DAYS: '3 months' }, /GALLERY_HEALTH_STALE_DAYS must be a whole number/],
    [{ 'save-rate-limit': '0/1m' }, {}, /--save-rate-limit must be COUNT\/DURATION like 10\/1m, got "0\/1m"/],
    [{}, { GALLERY_TOKEN_RATE_LIMIT: 'lots' }, /GALLERY_TOKEN_RATE_LIMIT must be COUNT\/DURATION/],
    [{ 'max-tokens-per-user': '0' }, {}, /--max-tokens-per-user must be a whole number from 1/],
    [{ 'request-timeout': '0' }, {}, /--request-timeout must be a positive duration/],
    [
      { 'request-timeout': '10s', 'headers-timeout': '30s' },
      {},
      /--headers-timeout \(30 s\) must not be longer than --request-timeout/
    ]
  ])('fails fast on %p %p', (flags, env, message) => {
    expect(() => loadConfig(flags, env)).toThrow(ConfigError);
    expect(() => loadConfig(flags, env)).toThrow(message);
  });
});

describe('--database-url', () => {
  it('is SQLite (null) unless a PostgreSQL URL is given, by flag or GALLERY_DATABASE_URL', () => {
    expect(loadConfig({ 'data-dir': '/tmp/x' }, {}).databaseUrl).toBeNull();
    expect(
      loadConfig({ 'data-dir': '/tmp/x' }, { GALLERY_DATABASE_URL: 'postgres://g:pw@db:5432/gallery' }).databaseUrl
    ).toBe('postgres://g:pw@db:5432/gallery');
    expect(loadConfig({ 'data-dir': '/tmp/x', 'database-url': 'postgresql://db/gallery' }, {}).databaseUrl).toBe(
      'postgresql://db/gallery'
    );
  });

  it('refuses other databases and non-URLs without repeating the value, which may hold a password', () => {
    expect(() => loadConfig({ 'data-dir': '/tmp/x', 'database-url': 'mysql://u:hunter2@db/g' }, {})).toThrow(
      /--database-url: only PostgreSQL is supported/
    );
    expect(() => loadConfig({ 'data-dir': '/tmp/x' }, { GALLERY_DATABASE_URL: 'hunter2 not a url' })).toThrow(
      /GALLERY_DATABASE_URL: not a URL/
    );
    expect(() => loadConfig({ 'data-dir': '/tmp/x', 'database-url': 'mysql://u:hunter2@db/g' }, {})).not.toThrow(
      /hunter2/
    );
  });
});

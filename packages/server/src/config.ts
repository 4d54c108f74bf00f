import type { GroupRole, RegistrationMode, Visibility } from '@notebook-gallery/core';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { ConfigError } from './errors/ConfigError';
import type { IHubRoleMapping } from './services/hubGroupSync';

/** Log levels pino understands, plus `silent`. */
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** One of {@link LOG_LEVELS}. */
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Everything the server needs to run; built by {@link loadConfig}. */
export interface IGalleryConfig {
  /** Absolute directory holding `gallery.sqlite`, `repos/`, `trash/` and `jwt-secret`. */
  dataDir: string;
  /** Whether saves reach the disk before they are acknowledged (fsync and SQLite `synchronous = FULL`). */
  fsync: boolean;
  host: string;
  /** 0 picks a free port. */
  port: number;
  /** Origins allowed to call the API from a browser, e.g. the JupyterLab the extension runs in. */
  corsOrigins: string[];
  /** Largest accepted request body, in bytes. */
  bodyLimit: number;
  /** How long a JWT access token from POST /api/auth/login works, in seconds. */
  accessTokenTtlSeconds: number;
  /** Lifetime of a personal API token when its creator does not choose one, in seconds. */
  apiTokenTtlSeconds: number;
  /** Failed logins allowed per (client address, username) pair in each window (auth/loginThrottle.ts). */
  loginRateLimit: IRate;
  /** Failed logins allowed per client address, whatever the usernames, in each window. */
  loginAddressRateLimit: IRate;
  /** Failed logins allowed per username from all addresses; past it only addresses new to the username may try. */
  loginUserRateLimit: IRate;
  /** API tokens created or revoked per user in each window. */
  tokenRateLimit: IRate;
  /** Notebook changes per user in each window: saves, creations, restores, deletions, metadata, sharing, transfers. */
  saveRateLimit: IRate;
  /** Change requests opened per user in each window. */
  changeRequestRateLimit: IRate;
  /** Activity records (views, opens, downloads) and stars per user in each window. */
  activityRateLimit: IRate;
  /** Notebook health reports per user in each window. */
  healthReportRateLimit: IRate;
  /** Every other write per user in each window: groups, inbox, account, change request decisions, admin changes. */
  writeRateLimit: IRate;
  /** Live (unexpired) API tokens one user may have; at the cap a new session token replaces their oldest one. */
  maxTokensPerUser: number;
  /** Open change requests one user may have on one notebook. */
  maxOpenChangeRequestsPerNotebook: number;
  /** Open change requests one user may have across all notebooks. */
  maxOpenChangeRequests: number;
  /** Seconds a client has to send a whole request, headers and body; a slower one is cut with 408. */
  requestTimeoutSeconds: number;
  /** Seconds a client has to send a request's headers. */
  headersTimeoutSeconds: number;
  /** Seconds a connection may sit idle (nothing sent either way) before it is closed. */
  connectionTimeoutSeconds: number;
  registration: RegistrationMode;
  /** Email domains `domains` registration accepts, lower case. */
  registrationDomains: string[];
  /** Visibility of a new notebook when the save does not choose one. */
  defaultVisibility: Visibility;
  /** Whether requests without credentials may read public notebooks. */
  anonymousRead: boolean;
  /** Lower-case name of the header a trusted reverse proxy sets to the logged-in username, or null. */
  trustedHeader: string | null;
  /** Socket addresses whose trusted header is believed. */
  trustedProxies: string[];
  /** Reverse proxies whose `X-Forwarded-For` names the client, for the limits kept per client address. */
  forwardedForProxies: string[];
  /** OpenID Connect issuer URL; null turns OIDC login off. */
  oidcIssuer: string | null;
  oidcClientId: string | null;
  oidcClientSecret: string | null;
  /** What the login button for single sign-on says. */
  oidcLabel: string;
  /** ID token or userinfo claim that becomes the username. */
  oidcUsernameClaim: string;
  /** The gallery's external base URL (no trailing slash); required with single sign-on. Null otherwise allowed. */
  publicUrl: string | null;
  logLevel: LogLevel;
  /** Requests that take longer than this, in milliseconds, are logged at `warn`; the others that succeed at `debug`. */
  slowRequestMs: number;
  /** Hub groups that give a higher role in a gallery group (`--hub-group-roles`); used only in hub mode. */
  hubGroupRoles: IHubRoleMapping[];
  /** How long a hub token's identity is believed without asking the hub again, in seconds. */
  hubCacheTtlSeconds: number;
  /** Seconds between full syncs of the hub's groups; 0 turns the periodic sync off. */
  hubSyncIntervalSeconds: number;
  /** Set when the server runs as a JupyterHub service (`JUPYTERHUB_SERVICE_URL` is set); null otherwise. */
  hub: IHubConfig | null;
  /** Days without a complete successful run of a notebook's current code after which its health is stale. */
  healthStaleDays: number;
  /** Worker threads that run listings and searches off the event loop. */
  readWorkers: number;
  /** Milliseconds a listing or search may take before it is answered 503 with Retry-After. */
  queryBudgetMs: number;
  /** The embedding model's directory (search by meaning); null: search ranks by words alone. */
  embeddingModel: string | null;
  /**
   * A `postgres://` URL: metadata and search live in that PostgreSQL database (which several replicas may share)
   * instead of `gallery.sqlite` in the data directory; null: SQLite.
   */
  databaseUrl: string | null;
  /** Comments written or edited allowed per user in each window. */
  commentRateLimit: IRate;
  /** Changes of a user's own webhook allowed per user in each window. */
  webhookRateLimit: IRate;
  /** Revisions one admin may import per window through the API (`import --server`). */
  importRateLimit: IRate;
  /** The site-wide webhook that receives every user's inbox events; null: none. */
  webhookUrl: string | null;
  /** Key of the site-wide webhook's HMAC-SHA256 signature; required with `webhookUrl`. */
  webhookSecret: string | null;
  /** How long a webhook receiver may take to answer, in seconds. */
  webhookTimeoutSeconds: number;
  /** Attempts per webhook delivery before it is given up. */
  webhookAttempts: number;
  /** Seconds before the first retry of a failed delivery; doubled for each further one. */
  webhookRetrySeconds: number;
  /** Standalone: the JupyterLab URL "Open in JupyterLab" on a notebook's page goes to (`?gallery=<id>&revision=<rev>` added); null: the page explains the sidebar. */
  labUrl: string | null;
  /** How long a login on the gallery's own login page (pages in the browser, standalone) lasts, in seconds. */
  pageSessionTtlSeconds: number;
}

/** A rate limit: `max` requests per `windowSeconds`; given as COUNT/DURATION, e.g. `10/1m`. */
export interface IRate {
  max: number;
  windowSeconds: number;
}

/** What a JupyterHub service is started with (the `JUPYTERHUB_*` environment variables). */
export interface IHubConfig {
  /** `JUPYTERHUB_SERVICE_URL`: where the proxy sends the service's requests; the server listens there. */
  serviceUrl: string;
  /** `JUPYTERHUB_SERVICE_PREFIX` without its trailing slash, e.g. `/services/gallery`; every route is served under it. */
  prefix: string;
  /** `JUPYTERHUB_API_URL` without a trailing slash, e.g. `http://127.0.0.1:8081/hub/api`. */
  apiUrl: string;
  /** `JUPYTERHUB_API_TOKEN`: the service's own token, for the groups list. */
  apiToken: string;
  /** `JUPYTERHUB_SERVICE_NAME`: the `<name>` of the `access:services!service=<name>` scope. */
  serviceName: string;
  /** `JUPYTERHUB_BASE_URL` with a trailing slash (`/` by default): the hub's pages are under `<baseUrl>hub/`. */
  baseUrl: string;
  /** `JUPYTERHUB_CLIENT_ID` (`service-<name>` by default): the service's OAuth client at the hub. */
  clientId: string;
  /** `JUPYTERHUB_OAUTH_CALLBACK_URL` (`<prefix>/oauth_callback` by default): where the hub sends the browser back. */
  oauthCallbackUrl: string;
}

/** Raw option values by flag name without `--` (e.g. `data-dir`), as node:util parseArgs returns them. */
export type ConfigFlags = Record<string, string | undefined>;

/** How one option is given and parsed. */
export interface IConfigOption<K extends keyof IGalleryConfig> {
  key: K;
  flag: string;
  env: string;
  defaultValue: string;
  help: string;
  parse(raw: string, source: string): IGalleryConfig[K];
}

/** Every option: its flag, its environment variable, its default and how it is parsed; the CLI's help comes from here. */
export const CONFIG_OPTIONS = [
  option({
    key: 'dataDir',
    flag: 'data-dir',
    env: 'GALLERY_DATA_DIR',
    defaultValue: './.gallery',
    help: 'directory for the database, the git repositories and the token secret',
    parse: (raw, source) => path.resolve(nonEmpty(raw, source))
  }),
  option({
    key: 'fsync',
    flag: 'fsync',
    env: 'GALLERY_FSYNC',
    defaultValue: 'true',
    help: 'flush every save to disk before acknowledging it, so it survives power loss: true or false',
    parse: parseBoolean
  }),
  option({
    key: 'host',
    flag: 'host',
    env: 'GALLERY_HOST',
    defaultValue: '127.0.0.1',
    help: 'address to listen on',
    parse: nonEmpty
  }),
  option({
    key: 'port',
    flag: 'port',
    env: 'GALLERY_PORT',
    defaultValue: '8765',
    help: 'port to listen on; 0 picks a free one',
    parse: (raw, source) => integerInRange(raw, source, 0, 65535)
  }),
  option({
    key: 'corsOrigins',
    flag: 'cors-origins',
    env: 'GALLERY_CORS_ORIGINS',
    defaultValue: 'http://127.0.0.1:8888,http://localhost:8888',
    help: 'comma-separated browser origins allowed to call the API (the JupyterLab servers)',
    parse: parseOrigins
  }),
  option({
    key: 'bodyLimit',
    flag: 'body-limit',
    env: 'GALLERY_BODY_LIMIT',
    defaultValue: '50MiB',
    help: 'largest request body: bytes, or a number with KB, KiB, MB, MiB, GB or GiB',
    parse: parseSize
  }),
  option({
    key: 'accessTokenTtlSeconds',
    flag: 'access-token-ttl',
    env: 'GALLERY_ACCESS_TOKEN_TTL',
    defaultValue: '15m',
    help: 'how long a login (JWT access token) lasts: seconds, or a number with s, m, h or d',
    parse: parseDuration
  }),
  option({
    key: 'apiTokenTtlSeconds',
    flag: 'api-token-ttl',
    env: 'GALLERY_API_TOKEN_TTL',
    defaultValue: '90d',
    help: 'lifetime of a personal API token when its creator does not choose one',
    parse: parseDuration
  }),
  // Limits and timeouts: docs/admin-guide.md, "Limits and timeouts".
  option({
    key: 'loginRateLimit',
    flag: 'login-rate-limit',
    env: 'GALLERY_LOGIN_RATE_LIMIT',
    defaultValue: '10/1m',
    help: 'failed logins per client address and username together, as COUNT/DURATION; more are answered 429',
    parse: parseRate
  }),
  option({
    key: 'loginAddressRateLimit',
    flag: 'login-address-rate-limit',
    env: 'GALLERY_LOGIN_ADDRESS_RATE_LIMIT',
    defaultValue: '30/1m',
    help: 'failed logins (and registrations) per client address, whatever the usernames, as COUNT/DURATION',
    parse: parseRate
  }),
  option({
    key: 'loginUserRateLimit',
    flag: 'login-user-rate-limit',
    env: 'GALLERY_LOGIN_USER_RATE_LIMIT',
    defaultValue: '50/1h',
    help:
      'failed logins per username from all addresses, as COUNT/DURATION; past it, an address that has not failed ' +
      'for this username still gets one try, so the right password from a new address still logs in',
    parse: parseRate
  }),
  option({
    key: 'tokenRateLimit',
    flag: 'token-rate-limit',
    env: 'GALLERY_TOKEN_RATE_LIMIT',
    defaultValue: '20/1h',
    help: 'API tokens created or revoked per user, as COUNT/DURATION (a JupyterLab login creates one)',
    parse: parseRate
  }),
  option({
    key: 'saveRateLimit',
    flag: 'save-rate-limit',
    env: 'GALLERY_SAVE_RATE_LIMIT',
    defaultValue: '60/1m',
    help: 'notebook changes per user (saves, restores, deletions, metadata, sharing, transfers), as COUNT/DURATION',
    parse: parseRate
  }),
  option({
    key: 'changeRequestRateLimit',
    flag: 'change-request-rate-limit',
    env: 'GALLERY_CHANGE_REQUEST_RATE_LIMIT',
    defaultValue: '30/1h',
    help: 'change requests opened per user, as COUNT/DURATION',
    parse: parseRate
  }),
  option({
    key: 'activityRateLimit',
    flag: 'activity-rate-limit',
    env: 'GALLERY_ACTIVITY_RATE_LIMIT',
    defaultValue: '600/1h',
    help: 'views, opens and downloads recorded, and stars given or taken, per user, as COUNT/DURATION',
    parse: parseRate
  }),
  option({
    key: 'healthReportRateLimit',
    flag: 'health-report-rate-limit',
    env: 'GALLERY_HEALTH_REPORT_RATE_LIMIT',
    defaultValue: '120/1h',
    help: 'notebook health reports (from users who opted in) per user, as COUNT/DURATION',
    parse: parseRate
  }),
  option({
    key: 'writeRateLimit',
    flag: 'write-rate-limit',
    env: 'GALLERY_WRITE_RATE_LIMIT',
    defaultValue: '120/1m',
    help:
      'every other write per user (groups, inbox, account, change request decisions, admin changes), as ' +
      'COUNT/DURATION',
    parse: parseRate
  }),
  option({
    key: 'maxTokensPerUser',
    flag: 'max-tokens-per-user',
    env: 'GALLERY_MAX_TOKENS_PER_USER',
    defaultValue: '100',
    help: "live API tokens per user; at the cap a new session token replaces the user's least recently used one",
    parse: (raw, source) => integerInRange(raw, source, 1, 100_000)
  }),
  option({
    key: 'maxOpenChangeRequestsPerNotebook',
    flag: 'max-open-change-requests-per-notebook',
    env: 'GALLERY_MAX_OPEN_CHANGE_REQUESTS_PER_NOTEBOOK',
    defaultValue: '10',
    help: 'open change requests one user may have on one notebook',
    parse: (raw, source) => integerInRange(raw, source, 1, 100_000)
  }),
  option({
    key: 'maxOpenChangeRequests',
    flag: 'max-open-change-requests',
    env: 'GALLERY_MAX_OPEN_CHANGE_REQUESTS',
    defaultValue: '100',
    help: 'open change requests one user may have across all notebooks',
    parse: (raw, source) => integerInRange(raw, source, 1, 1_000_000)
  }),
  option({
    key: 'requestTimeoutSeconds',
    flag: 'request-timeout',
    env: 'GALLERY_REQUEST_TIMEOUT',
    defaultValue: '2m',
    help:
      'time a client has to send a whole request, headers and body (the body timeout); a slower upload is cut ' +
      'with 408. 2m takes the largest notebook (--body-limit 50MiB) over a 4 Mbit/s link',
    parse: parseDuration
  }),
  option({
    key: 'headersTimeoutSeconds',
    flag: 'headers-timeout',
    env: 'GALLERY_HEADERS_TIMEOUT',
    defaultValue: '20s',
    help: "time a client has to send a request's headers (at most --request-timeout)",
    parse: parseDuration
  }),
  option({
    key: 'connectionTimeoutSeconds',
    flag: 'connection-timeout',
    env: 'GALLERY_CONNECTION_TIMEOUT',
    defaultValue: '60s',
    help: 'time a connection may sit idle, with nothing sent either way, before it is closed',
    parse: parseDuration
  }),
  option({
    key: 'registration',
    flag: 'registration',
    env: 'GALLERY_REGISTRATION',
    defaultValue: 'closed',
    help: 'who may create an account: closed (admins, with the CLI), open, or domains (see --registration-domains)',
    parse: (raw, source) => oneOf(raw, source, ['closed', 'open', 'domains'] as const)
  }),
  option({
    key: 'registrationDomains',
    flag: 'registration-domains',
    env: 'GALLERY_REGISTRATION_DOMAINS',
    defaultValue: '',
    help: 'comma-separated email domains that --registration domains accepts, e.g. uni.example,lab.example',
    parse: parseDomains
  }),
  option({
    key: 'defaultVisibility',
    flag: 'default-visibility',
    env: 'GALLERY_DEFAULT_VISIBILITY',
    defaultValue: 'private',
    help: 'visibility of new notebooks unless the save chooses: private, group or public',
    parse: (raw, source) => oneOf(raw, source, ['private', 'group', 'public'] as const)
  }),
  option({
    key: 'anonymousRead',
    flag: 'anonymous-read',
    env: 'GALLERY_ANONYMOUS_READ',
    defaultValue: 'false',
    help: 'let visitors who are not logged in list and read public notebooks: true or false',
    parse: parseBoolean
  }),
  option({
    key: 'trustedHeader',
    flag: 'trusted-header',
    env: 'GALLERY_TRUSTED_HEADER',
    defaultValue: '',
    help: 'header a reverse proxy sets to the logged-in username (e.g. X-Remote-User); empty turns it off',
    parse: parseHeaderName
  }),
  option({
    key: 'trustedProxies',
    flag: 'trusted-proxies',
    env: 'GALLERY_TRUSTED_PROXIES',
    defaultValue: '127.0.0.1,::1',
    help: 'comma-separated proxy IP addresses whose --trusted-header is believed',
    parse: parseAddresses
  }),
  option({
    key: 'forwardedForProxies',
    flag: 'forwarded-for-proxies',
    env: 'GALLERY_FORWARDED_FOR_PROXIES',
    defaultValue: '',
    help:
      'comma-separated addresses of reverse proxies whose X-Forwarded-For names the client, so the login limits ' +
      "count each client's address rather than the proxy's; empty: the socket's address",
    parse: parseAddresses
  }),
  option({
    key: 'oidcIssuer',
    flag: 'oidc-issuer',
    env: 'GALLERY_OIDC_ISSUER',
    defaultValue: '',
    help: 'OpenID Connect issuer URL (Keycloak realm, Azure AD tenant...); empty turns OIDC off',
    parse: (raw, source) => optionalUrl(raw, source)
  }),
  option({
    key: 'oidcClientId',
    flag: 'oidc-client-id',
    env: 'GALLERY_OIDC_CLIENT_ID',
    defaultValue: '',
    help: 'the client id registered with the issuer',
    parse: optional
  }),
  option({
    key: 'oidcClientSecret',
    flag: 'oidc-client-secret',
    env: 'GALLERY_OIDC_CLIENT_SECRET',
    defaultValue: '',
    help: 'the client secret; empty for a public client (PKCE only)',
    parse: optional
  }),
  option({
    key: 'oidcLabel',
    flag: 'oidc-label',
    env: 'GALLERY_OIDC_LABEL',
    defaultValue: 'Single sign-on',
    help: 'what the single sign-on button says (OIDC or trusted header)',
    parse: nonEmpty
  }),
  option({
    key: 'oidcUsernameClaim',
    flag: 'oidc-username-claim',
    env: 'GALLERY_OIDC_USERNAME_CLAIM',
    defaultValue: 'preferred_username',
    help: 'the OIDC claim that becomes the gallery username (sanitised)',
    parse: nonEmpty
  }),
  option({
    key: 'publicUrl',
    flag: 'public-url',
    env: 'GALLERY_PUBLIC_URL',
    defaultValue: '',
    help: 'the external base URL of the gallery, e.g. https://gallery.uni.example; required with --oidc-issuer or --trusted-header',
    parse: (raw, source) => optionalUrl(raw, source)
  }),
  option({
    key: 'logLevel',
    flag: 'log-level',
    env: 'GALLERY_LOG_LEVEL',
    defaultValue: 'info',
    help: `one of ${LOG_LEVELS.join(', ')}`,
    parse: parseLogLevel
  }),
  option({
    key: 'slowRequestMs',
    flag: 'slow-request-ms',
    env: 'GALLERY_SLOW_REQUEST_MS',
    defaultValue: '1000',
    help: 'milliseconds after which a request is logged as slow (at warn); requests that went well are logged at debug',
    parse: (raw, source) => integerInRange(raw, source, 0, 3_600_000)
  }),
  option({
    key: 'hubGroupRoles',
    flag: 'hub-group-roles',
    env: 'GALLERY_HUB_GROUP_ROLES',
    defaultValue: '',
    help:
      'in a JupyterHub: comma-separated HUBGROUP=ROLE:GALLERYGROUP entries giving a hub group a role (member, ' +
      'editor or owner) in a gallery group, e.g. instructors=editor:course-101,tas=member:course-101',
    parse: parseHubGroupRoles
  }),
  option({
    key: 'hubCacheTtlSeconds',
    flag: 'hub-cache-ttl',
    env: 'GALLERY_HUB_CACHE_TTL',
    defaultValue: '60s',
    help: 'in a JupyterHub: how long a hub token is believed before the hub is asked again (a revoked token works until then)',
    parse: parseDuration
  }),
  option({
    key: 'hubSyncIntervalSeconds',
    flag: 'hub-sync-interval',
    env: 'GALLERY_HUB_SYNC_INTERVAL',
    defaultValue: '10m',
    help: "in a JupyterHub: time between full syncs of the hub's groups into gallery groups; 0 turns it off",
    parse: (raw, source) => (/^0+\s*[smhd]?$/i.test(raw.trim()) ? 0 : parseDuration(raw, source))
  }),
  option({
    key: 'healthStaleDays',
    flag: 'health-stale-days',
    env: 'GALLERY_HEALTH_STALE_DAYS',
    defaultValue: '90',
    help: 'days without a complete successful run (reported by users who opted in) after which a notebook is stale',
    parse: (raw, source) => integerInRange(raw, source, 1, 36500)
  }),
  option({
    key: 'readWorkers',
    flag: 'read-workers',
    env: 'GALLERY_READ_WORKERS',
    defaultValue: String(Math.min(4, Math.max(2, os.availableParallelism()))),
    help: 'worker threads that run listings and searches, each with its own read-only database connection',
    parse: (raw, source) => integerInRange(raw, source, 1, 64)
  }),
  option({
    key: 'queryBudgetMs',
    flag: 'query-budget-ms',
    env: 'GALLERY_QUERY_BUDGET_MS',
    defaultValue: '10000',
    help: 'milliseconds a listing or search may take; a slower one is answered 503 with Retry-After',
    parse: (raw, source) => integerInRange(raw, source, 1, 600000)
  }),
  option({
    key: 'embeddingModel',
    flag: 'embedding-model',
    env: 'GALLERY_EMBEDDING_MODEL',
    defaultValue: '',
    help:
      'directory of the embedding model that lets search find notebooks by meaning (scripts/lib.sh installs it); ' +
      'empty: search ranks by words alone',
    parse: raw => (raw.trim() === '' ? null : path.resolve(raw.trim()))
  }),
  option({
    key: 'databaseUrl',
    flag: 'database-url',
    env: 'GALLERY_DATABASE_URL',
    defaultValue: '',
    help:
      'postgres://user:password@host:5432/database: keep metadata and search in PostgreSQL (several replicas may ' +
      'share it); empty: SQLite in the data directory',
    parse: (raw, source) => databaseUrl(raw, source)
  }),
  option({
    key: 'commentRateLimit',
    flag: 'comment-rate-limit',
    env: 'GALLERY_COMMENT_RATE_LIMIT',
    defaultValue: '30/1m',
    help: 'comments written or edited per user, as COUNT/DURATION; more are answered 429 with Retry-After',
    parse: parseRate
  }),
  option({
    key: 'webhookRateLimit',
    flag: 'webhook-rate-limit',
    env: 'GALLERY_WEBHOOK_RATE_LIMIT',
    defaultValue: '10/1h',
    help: "changes of a user's own webhook (PUT and DELETE /api/me/webhook) per user, as COUNT/DURATION",
    parse: parseRate
  }),
  option({
    key: 'importRateLimit',
    flag: 'import-rate-limit',
    env: 'GALLERY_IMPORT_RATE_LIMIT',
    defaultValue: '6000/1m',
    help: 'revisions an admin may import per window through the API (notebook-gallery import --server), as COUNT/DURATION',
    parse: parseRate
  }),
  option({
    key: 'webhookUrl',
    flag: 'webhook-url',
    env: 'GALLERY_WEBHOOK_URL',
    defaultValue: '',
    help: "http(s) URL that receives every user's inbox events as signed JSON POSTs; none by default",
    parse: (raw, source) => optionalUrl(raw, source, 'https://chat.example.org/hooks/gallery')
  }),
  option({
    key: 'webhookSecret',
    flag: 'webhook-secret',
    env: 'GALLERY_WEBHOOK_SECRET',
    defaultValue: '',
    help: 'key of the X-Gallery-Signature-256 HMAC of --webhook-url, at least 16 characters (prefer the variable)',
    parse: optional
  }),
  option({
    key: 'webhookTimeoutSeconds',
    flag: 'webhook-timeout',
    env: 'GALLERY_WEBHOOK_TIMEOUT',
    defaultValue: '10s',
    help: 'how long a webhook receiver may take to answer before the delivery counts as failed',
    parse: parseDuration
  }),
  option({
    key: 'webhookAttempts',
    flag: 'webhook-attempts',
    env: 'GALLERY_WEBHOOK_ATTEMPTS',
    defaultValue: '8',
    help: 'attempts per webhook delivery before it is given up',
    parse: (raw, source) => integerInRange(raw, source, 1, 20)
  }),
  option({
    key: 'webhookRetrySeconds',
    flag: 'webhook-retry-delay',
    env: 'GALLERY_WEBHOOK_RETRY_DELAY',
    defaultValue: '30s',
    help: 'wait before retrying a failed webhook delivery, doubled after each further failure',
    parse: parseDuration
  }),
  // Pages in the browser (routes/notebookPageRoutes.ts, routes/pageLoginRoutes.ts).
  option({
    key: 'labUrl',
    flag: 'lab-url',
    env: 'GALLERY_LAB_URL',
    defaultValue: '',
    help:
      'standalone: the JupyterLab that "Open in JupyterLab" on a notebook page opens, e.g. http://127.0.0.1:8888/lab ' +
      '(it adds ?gallery=ID&revision=REV); empty: the page explains how to open it from the Gallery sidebar',
    parse: (raw, source) => optionalUrl(raw, source)
  }),
  option({
    key: 'pageSessionTtlSeconds',
    flag: 'page-session-ttl',
    env: 'GALLERY_PAGE_SESSION_TTL',
    defaultValue: '12h',
    help: "standalone: how long a login on the gallery's web pages lasts, e.g. 12h or 7d",
    parse: parseDuration
  })
];

/**
 * A PostgreSQL connection URL, or null for none. The message of a wrong one never repeats the value: it usually holds
 * a password, and the error goes to logs.
 */
function databaseUrl(raw: string, source: string): string | null {
  const value = raw.trim();
  if (value === '') {
    return null;
  }
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigError(`${source}: not a URL; expected postgres://user:password@host:5432/database`);
  }
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') {
    throw new ConfigError(
      `${source}: only PostgreSQL is supported (a postgres:// URL); leave it empty to keep SQLite in the data directory`
    );
  }
  return value;
}

/**
 * Builds the config from CLI flags, then `GALLERY_*` environment variables, then defaults.
 * @throws {ConfigError} naming the flag or variable whose value cannot be used.
 */
export function loadConfig(flags: ConfigFlags = {}, env: NodeJS.ProcessEnv = process.env): IGalleryConfig {
  const config: Partial<Record<keyof IGalleryConfig, unknown>> = {};
  for (const opt of CONFIG_OPTIONS) {
    const fromFlag = flags[opt.flag];
    const fromEnv = env[opt.env];
    if (fromFlag !== undefined) {
      config[opt.key] = opt.parse(fromFlag, `--${opt.flag}`);
    } else if (fromEnv !== undefined && fromEnv !== '') {
      config[opt.key] = opt.parse(fromEnv, opt.env);
    } else {
      config[opt.key] = opt.parse(opt.defaultValue, `default of --${opt.flag}`);
    }
  }
  return checkCombination(withHub(config as IGalleryConfig, env));
}

/**
 * Hub mode: a JupyterHub managed service gets `JUPYTERHUB_SERVICE_URL`; the server then listens at that URL's host
 * and port (the hub chose them; `--host` and `--port` are ignored) and serves its routes under the prefix.
 */
function withHub(config: IGalleryConfig, env: NodeJS.ProcessEnv): IGalleryConfig {
  const rawUrl = env.JUPYTERHUB_SERVICE_URL?.trim();
  if (!rawUrl) {
    return { ...config, hub: null };
  }
  let serviceUrl: URL;
  try {
    serviceUrl = new URL(rawUrl);
  } catch {
    throw new ConfigError(`JUPYTERHUB_SERVICE_URL: "${rawUrl}" is not a URL like http://127.0.0.1:10101`);
  }
  if (serviceUrl.protocol !== 'http:') {
    throw new ConfigError(
      `JUPYTERHUB_SERVICE_URL: "${rawUrl}" must be an http URL (TLS is the proxy's job in front of the hub)`
    );
  }
  const required = (name: string, what: string): string => {
    const value = env[name]?.trim();
    if (!value) {
      throw new ConfigError(`JUPYTERHUB_SERVICE_URL is set (hub mode), but ${name} is missing: ${what}`);
    }
    return value;
  };
  const apiUrl = optionalUrl(
    required('JUPYTERHUB_API_URL', 'the gallery asks the hub who a token belongs to'),
    'JUPYTERHUB_API_URL'
  ) as string;
  const apiToken = required('JUPYTERHUB_API_TOKEN', 'the gallery reads the hub groups with it');
  const serviceName = required('JUPYTERHUB_SERVICE_NAME', 'the access scope names it');
  const prefix = (env.JUPYTERHUB_SERVICE_PREFIX?.trim() || `/services/${serviceName}/`).replace(/\/+$/, '');
  if (!prefix.startsWith('/') || /[?#\s]/.test(prefix)) {
    throw new ConfigError(`JUPYTERHUB_SERVICE_PREFIX must be a path like /services/gallery/, got "${prefix}"`);
  }
  const host = serviceUrl.hostname.replace(/^\[(.*)\]$/, '$1');
  const port = serviceUrl.port ? Number(serviceUrl.port) : 80;
  const baseUrl = `${(env.JUPYTERHUB_BASE_URL?.trim() || '/').replace(/\/+$/, '')}/`;
  const clientId = env.JUPYTERHUB_CLIENT_ID?.trim() || `service-${serviceName}`;
  const oauthCallbackUrl = env.JUPYTERHUB_OAUTH_CALLBACK_URL?.trim() || `${prefix}/oauth_callback`;
  if (!new URL(oauthCallbackUrl, 'http://hub').pathname.startsWith(`${prefix}/`)) {
    throw new ConfigError(
      `JUPYTERHUB_OAUTH_CALLBACK_URL must be under JUPYTERHUB_SERVICE_PREFIX (${prefix}/), got "${oauthCallbackUrl}"`
    );
  }
  return {
    ...config,
    host,
    port,
    hub: { serviceUrl: rawUrl, prefix, apiUrl, apiToken, serviceName, baseUrl, clientId, oauthCallbackUrl }
  };
}

/** Options that only work together. */
function checkCombination(config: IGalleryConfig): IGalleryConfig {
  if (config.registration === 'domains' && config.registrationDomains.length === 0) {
    throw new ConfigError('--registration domains needs --registration-domains (GALLERY_REGISTRATION_DOMAINS)');
  }
  if (config.oidcIssuer !== null && config.oidcClientId === null) {
    throw new ConfigError('--oidc-issuer needs --oidc-client-id (GALLERY_OIDC_CLIENT_ID)');
  }
  if (config.oidcIssuer === null && (config.oidcClientId !== null || config.oidcClientSecret !== null)) {
    throw new ConfigError('--oidc-client-id and --oidc-client-secret need --oidc-issuer (GALLERY_OIDC_ISSUER)');
  }
  if (config.headersTimeoutSeconds > config.requestTimeoutSeconds) {
    throw new ConfigError(
      `--headers-timeout (${config.headersTimeoutSeconds} s) must not be longer than --request-timeout ` +
        `(${config.requestTimeoutSeconds} s): the headers are part of the request`
    );
  }
  if (config.webhookUrl !== null && (config.webhookSecret === null || config.webhookSecret.length < 16)) {
    throw new ConfigError(
      '--webhook-url needs --webhook-secret (GALLERY_WEBHOOK_SECRET) of at least 16 characters: receivers check ' +
        'the signature with it'
    );
  }
  // Single sign-on URLs and the state cookie's Secure flag come from here: the Host header is the client's to forge.
  if ((config.oidcIssuer !== null || config.trustedHeader !== null) && config.publicUrl === null) {
    const sso = config.oidcIssuer !== null ? '--oidc-issuer' : '--trusted-header';
    throw new ConfigError(
      `${sso} needs --public-url (GALLERY_PUBLIC_URL), the address users open the gallery at, e.g. ` +
        'https://gallery.uni.example: single sign-on URLs must not come from the Host header a client sends'
    );
  }
  return config;
}

function option<K extends keyof IGalleryConfig>(opt: IConfigOption<K>): IConfigOption<K> {
  return opt;
}

function nonEmpty(raw: string, source: string): string {
  const value = raw.trim();
  if (!value) {
    throw new ConfigError(`${source} must not be empty`);
  }
  return value;
}

function integerInRange(raw: string, source: string, min: number, max: number): number {
  const value = raw.trim();
  if (!/^\d+$/.test(value) || Number(value) < min || Number(value) > max) {
    throw new ConfigError(`${source} must be a whole number from ${min} to ${max}, got "${raw}"`);
  }
  return Number(value);
}

function parseOrigins(raw: string, source: string): string[] {
  const origins = raw
    .split(',')
    .map(origin => origin.trim())
    .filter(origin => origin !== '');
  for (const origin of origins) {
    let url: URL;
    try {
      url = new URL(origin);
    } catch {
      throw new ConfigError(`${source}: "${origin}" is not an origin like http://localhost:8888`);
    }
    if (url.origin !== origin.replace(/\/$/, '')) {
      throw new ConfigError(`${source}: "${origin}" must be scheme://host[:port] with no path`);
    }
  }
  return origins.map(origin => origin.replace(/\/$/, ''));
}

const SIZE_UNITS: Record<string, number> = {
  '': 1,
  b: 1,
  kb: 1e3,
  kib: 1024,
  mb: 1e6,
  mib: 1024 ** 2,
  gb: 1e9,
  gib: 1024 ** 3
};

function parseSize(raw: string, source: string): number {
  const match = /^(\d+)\s*([a-z]*)$/i.exec(raw.trim());
  const unit = match ? SIZE_UNITS[match[2].toLowerCase()] : undefined;
  if (!match || unit === undefined || Number(match[1]) === 0) {
    throw new ConfigError(`${source} must be a positive size like 1048576, 512KiB or 50MiB, got "${raw}"`);
  }
  return Number(match[1]) * unit;
}

const DURATION_UNITS: Record<string, number> = { '': 1, s: 1, m: 60, h: 3600, d: 86400 };

function parseDuration(raw: string, source: string): number {
  const match = /^(\d+)\s*([smhd]?)$/i.exec(raw.trim());
  if (!match || Number(match[1]) === 0) {
    throw new ConfigError(`${source} must be a positive duration like 3600, 12h or 7d, got "${raw}"`);
  }
  return Number(match[1]) * DURATION_UNITS[match[2].toLowerCase()];
}

function parseRate(raw: string, source: string): IRate {
  const match = /^(\d+)\s*\/\s*(\S+)$/.exec(raw.trim());
  if (!match || Number(match[1]) === 0) {
    throw new ConfigError(`${source} must be COUNT/DURATION like 10/1m, got "${raw}"`);
  }
  return { max: Number(match[1]), windowSeconds: parseDuration(match[2], source) };
}

function oneOf<T extends string>(raw: string, source: string, values: readonly T[]): T {
  const value = raw.trim().toLowerCase();
  if (!(values as readonly string[]).includes(value)) {
    throw new ConfigError(`${source} must be one of ${values.join(', ')}, got "${raw}"`);
  }
  return value as T;
}

function parseBoolean(raw: string, source: string): boolean {
  const value = raw.trim().toLowerCase();
  if (['true', '1', 'yes', 'on'].includes(value)) {
    return true;
  }
  if (['false', '0', 'no', 'off'].includes(value)) {
    return false;
  }
  throw new ConfigError(`${source} must be true or false, got "${raw}"`);
}

function optional(raw: string): string | null {
  return raw.trim() || null;
}

function optionalUrl(raw: string, source: string, example = 'https://login.example.org/realms/lab'): string | null {
  const value = raw.trim();
  if (!value) {
    return null;
  }
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigError(`${source}: "${raw}" is not a URL like ${example}`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new ConfigError(`${source}: "${raw}" must be an http or https URL`);
  }
  return value.replace(/\/+$/, '');
}

function parseDomains(raw: string, source: string): string[] {
  const domains = raw
    .split(',')
    .map(domain => domain.trim().toLowerCase().replace(/^@/, ''))
    .filter(domain => domain !== '');
  for (const domain of domains) {
    if (!/^[a-z0-9-]+(\.[a-z0-9-]+)+$/.test(domain)) {
      throw new ConfigError(`${source}: "${domain}" is not an email domain like uni.example`);
    }
  }
  return domains;
}

function parseHeaderName(raw: string, source: string): string | null {
  const value = raw.trim().toLowerCase();
  if (!value) {
    return null;
  }
  if (!/^[a-z0-9-]+$/.test(value) || value === 'authorization' || value === 'cookie') {
    throw new ConfigError(`${source} must be a header name like X-Remote-User, got "${raw}"`);
  }
  return value;
}

function parseAddresses(raw: string, source: string): string[] {
  const addresses = raw
    .split(',')
    .map(address => address.trim())
    .filter(address => address !== '');
  for (const address of addresses) {
    if (net.isIP(address) === 0) {
      throw new ConfigError(`${source}: "${address}" is not an IP address`);
    }
  }
  return addresses;
}

function parseHubGroupRoles(raw: string, source: string): IHubRoleMapping[] {
  return raw
    .split(',')
    .map(entry => entry.trim())
    .filter(entry => entry !== '')
    .map(entry => {
      const match = /^([^=\s]+)\s*=\s*(member|editor|owner)\s*:\s*([A-Za-z0-9][A-Za-z0-9._-]{0,63})$/.exec(entry);
      if (!match) {
        throw new ConfigError(
          `${source}: "${entry}" must be HUBGROUP=ROLE:GALLERYGROUP with ROLE member, editor or owner, ` +
            'e.g. instructors=editor:course-101'
        );
      }
      return { hubGroup: match[1], role: match[2] as GroupRole, group: match[3] };
    });
}

function parseLogLevel(raw: string, source: string): LogLevel {
  const value = raw.trim().toLowerCase();
  if (!(LOG_LEVELS as readonly string[]).includes(value)) {
    throw new ConfigError(`${source} must be one of ${LOG_LEVELS.join(', ')}, got "${raw}"`);
  }
  return value as LogLevel;
}

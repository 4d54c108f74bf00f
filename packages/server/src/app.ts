import fastifyCookie from '@fastify/cookie';
import fastifyCors from '@fastify/cors';
import fastifyHelmet from '@fastify/helmet';
import fastifyRateLimit from '@fastify/rate-limit';
import Fastify, { LogController, type FastifyInstance } from 'fastify';
import type { IGalleryConfig } from './config';
import type { SaveHook } from './storage/saveHooks';
import { authPlugin } from './plugins/authPlugin';
import { databasePlugin } from './plugins/databasePlugin';
import { errorHandlerPlugin } from './plugins/errorHandlerPlugin';
import { hubPlugin } from './plugins/hubPlugin';
import { oidcPlugin } from './plugins/oidcPlugin';
import { rateLimitStoreOf } from './plugins/rateLimitStore';
import { openApiPlugin } from './plugins/openApiPlugin';
import { acceptConstraint } from './pages/acceptNegotiation';
import { pagesPlugin } from './plugins/pagesPlugin';
import { requestLogPlugin } from './plugins/requestLogPlugin';
import { clientErrorReply } from './plugins/clientErrorReply';
import { writeLimitsPlugin } from './plugins/writeLimitsPlugin';
import { adminRoutes } from './routes/adminRoutes';
import { importRoutes } from './routes/importRoutes';
import { authRoutes } from './routes/authRoutes';
import { changeRequestRoutes } from './routes/changeRequestRoutes';
import { commentRoutes } from './routes/commentRoutes';
import { galleryPageRoutes } from './routes/galleryPageRoutes';
import { groupRoutes } from './routes/groupRoutes';
import { healthReportRoutes } from './routes/healthReportRoutes';
import { healthRoutes } from './routes/healthRoutes';
import { historyPageRoutes } from './routes/historyPageRoutes';
import { hubOAuthRoutes } from './routes/hubOAuthRoutes';
import { inboxPageRoutes } from './routes/inboxPageRoutes';
import { inboxRoutes } from './routes/inboxRoutes';
import { notebookPageRoutes } from './routes/notebookPageRoutes';
import { notebookRoutes } from './routes/notebookRoutes';
import { pageLoginRoutes } from './routes/pageLoginRoutes';
import { principalRoutes } from './routes/principalRoutes';
import { revisionRoutes } from './routes/revisionRoutes';
import { signalRoutes } from './routes/signalRoutes';
import { similarRoutes } from './routes/similarRoutes';
import { ssoRoutes } from './routes/ssoRoutes';
import { tokenRoutes } from './routes/tokenRoutes';
import { userRoutes } from './routes/userRoutes';

/** Methods the extension uses; listed for CORS preflight. */
const API_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];

/** What the app is built with besides its config. */
export interface IAppOptions {
  /** Runs at each step of a save (see storage/saveHooks.ts); only tests pass one. */
  saveHook?: SaveHook;
  /** The clock of the hub identity cache, of stars and activity and of notebook health, in milliseconds; only tests pass one. */
  now?: () => number;
  /** Where the log's JSON lines go instead of stdout; only tests pass one. */
  logStream?: { write(line: string): unknown };
}

/**
 * Builds the gallery app (not listening): builds the services through the composition root, repairs storage after
 * any crash, discovers the OpenID Connect issuer when configured and registers every route.
 * @throws {Error} when the data directory or database cannot be opened.
 * @throws {ConfigError} when the OpenID Connect issuer cannot be used.
 */
export async function buildApp(config: IGalleryConfig, options: IAppOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({
    logger: { level: config.logLevel, ...(options.logStream ? { stream: options.logStream } : {}) },
    // requestLogPlugin writes one line per request, at a level that depends on how the request went.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: config.bodyLimit,
    // No caller may hold a connection for ever: Fastify's defaults are 0 (no limit) for all three, so a body sent a
    // byte a second was never cut. See docs/admin-guide.md, "Limits and timeouts".
    requestTimeout: config.requestTimeoutSeconds * 1000,
    connectionTimeout: config.connectionTimeoutSeconds * 1000,
    http: {
      headersTimeout: config.headersTimeoutSeconds * 1000,
      // How often Node looks for requests past their timeout; its default, 30 s, would cut a slow body that late.
      connectionsCheckingInterval: Math.min(1000, config.requestTimeoutSeconds * 1000)
    },
    clientErrorHandler: clientErrorReply(config.requestTimeoutSeconds),
    // Behind a reverse proxy every client has the proxy's address; the limits per address need the client's.
    ...(config.forwardedForProxies.length > 0 ? { trustProxy: config.forwardedForProxies } : {}),
    // In a JupyterHub the proxy keeps the service prefix on every path; routes are matched without it.
    ...(config.hub ? { rewriteUrl: stripPrefix(config.hub.prefix) } : {}),
    ajv: {
      // Notebooks may carry any key; validation must never remove what a client sent.
      customOptions: { removeAdditional: false, coerceTypes: 'array', useDefaults: true, allErrors: false }
    }
  });
  // `/` answers a browser with the gallery page and the JupyterHub's poll with JSON: two routes told apart by Accept.
  app.addConstraintStrategy(acceptConstraint);
  await app.register(errorHandlerPlugin, { dataDir: config.dataDir });
  await app.register(requestLogPlugin, { slowRequestMs: config.slowRequestMs });
  // Security headers on every reply; the API answers JSON, so the strictest content policy fits it.
  await app.register(fastifyHelmet, {
    contentSecurityPolicy: { directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] } }
  });
  await app.register(databasePlugin, { config, saveHook: options.saveHook, now: options.now });
  await app.register(hubPlugin, { now: options.now });
  await app.register(authPlugin);
  await app.register(oidcPlugin);
  // Cookies: the short-lived, signed login state (OIDC, hub OAuth) and the login cookie of pages opened in the browser
  // (the hub's token in a JupyterHub, a session token standalone), which needs an XSRF token for changes (auth/xsrf.ts).
  await app.register(fastifyCookie, { secret: app.signingSecret });
  // Counted in the gallery's rate windows, so replicas on one PostgreSQL share the write limits (rateLimitStore.ts).
  await app.register(fastifyRateLimit, { global: false, store: rateLimitStoreOf(app.gallery.rateWindows) });
  await app.register(writeLimitsPlugin);
  await app.register(fastifyCors, {
    origin: config.corsOrigins,
    methods: API_METHODS,
    allowedHeaders: ['Authorization', 'Content-Type'],
    maxAge: 600
  });
  await app.register(openApiPlugin);
  // Pages for the browser: their assets, their shell and their HTML errors; page routes come after it.
  await app.register(pagesPlugin);
  await app.register(healthRoutes);
  await app.register(authRoutes);
  await app.register(ssoRoutes);
  await app.register(hubOAuthRoutes);
  await app.register(tokenRoutes);
  await app.register(groupRoutes);
  await app.register(userRoutes);
  await app.register(principalRoutes);
  await app.register(adminRoutes);
  await app.register(importRoutes);
  await app.register(notebookRoutes);
  await app.register(revisionRoutes);
  await app.register(changeRequestRoutes);
  await app.register(healthReportRoutes);
  await app.register(signalRoutes);
  await app.register(similarRoutes);
  await app.register(commentRoutes);
  await app.register(inboxRoutes);
  await app.register(pageLoginRoutes);
  await app.register(notebookPageRoutes);
  await app.register(galleryPageRoutes);
  await app.register(historyPageRoutes);
  await app.register(inboxPageRoutes);
  return app;
}

/** `/services/gallery/api/x?y` -> `/api/x?y`, and the prefix itself (with or without its slash) -> `/`. */
function stripPrefix(prefix: string): (request: { url?: string }) => string {
  return ({ url = '/' }) => {
    if (url === prefix || url.startsWith(`${prefix}/`) || url.startsWith(`${prefix}?`)) {
      const rest = url.slice(prefix.length);
      return rest.startsWith('/') ? rest : `/${rest}`;
    }
    return url;
  };
}

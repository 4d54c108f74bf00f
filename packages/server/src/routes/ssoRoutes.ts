import {
  ErrorCode,
  errorResponses,
  SsoOriginSchema,
  SsoTokenMessageSchema,
  type ISsoTokenMessage,
  type IUser
} from '@notebook-gallery/core';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { IOidcPending } from '../auth/oidcLogin';
import {
  ssoExchangePage,
  ssoTokenPage,
  SSO_REQUEST_HEADER,
  SSO_REQUEST_HEADER_VALUE,
  type ISsoPage
} from '../auth/ssoPage';
import type { IGalleryConfig } from '../config';
import { ConfigError } from '../errors/ConfigError';
import { ForbiddenError } from '../errors/ForbiddenError';
import { GalleryError } from '../errors/GalleryError';
import { InvalidRequestError } from '../errors/InvalidRequestError';
import { UnauthorizedError } from '../errors/UnauthorizedError';
import { startPageSession } from '../pages/pageSession';
import type { CoreTypeProvider } from '../schemas/routeSchemas';

/** Path of the OIDC redirect URI; the state cookie is limited to it. */
export const OIDC_CALLBACK_PATH = '/api/auth/oidc/callback';
const SSO_START_PATH = '/api/auth/sso/start';
const SSO_SESSION_PATH = '/api/auth/sso/session';
/** The session route relative to the start page, so it also works behind a proxy that serves the gallery under a path. */
const SSO_SESSION_RELATIVE_URL = 'session';
const STATE_COOKIE = 'gallery_oidc';
/** How long the user has to finish logging in at the provider. */
const STATE_TTL_SECONDS = 600;

/**
 * The gallery's external base URL, from --public-url only: never from the Host header, which the client writes.
 * @throws {ConfigError} when --public-url is unset (loadConfig requires it whenever single sign-on is on).
 */
export function publicBaseUrl(config: IGalleryConfig): string {
  if (config.publicUrl === null) {
    throw new ConfigError('single sign-on needs --public-url (GALLERY_PUBLIC_URL)');
  }
  return config.publicUrl;
}

/** Absolute URL of the single sign-on popup, without `?origin=`. */
export function ssoStartUrl(config: IGalleryConfig): string {
  return `${publicBaseUrl(config)}${SSO_START_PATH}`;
}

const htmlPage = (description: string) => ({ description, content: { 'text/html': { schema: { type: 'string' } } } });

/**
 * Single sign-on in a popup. `sso/start` (a GET, which must never mint anything) either answers a page whose
 * same-origin script POSTs to `sso/session` for the token (trusted proxy header), or redirects to the OpenID
 * Connect provider, whose state-checked answer comes back to the callback. Both end by handing a new session token
 * to the JupyterLab window, and only to the allowed origin that opened the popup.
 */
export const ssoRoutes: FastifyPluginAsync = async instance => {
  const fastify = instance.withTypeProvider<CoreTypeProvider>();
  const { config } = fastify;
  const tags = ['auth'];

  fastify.get(
    SSO_START_PATH,
    {
      schema: {
        summary: 'Open in a popup (with ?origin=) to log in by single sign-on; ends by posting a token to the opener',
        tags,
        querystring: SsoOriginSchema,
        response: {
          200: htmlPage('A page that gets a session token by POST /api/auth/sso/session and posts it to the opener'),
          302: { description: 'To the OpenID Connect provider' },
          ...errorResponses(400, 401, 404)
        }
      }
    },
    async (request, reply) => {
      const origin = allowedOrigin(config, request.query.origin);
      const proxied = fastify.trustedHeader ? await fastify.trustedHeader.authenticate(request) : null;
      if (proxied) {
        return sendPage(reply, ssoExchangePage(proxied.user.username, origin, SSO_SESSION_RELATIVE_URL));
      }
      if (fastify.oidc) {
        const { pending, url } = fastify.oidc.start(origin);
        return startOidc(config, reply, pending, url);
      }
      if (fastify.trustedHeader) {
        throw new UnauthorizedError('The login proxy did not name a user; open this page through the proxy');
      }
      throw new GalleryError(ErrorCode.NOT_FOUND, 404, 'Single sign-on is not configured on this gallery');
    }
  );

  fastify.post(
    SSO_SESSION_PATH,
    {
      onRequest: async request => {
        if (!fastify.trustedHeader) {
          throw new GalleryError(ErrorCode.NOT_FOUND, 404, 'Trusted-header login is not configured on this gallery');
        }
        checkSameOrigin(config, request);
      },
      schema: {
        summary: `Mint a session token for the user the login proxy names; only the page of ${SSO_START_PATH} calls this`,
        tags,
        body: SsoOriginSchema,
        response: { 200: SsoTokenMessageSchema, ...errorResponses(400, 401, 403, 404, 415) }
      }
    },
    async (request, reply) => {
      const origin = allowedOrigin(config, request.body.origin);
      const proxied = await fastify.trustedHeader?.authenticate(request);
      if (!proxied) {
        throw new UnauthorizedError('The login proxy did not name a user; open the login page through the proxy');
      }
      return reply.header('cache-control', 'no-store').send(await mintSession(proxied.user, origin));
    }
  );

  fastify.get(
    OIDC_CALLBACK_PATH,
    {
      schema: {
        summary: 'Where the OpenID Connect provider sends the browser back; answers the token page',
        tags,
        response: {
          200: htmlPage(
            'A page that posts { type: "notebook-gallery:token", token, tokenId, expiresAt, user } to the opener'
          ),
          ...errorResponses(400, 401, 404)
        }
      }
    },
    async (request, reply) => {
      if (!fastify.oidc) {
        throw new GalleryError(ErrorCode.NOT_FOUND, 404, 'OpenID Connect login is not configured on this gallery');
      }
      const pending = readPending(request);
      reply.clearCookie(STATE_COOKIE, { path: OIDC_CALLBACK_PATH });
      const identity = await fastify.oidc.finish(request.raw, pending);
      const user = await fastify.accounts.externalUser(identity.username, identity.email);
      if (pending.next !== undefined) {
        // A login of the web pages: their session cookie, and back to the page.
        await startPageSession(fastify, request, reply, user);
        return reply.header('cache-control', 'no-store').redirect(pending.next, 303);
      }
      return sendPage(reply, ssoTokenPage(await mintSession(user, pending.origin), pending.origin));
    }
  );

  async function mintSession(user: IUser, origin: string): Promise<ISsoTokenMessage> {
    const { accounts } = fastify;
    const created = await accounts.createToken(
      user.username,
      `JupyterLab (${origin})`,
      'session',
      accounts.tokenExpiry()
    );
    return {
      type: 'notebook-gallery:token',
      token: created.token,
      tokenId: created.id,
      expiresAt: created.expiresAt,
      user
    };
  }
};

/**
 * Keeps `pending` in the signed, HttpOnly state cookie of the callback path and sends the browser to the provider's
 * `url`: the start of an OpenID Connect login, from the JupyterLab popup or from the login page of the web pages.
 */
export function startOidc(
  config: IGalleryConfig,
  reply: FastifyReply,
  pending: IOidcPending,
  url: string
): FastifyReply {
  reply.setCookie(STATE_COOKIE, Buffer.from(JSON.stringify(pending)).toString('base64url'), {
    path: OIDC_CALLBACK_PATH,
    httpOnly: true,
    sameSite: 'lax',
    secure: publicBaseUrl(config).startsWith('https:'),
    signed: true,
    maxAge: STATE_TTL_SECONDS
  });
  return reply.redirect(url, 302);
}

function sendPage(reply: FastifyReply, page: ISsoPage): FastifyReply {
  return (
    reply
      .header('content-security-policy', page.contentSecurityPolicy)
      .header('cache-control', 'no-store')
      // The page must keep its link to window.opener, which a same-origin opener policy would cut.
      .header('cross-origin-opener-policy', 'unsafe-none')
      .type('text/html; charset=utf-8')
      .send(page.html)
  );
}

/**
 * The JupyterLab origin, when the admin allows it.
 * @throws {InvalidRequestError} otherwise.
 */
function allowedOrigin(config: IGalleryConfig, raw: string): string {
  const origin = raw.replace(/\/$/, '');
  if (!config.corsOrigins.includes(origin)) {
    throw new InvalidRequestError(
      `origin "${origin}" is not an allowed JupyterLab origin; the admin lists them in --cors-origins`
    );
  }
  return origin;
}

/**
 * Refuses what the login page's own script would not send: a request without its header (which a cross-site form
 * cannot set, and cross-site scripts cannot send without a CORS preflight this gallery refuses), or one that a
 * browser marks as coming from another site.
 * @throws {ForbiddenError}
 */
function checkSameOrigin(config: IGalleryConfig, request: FastifyRequest): void {
  const publicOrigin = new URL(publicBaseUrl(config)).origin;
  const origin = request.headers.origin;
  const site = request.headers['sec-fetch-site'];
  if (
    request.headers[SSO_REQUEST_HEADER] !== SSO_REQUEST_HEADER_VALUE ||
    (origin !== undefined && origin !== publicOrigin) ||
    (site !== undefined && site !== 'same-origin')
  ) {
    throw new ForbiddenError(
      `Only the gallery's own login page (${publicOrigin}${SSO_START_PATH}) may ask for a single sign-on token`
    );
  }
}

function readPending(request: FastifyRequest): IOidcPending {
  const raw = request.cookies[STATE_COOKIE];
  const unsigned = raw ? request.unsignCookie(raw) : null;
  try {
    if (unsigned?.valid && unsigned.value) {
      const pending = JSON.parse(Buffer.from(unsigned.value, 'base64url').toString('utf8')) as IOidcPending;
      const valid =
        pending.next !== undefined
          ? request.server.pages.links.next(pending.next) === pending.next
          : request.server.config.corsOrigins.includes(pending.origin);
      if (valid) {
        return pending;
      }
    }
  } catch {
    // Falls through to the error below.
  }
  throw new InvalidRequestError(
    'This login is unknown or took longer than 10 minutes (or the browser blocked its cookie); start again from JupyterLab'
  );
}

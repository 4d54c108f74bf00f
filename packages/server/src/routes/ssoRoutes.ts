import type { IUser } from '@notebook-gallery/core';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { IOidcPending } from '../auth/oidcLogin';
import { ssoTokenPage } from '../auth/ssoPage';
import { sanitizeUsername } from '../auth/userStore';
import { GalleryError } from '../errors/GalleryError';
import { InvalidRequestError } from '../errors/InvalidRequestError';
import { UnauthorizedError } from '../errors/UnauthorizedError';
import { ErrorCode } from '@notebook-gallery/core';
import { errorResponses } from '../schemas/apiSchemas';

/** Path of the OIDC redirect URI; the state cookie is limited to it. */
export const OIDC_CALLBACK_PATH = '/api/auth/oidc/callback';
const SSO_START_PATH = '/api/auth/sso/start';
const STATE_COOKIE = 'gallery_oidc';
/** How long the user has to finish logging in at the provider. */
const STATE_TTL_SECONDS = 600;

/** The gallery's external base URL: --public-url, or what the request was addressed to. */
export function publicBaseUrl(request: FastifyRequest): string {
  return request.server.config.publicUrl ?? `${request.protocol}://${request.host}`;
}

/** Absolute URL of the single sign-on popup, without `?origin=`. */
export function ssoStartUrl(request: FastifyRequest): string {
  return `${publicBaseUrl(request)}${SSO_START_PATH}`;
}

const originQuerySchema = {
  type: 'object',
  required: ['origin'],
  properties: { origin: { type: 'string', maxLength: 300, description: 'The JupyterLab origin that opened the popup' } }
} as const;

const htmlPage = {
  description:
    'A page that posts { type: "notebook-gallery:token", token, tokenId, expiresAt, user } to the opener, then closes',
  content: { 'text/html': { schema: { type: 'string' } } }
};

/**
 * Single sign-on in a popup: `sso/start` either answers the token page at once (trusted proxy header) or
 * redirects to the OpenID Connect provider, whose answer comes back to the callback. Both end by handing a new
 * personal API token to the JupyterLab window, and only to the allowed origin that opened the popup.
 */
export const ssoRoutes: FastifyPluginAsync = async fastify => {
  const { config } = fastify;
  const tags = ['auth'];

  fastify.get<{ Querystring: { origin: string } }>(
    SSO_START_PATH,
    {
      schema: {
        summary: 'Open in a popup (with ?origin=) to log in by single sign-on; ends by posting a token to the opener',
        tags,
        querystring: originQuerySchema,
        response: {
          200: htmlPage,
          302: { description: 'To the OpenID Connect provider' },
          ...errorResponses(400, 401, 404)
        }
      }
    },
    async (request, reply) => {
      const origin = request.query.origin.replace(/\/$/, '');
      if (!config.corsOrigins.includes(origin)) {
        throw new InvalidRequestError(
          `origin "${origin}" is not an allowed JupyterLab origin; the admin lists them in --cors-origins`
        );
      }
      const proxied = fastify.trustedHeader ? await fastify.trustedHeader.authenticate(request) : null;
      if (proxied) {
        return sendTokenPage(reply, proxied, origin);
      }
      if (fastify.oidc) {
        const { pending, url } = fastify.oidc.start(origin);
        reply.setCookie(STATE_COOKIE, Buffer.from(JSON.stringify(pending)).toString('base64url'), {
          path: OIDC_CALLBACK_PATH,
          httpOnly: true,
          sameSite: 'lax',
          secure: publicBaseUrl(request).startsWith('https:'),
          signed: true,
          maxAge: STATE_TTL_SECONDS
        });
        return reply.redirect(url, 302);
      }
      if (fastify.trustedHeader) {
        throw new UnauthorizedError('The login proxy did not name a user; open this page through the proxy');
      }
      throw new GalleryError(ErrorCode.NOT_FOUND, 404, 'Single sign-on is not configured on this gallery');
    }
  );

  fastify.get(
    OIDC_CALLBACK_PATH,
    {
      schema: {
        summary: 'Where the OpenID Connect provider sends the browser back; answers the token page',
        tags,
        response: { 200: htmlPage, ...errorResponses(400, 401, 404) }
      }
    },
    async (request, reply) => {
      if (!fastify.oidc) {
        throw new GalleryError(ErrorCode.NOT_FOUND, 404, 'OpenID Connect login is not configured on this gallery');
      }
      const pending = readPending(request);
      reply.clearCookie(STATE_COOKIE, { path: OIDC_CALLBACK_PATH });
      const identity = await fastify.oidc.finish(request.raw, pending);
      const username = sanitizeUsername(identity.username);
      if (username === null) {
        throw new UnauthorizedError(`"${identity.username}" cannot be a gallery username`);
      }
      const user = fastify.users.findOrCreateExternal(username, identity.email);
      if (!user) {
        throw new UnauthorizedError(`The account "${username}" is disabled`);
      }
      return sendTokenPage(reply, user, pending.origin);
    }
  );

  function sendTokenPage(reply: FastifyReply, user: IUser, origin: string): FastifyReply {
    const expiresAt = new Date(Date.now() + config.apiTokenTtlSeconds * 1000);
    const created = fastify.apiTokens.create(user.username, `JupyterLab (${origin})`, expiresAt);
    const page = ssoTokenPage(
      { type: 'notebook-gallery:token', token: created.token, tokenId: created.id, expiresAt: created.expiresAt, user },
      origin
    );
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
};

function readPending(request: FastifyRequest): IOidcPending {
  const raw = request.cookies[STATE_COOKIE];
  const unsigned = raw ? request.unsignCookie(raw) : null;
  try {
    if (unsigned?.valid && unsigned.value) {
      const pending = JSON.parse(Buffer.from(unsigned.value, 'base64url').toString('utf8')) as IOidcPending;
      if (request.server.config.corsOrigins.includes(pending.origin)) {
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

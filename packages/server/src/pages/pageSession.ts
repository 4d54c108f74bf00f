import type { IUser } from '@notebook-gallery/core';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { HUB_TOKEN_COOKIE } from '../auth/hubCookieAuthenticator';
import { SESSION_COOKIE } from '../auth/sessionCookieAuthenticator';
import { XSRF_COOKIE } from '../auth/xsrf';

/**
 * Starts a login of pages in the browser (standalone): a login token signed like those of POST /api/auth/login, in
 * its own session (so a password change or "sign out everywhere" ends it), in an HttpOnly, SameSite=Lax cookie for
 * the gallery's path, beside the readable XSRF cookie whose value forms and scripts send back with changes.
 */
export async function startPageSession(
  fastify: FastifyInstance,
  request: FastifyRequest,
  reply: FastifyReply,
  user: IUser
): Promise<void> {
  const { config, accounts, pages } = fastify;
  const ttl = config.pageSessionTtlSeconds;
  const token = fastify.jwt.sign(
    { sub: user.username, ...(await accounts.sessionClaims(user.username)) },
    { expiresIn: ttl }
  );
  const options = {
    path: pages.links.href('/'),
    sameSite: 'lax' as const,
    secure: isHttps(fastify, request),
    maxAge: ttl
  };
  reply.setCookie(SESSION_COOKIE, token, { ...options, httpOnly: true });
  reply.setCookie(XSRF_COOKIE, fastify.xsrf.token(token), { ...options, httpOnly: false });
}

/** Ends the login of pages in this browser: forgets its login cookies (the session's, or in a hub the hub token's). */
export function endPageSession(fastify: FastifyInstance, reply: FastifyReply): void {
  const path = fastify.pages.links.href('/');
  for (const name of [SESSION_COOKIE, HUB_TOKEN_COOKIE, XSRF_COOKIE]) {
    reply.clearCookie(name, { path });
  }
}

/** Whether the browser sees the gallery over HTTPS: from --public-url when set, else from the proxy's header. */
function isHttps(fastify: FastifyInstance, request: FastifyRequest): boolean {
  const publicUrl = fastify.config.publicUrl;
  return publicUrl !== null ? publicUrl.startsWith('https:') : request.headers['x-forwarded-proto'] === 'https';
}

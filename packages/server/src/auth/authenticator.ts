import type { IUser } from '@notebook-gallery/core';
import type { FastifyRequest } from 'fastify';
import type { ICredential } from './credential';

/** Who a request comes from, and the credential that proved it. */
export interface IAuthenticated {
  user: IUser;
  credential: ICredential;
}

/**
 * One way of proving who a request comes from (JWT, API token, hub token, trusted proxy header). The auth plugin
 * asks each in turn. Credentials travel in headers a cross-site page cannot make a browser attach, which keeps the
 * API safe from CSRF by construction; the exceptions, the login cookies of pages opened in the browser (the hub's
 * token, hubCookieAuthenticator.ts, and the session of the login page, sessionCookieAuthenticator.ts), demand the XSRF
 * token (xsrf.ts) on every state-changing request.
 */
export interface IAuthenticator {
  /**
   * The request's user; null when the request does not use this method.
   * @throws {UnauthorizedError} when it uses this method but the credentials do not work.
   */
  authenticate(request: FastifyRequest): Promise<IAuthenticated | null>;
}

/** The token of an `Authorization: Bearer <token>` header, or null. */
export function bearerToken(request: FastifyRequest): string | null {
  const header = request.headers.authorization;
  const match = header ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
  return match ? match[1] : null;
}

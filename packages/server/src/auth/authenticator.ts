import type { IUser } from '@notebook-gallery/core';
import type { FastifyRequest } from 'fastify';

/**
 * One way of proving who a request comes from (bearer token today; JupyterHub, API tokens, OIDC or a trusted
 * header later). The auth plugin asks each in turn.
 */
export interface IAuthenticator {
  /**
   * The request's user; null when the request does not use this method.
   * @throws {UnauthorizedError} when it uses this method but the credentials do not work.
   */
  authenticate(request: FastifyRequest): Promise<IUser | null>;
}

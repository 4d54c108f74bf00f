import type { FastifyRequest } from 'fastify';
import { UnauthorizedError } from '../errors/UnauthorizedError';
import type { IAuthenticated, IAuthenticator } from './authenticator';
import type { ICredentialChecker } from './credential';
import type { ILoginClaims, TokenVerifier } from './jwtAuthenticator';
import type { XsrfGuard } from './xsrf';

/** The HttpOnly cookie of a browser that logged in on the login page (standalone): a signed login token. */
export const SESSION_COOKIE = 'gallery_session';

/**
 * Pages opened in the browser of a standalone gallery, logged in with the password form (routes/pageLoginRoutes.ts):
 * the cookie holds a login token signed like those of POST /api/auth/login, with its own session id, so a password
 * change or "sign out everywhere" ends it too. A browser attaches the cookie to requests other sites make, so
 * state-changing requests must carry the XSRF token as well.
 */
export class SessionCookieAuthenticator implements IAuthenticator {
  constructor(
    private readonly _verify: TokenVerifier,
    private readonly _accounts: ICredentialChecker,
    private readonly _xsrf: XsrfGuard
  ) {}

  async authenticate(request: FastifyRequest): Promise<IAuthenticated | null> {
    const token = request.cookies?.[SESSION_COOKIE];
    if (!token) {
      return null;
    }
    this._xsrf.check(request, token);
    let claims: ILoginClaims;
    try {
      claims = this._verify(token);
    } catch {
      throw new UnauthorizedError('Your login has expired; log in again');
    }
    const user = await this._accounts.userOfSession(claims.sub, claims);
    return { user, credential: { kind: 'jwt', sessionId: claims.sid ?? null } };
  }
}

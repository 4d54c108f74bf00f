import type { FastifyRequest } from 'fastify';
import type { IAuthenticated, IAuthenticator } from './authenticator';
import type { HubAuthenticator } from './hubAuthenticator';
import type { XsrfGuard } from './xsrf';

/** The HttpOnly cookie that holds the hub token of a browser that logged in through the hub's OAuth flow. */
export const HUB_TOKEN_COOKIE = 'gallery_hub_token';

/**
 * A page opened directly in the browser, logged in through the hub (routes/hubOAuthRoutes.ts): its hub token comes
 * in the {@link HUB_TOKEN_COOKIE}, which a browser attaches to requests other sites make, so a state-changing request
 * must also carry the XSRF token of that hub token (auth/xsrf.ts).
 */
export class HubCookieAuthenticator implements IAuthenticator {
  constructor(
    private readonly _hub: HubAuthenticator,
    private readonly _xsrf: XsrfGuard
  ) {}

  async authenticate(request: FastifyRequest): Promise<IAuthenticated | null> {
    const token = request.cookies?.[HUB_TOKEN_COOKIE];
    if (!token) {
      return null;
    }
    this._xsrf.check(request, token);
    return this._hub.identify(token);
  }
}

import type { FastifyRequest } from 'fastify';
import * as crypto from 'node:crypto';
import { ForbiddenError } from '../errors/ForbiddenError';
import type { IAuthenticated, IAuthenticator } from './authenticator';
import type { HubAuthenticator } from './hubAuthenticator';

/** The HttpOnly cookie that holds the hub token of a browser that logged in through the hub's OAuth flow. */
export const HUB_TOKEN_COOKIE = 'gallery_hub_token';
/** The readable cookie whose value a page sends back as {@link XSRF_HEADER} on every state-changing request. */
export const XSRF_COOKIE = 'gallery_xsrf';
export const XSRF_HEADER = 'x-xsrf-token';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * A page opened directly in the browser, logged in through the hub (routes/hubOAuthRoutes.ts): its hub token comes
 * in the {@link HUB_TOKEN_COOKIE}, which a browser attaches to requests other sites make, so a state-changing request
 * must also carry the XSRF token in a header, which another site cannot set. The XSRF token is an HMAC of the hub
 * token, so it cannot be planted without the token itself.
 */
export class HubCookieAuthenticator implements IAuthenticator {
  constructor(
    private readonly _hub: HubAuthenticator,
    private readonly _secret: string
  ) {}

  /** The XSRF token that goes with `hubToken`. */
  xsrfToken(hubToken: string): string {
    return crypto.createHmac('sha256', this._secret).update(`xsrf:${hubToken}`).digest('base64url');
  }

  async authenticate(request: FastifyRequest): Promise<IAuthenticated | null> {
    const token = request.cookies?.[HUB_TOKEN_COOKIE];
    if (!token) {
      return null;
    }
    if (!SAFE_METHODS.has(request.method)) {
      const sent = request.headers[XSRF_HEADER];
      const expected = Buffer.from(this.xsrfToken(token));
      if (
        typeof sent !== 'string' ||
        sent.length !== expected.length ||
        !crypto.timingSafeEqual(Buffer.from(sent), expected)
      ) {
        throw new ForbiddenError(
          `A change made with the gallery's login cookie must send the value of the ${XSRF_COOKIE} cookie in the ` +
            `${XSRF_HEADER} header; reload the page`
        );
      }
    }
    return this._hub.identify(token);
  }
}

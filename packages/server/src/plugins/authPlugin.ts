import type { IUser } from '@notebook-gallery/core';
import fastifyJwt from '@fastify/jwt';
import type { FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { ApiTokenAuthenticator } from '../auth/apiTokenAuthenticator';
import { HUB_TOKEN_COOKIE, HubCookieAuthenticator } from '../auth/hubCookieAuthenticator';
import type { IAuthenticated, IAuthenticator } from '../auth/authenticator';
import type { ICredential } from '../auth/credential';
import { JwtAuthenticator, type ILoginClaims } from '../auth/jwtAuthenticator';
import { LoginThrottle } from '../auth/loginThrottle';
import { loadOrCreateJwtSecret } from '../auth/jwtSecret';
import { ANONYMOUS, type ICaller } from '../auth/permissions';
import { SESSION_COOKIE, SessionCookieAuthenticator } from '../auth/sessionCookieAuthenticator';
import { TrustedHeaderAuthenticator } from '../auth/trustedHeaderAuthenticator';
import { XsrfGuard } from '../auth/xsrf';
import { UnauthorizedError } from '../errors/UnauthorizedError';
import type { IAuditLogRepository } from '../repositories/auditLogRepository';
import type { AccountService } from '../services/accountService';
import type { GroupService } from '../services/groupService';

/** A signed login token and when it stops working. */
export interface IIssuedToken {
  token: string;
  expiresAt: string;
}

declare module '@fastify/jwt' {
  interface FastifyJWT {
    payload: ILoginClaims;
    user: IUser;
  }
}

declare module 'fastify' {
  interface FastifyInstance {
    accounts: AccountService;
    groups: GroupService;
    audit: IAuditLogRepository;
    /** Set when trusted-header login is on. */
    trustedHeader: TrustedHeaderAuthenticator | null;
    /** The XSRF tokens and check of credentials a browser attaches on its own (cookies, the trusted header). */
    xsrf: XsrfGuard;
    /** The secret that signs login tokens and cookies. */
    signingSecret: string;
    /** The limits on failed logins, shared by the API's login, the login page and password changes. */
    loginThrottle: LoginThrottle;
    /** Hook for routes that need a user: sets `request.user`, `request.caller` and `request.credential`, or fails with 401. */
    authenticate(request: FastifyRequest): Promise<void>;
    /** Hook for routes anonymous visitors may read when the admin allows it; otherwise the same as `authenticate`. */
    authenticateOrAnonymous(request: FastifyRequest): Promise<void>;
    /** Signs a short-lived login token for `user`, in a new session. */
    issueToken(user: IUser): Promise<IIssuedToken>;
  }
  interface FastifyRequest {
    /** Who is asking, for permissions.ts; the anonymous caller on routes that allow it. */
    caller: ICaller;
    /** What proved who is asking (unset for the anonymous caller). */
    credential: ICredential;
    /**
     * What the XSRF token of this request's credential is made from, when the browser attaches that credential on
     * its own (a login cookie, the trusted proxy's header); null for headers only scripts send (bearer, API token).
     */
    xsrfBinding: string | null;
  }
}

/** Decorates the account services and the auth hooks; `request.user` is set by whichever authenticator succeeds. */
export const authPlugin = fp(
  async fastify => {
    const { config } = fastify;
    const ttl = config.accessTokenTtlSeconds;
    const secret = loadOrCreateJwtSecret(config.dataDir);
    await fastify.register(fastifyJwt, { secret, sign: { expiresIn: ttl } });
    const { accounts, groups, audit } = fastify.gallery;
    const trustedHeader = config.trustedHeader
      ? new TrustedHeaderAuthenticator(config.trustedHeader, config.trustedProxies, accounts)
      : null;
    const xsrf = new XsrfGuard(secret);
    const verify = (token: string) => fastify.jwt.verify<ILoginClaims>(token);
    const hubCookie = fastify.hubAuthenticator ? new HubCookieAuthenticator(fastify.hubAuthenticator, xsrf) : null;
    // Standalone pages log in with the password form; in a hub they log in through the hub.
    const sessionCookie = config.hub ? null : new SessionCookieAuthenticator(verify, accounts, xsrf);
    const authenticators: IAuthenticator[] = [
      new JwtAuthenticator(verify, accounts),
      new ApiTokenAuthenticator(accounts),
      ...(fastify.hubAuthenticator ? [fastify.hubAuthenticator] : []),
      ...(hubCookie ? [hubCookie] : []),
      ...(sessionCookie ? [sessionCookie] : []),
      ...(trustedHeader ? [trustedHeader] : [])
    ];
    /** The value the XSRF token is made from, for the authenticator that recognised the request (see xsrfBinding). */
    const bindingOf = (request: FastifyRequest, by: IAuthenticator, user: IUser): string | null => {
      if (by === hubCookie) {
        return request.cookies[HUB_TOKEN_COOKIE] ?? null;
      }
      if (by === sessionCookie) {
        return request.cookies[SESSION_COOKIE] ?? null;
      }
      return by === trustedHeader ? `proxy:${user.username}` : null;
    };
    // In a hub nobody has a gallery password: point at the hub's token instead of POST /api/auth/login.
    const noCredentials = () =>
      config.hub
        ? new UnauthorizedError(
            'Log in to JupyterHub first: JupyterLab in the hub sends "Authorization: token <hub token>", ' +
              `and a page opened in the browser logs in at ${config.hub.prefix}/oauth_login`
          )
        : new UnauthorizedError();
    const identify = async (request: FastifyRequest): Promise<(IAuthenticated & { by: IAuthenticator }) | null> => {
      for (const authenticator of authenticators) {
        const found = await authenticator.authenticate(request);
        if (found) {
          return { ...found, by: authenticator };
        }
      }
      return null;
    };
    const signIn = async (
      request: FastifyRequest,
      { user, credential, by }: IAuthenticated & { by: IAuthenticator }
    ): Promise<void> => {
      request.user = user;
      request.credential = credential;
      request.caller = { user, groups: await groups.rolesOf(user.username) };
      request.xsrfBinding = bindingOf(request, by, user);
    };
    fastify.decorate('accounts', accounts);
    fastify.decorate('groups', groups);
    fastify.decorate('audit', audit);
    fastify.decorate('trustedHeader', trustedHeader);
    fastify.decorate('xsrf', xsrf);
    fastify.decorate('signingSecret', secret);
    fastify.decorate(
      'loginThrottle',
      new LoginThrottle(
        {
          pair: config.loginRateLimit,
          address: config.loginAddressRateLimit,
          user: config.loginUserRateLimit
        },
        fastify.gallery.rateWindows
      )
    );
    fastify.decorateRequest('caller', null as unknown as ICaller);
    fastify.decorateRequest<ICredential | null>('credential', null);
    fastify.decorateRequest<string | null>('xsrfBinding', null);
    fastify.decorate('authenticate', async (request: FastifyRequest) => {
      const found = await identify(request);
      if (!found) {
        throw noCredentials();
      }
      await signIn(request, found);
    });
    fastify.decorate('authenticateOrAnonymous', async (request: FastifyRequest) => {
      const found = await identify(request);
      if (found) {
        await signIn(request, found);
      } else if (config.anonymousRead) {
        request.caller = ANONYMOUS;
      } else {
        throw noCredentials();
      }
    });
    fastify.decorate('issueToken', async (user: IUser): Promise<IIssuedToken> => {
      const token = fastify.jwt.sign({ sub: user.username, ...(await accounts.sessionClaims(user.username)) });
      const { exp } = fastify.jwt.decode<{ exp: number }>(token) ?? { exp: Math.floor(Date.now() / 1000) + ttl };
      return { token, expiresAt: new Date(exp * 1000).toISOString() };
    });
  },
  { name: 'gallery-auth', dependencies: ['gallery-db', 'gallery-hub'] }
);

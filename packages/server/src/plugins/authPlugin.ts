import type { IUser } from '@notebook-gallery/core';
import fastifyJwt from '@fastify/jwt';
import type { FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { ApiTokenAuthenticator } from '../auth/apiTokenAuthenticator';
import { HubCookieAuthenticator } from '../auth/hubCookieAuthenticator';
import type { IAuthenticated, IAuthenticator } from '../auth/authenticator';
import type { ICredential } from '../auth/credential';
import { JwtAuthenticator, type ILoginClaims } from '../auth/jwtAuthenticator';
import { loadOrCreateJwtSecret } from '../auth/jwtSecret';
import { ANONYMOUS, type ICaller } from '../auth/permissions';
import { TrustedHeaderAuthenticator } from '../auth/trustedHeaderAuthenticator';
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
    /** In a JupyterHub: the login cookie of pages opened in the browser, with its XSRF check; null otherwise. */
    hubCookie: HubCookieAuthenticator | null;
    /** The secret that signs login tokens and cookies. */
    signingSecret: string;
    /** Hook for routes that need a user: sets `request.user`, `request.caller` and `request.credential`, or fails with 401. */
    authenticate(request: FastifyRequest): Promise<void>;
    /** Hook for routes anonymous visitors may read when the admin allows it; otherwise the same as `authenticate`. */
    authenticateOrAnonymous(request: FastifyRequest): Promise<void>;
    /** Signs a short-lived login token for `user`, in a new session. */
    issueToken(user: IUser): IIssuedToken;
  }
  interface FastifyRequest {
    /** Who is asking, for permissions.ts; the anonymous caller on routes that allow it. */
    caller: ICaller;
    /** What proved who is asking (unset for the anonymous caller). */
    credential: ICredential;
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
    const hubCookie = fastify.hubAuthenticator ? new HubCookieAuthenticator(fastify.hubAuthenticator, secret) : null;
    const authenticators: IAuthenticator[] = [
      new JwtAuthenticator(token => fastify.jwt.verify<ILoginClaims>(token), accounts),
      new ApiTokenAuthenticator(accounts),
      ...(fastify.hubAuthenticator ? [fastify.hubAuthenticator] : []),
      ...(hubCookie ? [hubCookie] : []),
      ...(trustedHeader ? [trustedHeader] : [])
    ];
    // In a hub nobody has a gallery password: point at the hub's token instead of POST /api/auth/login.
    const noCredentials = () =>
      config.hub
        ? new UnauthorizedError(
            'Log in to JupyterHub first: JupyterLab in the hub sends "Authorization: token <hub token>", ' +
              `and a page opened in the browser logs in at ${config.hub.prefix}/oauth_login`
          )
        : new UnauthorizedError();
    const identify = async (request: FastifyRequest): Promise<IAuthenticated | null> => {
      for (const authenticator of authenticators) {
        const found = await authenticator.authenticate(request);
        if (found) {
          return found;
        }
      }
      return null;
    };
    const signIn = (request: FastifyRequest, { user, credential }: IAuthenticated): void => {
      request.user = user;
      request.credential = credential;
      request.caller = { user, groups: groups.rolesOf(user.username) };
    };
    fastify.decorate('accounts', accounts);
    fastify.decorate('groups', groups);
    fastify.decorate('audit', audit);
    fastify.decorate('trustedHeader', trustedHeader);
    fastify.decorate('hubCookie', hubCookie);
    fastify.decorate('signingSecret', secret);
    fastify.decorateRequest('caller', null as unknown as ICaller);
    fastify.decorateRequest<ICredential | null>('credential', null);
    fastify.decorate('authenticate', async (request: FastifyRequest) => {
      const found = await identify(request);
      if (!found) {
        throw noCredentials();
      }
      signIn(request, found);
    });
    fastify.decorate('authenticateOrAnonymous', async (request: FastifyRequest) => {
      const found = await identify(request);
      if (found) {
        signIn(request, found);
      } else if (config.anonymousRead) {
        request.caller = ANONYMOUS;
      } else {
        throw noCredentials();
      }
    });
    fastify.decorate('issueToken', (user: IUser): IIssuedToken => {
      const token = fastify.jwt.sign({ sub: user.username, ...accounts.sessionClaims(user.username) });
      const { exp } = fastify.jwt.decode<{ exp: number }>(token) ?? { exp: Math.floor(Date.now() / 1000) + ttl };
      return { token, expiresAt: new Date(exp * 1000).toISOString() };
    });
  },
  { name: 'gallery-auth', dependencies: ['gallery-db', 'gallery-hub'] }
);

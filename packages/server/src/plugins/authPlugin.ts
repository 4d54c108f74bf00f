import type { IUser } from '@notebook-gallery/core';
import fastifyJwt from '@fastify/jwt';
import type { FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { AuditLog } from '../audit/auditLog';
import { ApiTokenAuthenticator } from '../auth/apiTokenAuthenticator';
import type { ApiTokenStore } from '../auth/apiTokenStore';
import type { IAuthenticator } from '../auth/authenticator';
import type { GroupStore } from '../auth/groupStore';
import { JwtAuthenticator } from '../auth/jwtAuthenticator';
import { loadOrCreateJwtSecret } from '../auth/jwtSecret';
import { ANONYMOUS, type ICaller } from '../auth/permissions';
import { TrustedHeaderAuthenticator } from '../auth/trustedHeaderAuthenticator';
import type { UserStore } from '../auth/userStore';
import { UnauthorizedError } from '../errors/UnauthorizedError';

/** A signed login token and when it stops working. */
export interface IIssuedToken {
  token: string;
  expiresAt: string;
}

declare module '@fastify/jwt' {
  interface FastifyJWT {
    payload: { sub: string };
    user: IUser;
  }
}

declare module 'fastify' {
  interface FastifyInstance {
    users: UserStore;
    groups: GroupStore;
    apiTokens: ApiTokenStore;
    audit: AuditLog;
    /** Set when trusted-header login is on. */
    trustedHeader: TrustedHeaderAuthenticator | null;
    /** The secret that signs login tokens and cookies. */
    signingSecret: string;
    /** Hook for routes that need a user: sets `request.user` and `request.caller`, or fails with 401. */
    authenticate(request: FastifyRequest): Promise<void>;
    /** Hook for routes anonymous visitors may read when the admin allows it; otherwise the same as `authenticate`. */
    authenticateOrAnonymous(request: FastifyRequest): Promise<void>;
    /** Signs a short-lived login token for `user`. */
    issueToken(user: IUser): IIssuedToken;
  }
  interface FastifyRequest {
    /** Who is asking, for permissions.ts; the anonymous caller on routes that allow it. */
    caller: ICaller;
  }
}

/** Decorates the account stores and the auth hooks; `request.user` is set by whichever authenticator succeeds. */
export const authPlugin = fp(
  async fastify => {
    const { config } = fastify;
    const ttl = config.accessTokenTtlSeconds;
    const secret = loadOrCreateJwtSecret(config.dataDir);
    await fastify.register(fastifyJwt, { secret, sign: { expiresIn: ttl } });
    const { users, groups, apiTokens } = fastify.gallery;
    const trustedHeader = config.trustedHeader
      ? new TrustedHeaderAuthenticator(config.trustedHeader, config.trustedProxies, users)
      : null;
    const authenticators: IAuthenticator[] = [
      new JwtAuthenticator(token => fastify.jwt.verify<{ sub: string }>(token), users),
      new ApiTokenAuthenticator(apiTokens, users),
      ...(trustedHeader ? [trustedHeader] : [])
    ];
    const identify = async (request: FastifyRequest): Promise<IUser | null> => {
      for (const authenticator of authenticators) {
        const user = await authenticator.authenticate(request);
        if (user) {
          return user;
        }
      }
      return null;
    };
    fastify.decorate('users', users);
    fastify.decorate('groups', groups);
    fastify.decorate('apiTokens', apiTokens);
    fastify.decorate('audit', fastify.gallery.audit);
    fastify.decorate('trustedHeader', trustedHeader);
    fastify.decorate('signingSecret', secret);
    fastify.decorateRequest('caller', null as unknown as ICaller);
    fastify.decorate('authenticate', async (request: FastifyRequest) => {
      const user = await identify(request);
      if (!user) {
        throw new UnauthorizedError();
      }
      request.user = user;
      request.caller = { user, groups: groups.rolesOf(user.username) };
    });
    fastify.decorate('authenticateOrAnonymous', async (request: FastifyRequest) => {
      const user = await identify(request);
      if (user) {
        request.user = user;
        request.caller = { user, groups: groups.rolesOf(user.username) };
      } else if (config.anonymousRead) {
        request.caller = ANONYMOUS;
      } else {
        throw new UnauthorizedError();
      }
    });
    fastify.decorate('issueToken', (user: IUser): IIssuedToken => {
      const token = fastify.jwt.sign({ sub: user.username });
      const { exp } = fastify.jwt.decode<{ exp: number }>(token) ?? { exp: Math.floor(Date.now() / 1000) + ttl };
      return { token, expiresAt: new Date(exp * 1000).toISOString() };
    });
  },
  { name: 'gallery-auth', dependencies: ['gallery-db'] }
);

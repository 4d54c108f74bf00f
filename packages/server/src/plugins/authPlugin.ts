import type { IUser } from '@notebook-gallery/core';
import fastifyJwt from '@fastify/jwt';
import type { FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { IAuthenticator } from '../auth/authenticator';
import { BearerTokenAuthenticator } from '../auth/bearerTokenAuthenticator';
import { loadOrCreateJwtSecret } from '../auth/jwtSecret';
import { UserStore } from '../auth/userStore';
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
    /** preHandler for routes that need a user: sets `request.user` or fails with 401 UNAUTHORIZED. */
    authenticate(request: FastifyRequest): Promise<void>;
    /** Signs a login token for `user`. */
    issueToken(user: IUser): IIssuedToken;
  }
}

/** Decorates `users`, `authenticate` and `issueToken`; `request.user` is set by whichever authenticator succeeds. */
export const authPlugin = fp(
  async fastify => {
    const ttl = fastify.config.tokenTtlSeconds;
    await fastify.register(fastifyJwt, {
      secret: loadOrCreateJwtSecret(fastify.config.dataDir),
      sign: { expiresIn: ttl }
    });
    const users = new UserStore(fastify.db);
    const authenticators: IAuthenticator[] = [
      new BearerTokenAuthenticator(token => fastify.jwt.verify<{ sub: string }>(token), users)
    ];
    fastify.decorate('users', users);
    fastify.decorate('authenticate', async (request: FastifyRequest) => {
      for (const authenticator of authenticators) {
        const user = await authenticator.authenticate(request);
        if (user) {
          request.user = user;
          return;
        }
      }
      throw new UnauthorizedError();
    });
    fastify.decorate('issueToken', (user: IUser): IIssuedToken => {
      const token = fastify.jwt.sign({ sub: user.username });
      const { exp } = fastify.jwt.decode<{ exp: number }>(token) ?? { exp: Math.floor(Date.now() / 1000) + ttl };
      return { token, expiresAt: new Date(exp * 1000).toISOString() };
    });
  },
  { name: 'gallery-auth', dependencies: ['gallery-db'] }
);

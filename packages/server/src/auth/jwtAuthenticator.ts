import type { IUser } from '@notebook-gallery/core';
import type { FastifyRequest } from 'fastify';
import { UnauthorizedError } from '../errors/UnauthorizedError';
import { API_TOKEN_PREFIX } from './apiTokenStore';
import { bearerToken, type IAuthenticator } from './authenticator';
import type { UserStore } from './userStore';

/** Checks a token's signature and expiry; returns its subject. */
export type TokenVerifier = (token: string) => { sub: string };

/** `Authorization: Bearer <jwt>` with a short-lived access token from POST /api/auth/login. */
export class JwtAuthenticator implements IAuthenticator {
  constructor(
    private readonly _verify: TokenVerifier,
    private readonly _users: UserStore
  ) {}

  async authenticate(request: FastifyRequest): Promise<IUser | null> {
    const token = bearerToken(request);
    if (token === null || token.startsWith(API_TOKEN_PREFIX)) {
      return null;
    }
    let subject: string;
    try {
      subject = this._verify(token).sub;
    } catch (error) {
      const expired = (error as { code?: string }).code === 'FAST_JWT_EXPIRED';
      throw new UnauthorizedError(
        expired ? 'Your login has expired; log in again' : 'The token is not valid; log in again'
      );
    }
    const user = this._users.find(subject);
    if (!user) {
      throw new UnauthorizedError(`User "${subject}" no longer exists or is disabled`);
    }
    return user;
  }
}

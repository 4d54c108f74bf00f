import type { IUser } from '@notebook-gallery/core';
import type { FastifyRequest } from 'fastify';
import { UnauthorizedError } from '../errors/UnauthorizedError';
import { API_TOKEN_PREFIX, type ApiTokenStore } from './apiTokenStore';
import { bearerToken, type IAuthenticator } from './authenticator';
import type { UserStore } from './userStore';

/** `Authorization: Bearer ngp_…` with a personal API token from POST /api/tokens. */
export class ApiTokenAuthenticator implements IAuthenticator {
  constructor(
    private readonly _tokens: ApiTokenStore,
    private readonly _users: UserStore
  ) {}

  async authenticate(request: FastifyRequest): Promise<IUser | null> {
    const token = bearerToken(request);
    if (token === null || !token.startsWith(API_TOKEN_PREFIX)) {
      return null;
    }
    const username = this._tokens.resolve(token);
    const user = username === null ? undefined : this._users.find(username);
    if (!user) {
      throw new UnauthorizedError('The API token is unknown, revoked or expired; log in again');
    }
    return user;
  }
}

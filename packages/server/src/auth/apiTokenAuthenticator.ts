import type { FastifyRequest } from 'fastify';
import type { AccountService } from '../services/accountService';
import { API_TOKEN_PREFIX } from './apiTokenSecret';
import { bearerToken, type IAuthenticated, type IAuthenticator } from './authenticator';

/** `Authorization: Bearer ngp_…` with an API token from POST /api/tokens or single sign-on. */
export class ApiTokenAuthenticator implements IAuthenticator {
  constructor(private readonly _accounts: AccountService) {}

  async authenticate(request: FastifyRequest): Promise<IAuthenticated | null> {
    const secret = bearerToken(request);
    if (secret === null || !secret.startsWith(API_TOKEN_PREFIX)) {
      return null;
    }
    const { user, token } = this._accounts.userOfToken(secret);
    return { user, credential: { kind: 'apiToken', tokenId: token.id, tokenKind: token.kind } };
  }
}

import type { FastifyRequest } from 'fastify';
import { API_TOKEN_PREFIX } from './apiTokenSecret';
import { bearerToken, type IAuthenticated, type IAuthenticator } from './authenticator';
import type { ICredentialChecker } from './credential';

/** `Authorization: Bearer ngp_…` with an API token from POST /api/tokens or single sign-on. */
export class ApiTokenAuthenticator implements IAuthenticator {
  constructor(private readonly _accounts: ICredentialChecker) {}

  async authenticate(request: FastifyRequest): Promise<IAuthenticated | null> {
    const secret = bearerToken(request);
    if (secret === null || !secret.startsWith(API_TOKEN_PREFIX)) {
      return null;
    }
    const { user, token } = await this._accounts.userOfToken(secret);
    return { user, credential: { kind: 'apiToken', tokenId: token.id, tokenKind: token.kind } };
  }
}

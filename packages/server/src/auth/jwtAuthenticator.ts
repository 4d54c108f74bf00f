import type { FastifyRequest } from 'fastify';
import { UnauthorizedError } from '../errors/UnauthorizedError';
import { API_TOKEN_PREFIX } from './apiTokenSecret';
import { bearerToken, type IAuthenticated, type IAuthenticator } from './authenticator';
import type { ICredentialChecker, ISessionClaims } from './credential';

/** The claims of a login token; `sid` and `sev` are absent from tokens signed before sessions could be ended. */
export type ILoginClaims = { sub: string } & Partial<ISessionClaims>;

/** Checks a token's signature and expiry; returns its claims. */
export type TokenVerifier = (token: string) => ILoginClaims;

/** `Authorization: Bearer <jwt>` with a short-lived access token from POST /api/auth/login. */
export class JwtAuthenticator implements IAuthenticator {
  constructor(
    private readonly _verify: TokenVerifier,
    private readonly _accounts: ICredentialChecker
  ) {}

  async authenticate(request: FastifyRequest): Promise<IAuthenticated | null> {
    const token = bearerToken(request);
    if (token === null || token.startsWith(API_TOKEN_PREFIX)) {
      return null;
    }
    let claims: ILoginClaims;
    try {
      claims = this._verify(token);
    } catch (error) {
      const expired = (error as { code?: string }).code === 'FAST_JWT_EXPIRED';
      throw new UnauthorizedError(
        expired ? 'Your login has expired; log in again' : 'The token is not valid; log in again'
      );
    }
    const user = await this._accounts.userOfSession(claims.sub, claims);
    return { user, credential: { kind: 'jwt', sessionId: claims.sid ?? null } };
  }
}

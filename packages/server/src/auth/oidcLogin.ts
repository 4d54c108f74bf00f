import { custom, generators, Issuer, type BaseClient } from 'openid-client';
import type { IncomingMessage } from 'node:http';
import { ConfigError } from '../errors/ConfigError';
import { UnauthorizedError } from '../errors/UnauthorizedError';

/** What the login needs to remember between the redirect to the provider and the callback (kept in a cookie). */
export interface IOidcPending {
  state: string;
  nonce: string;
  verifier: string;
  /** The JupyterLab origin that opened the popup; '' for a login of the web pages. */
  origin: string;
  /** A login of the web pages (routes/pageLoginRoutes.ts): the page to return to, a local path. */
  next?: string;
}

/** The identity the provider vouched for. */
export interface IOidcIdentity {
  username: string;
  email: string | null;
}

/** Options of {@link OidcLogin.discover}. */
export interface IOidcOptions {
  issuer: string;
  clientId: string;
  clientSecret: string | null;
  redirectUri: string;
  usernameClaim: string;
}

/** OpenID Connect authorization-code login with PKCE, state and nonce, through openid-client. */
export class OidcLogin {
  private constructor(
    private readonly _client: BaseClient,
    private readonly _options: IOidcOptions
  ) {}

  /**
   * Fetches the issuer's discovery document and sets up the client.
   * @throws {ConfigError} when the issuer cannot be reached or is not an OpenID Connect provider.
   */
  static async discover(options: IOidcOptions): Promise<OidcLogin> {
    custom.setHttpOptionsDefaults({ timeout: 10_000 });
    let issuer: Issuer;
    try {
      issuer = await Issuer.discover(options.issuer);
    } catch (error) {
      throw new ConfigError(
        `--oidc-issuer ${options.issuer}: OpenID Connect discovery failed (${(error as Error).message}); ` +
          'check the URL (it must serve /.well-known/openid-configuration) and that this server can reach it'
      );
    }
    const client = new issuer.Client({
      client_id: options.clientId,
      ...(options.clientSecret
        ? { client_secret: options.clientSecret }
        : { token_endpoint_auth_method: 'none' as const }),
      redirect_uris: [options.redirectUri],
      response_types: ['code']
    });
    return new OidcLogin(client, options);
  }

  /** A fresh pending login and the provider URL to send the browser to. */
  start(origin: string): { pending: IOidcPending; url: string } {
    const pending = {
      state: generators.state(),
      nonce: generators.nonce(),
      verifier: generators.codeVerifier(),
      origin
    };
    const url = this._client.authorizationUrl({
      scope: 'openid profile email',
      state: pending.state,
      nonce: pending.nonce,
      code_challenge: generators.codeChallenge(pending.verifier),
      code_challenge_method: 'S256'
    });
    return { pending, url };
  }

  /**
   * Checks the provider's answer against the pending login and returns who logged in.
   * @throws {UnauthorizedError} when the answer is an error, forged, replayed or lacks the username claim.
   */
  async finish(request: IncomingMessage, pending: IOidcPending): Promise<IOidcIdentity> {
    const claimName = this._options.usernameClaim;
    try {
      const params = this._client.callbackParams(request);
      const tokens = await this._client.callback(this._options.redirectUri, params, {
        state: pending.state,
        nonce: pending.nonce,
        code_verifier: pending.verifier
      });
      let claims: Record<string, unknown> = tokens.claims();
      if (claims[claimName] === undefined && tokens.access_token) {
        claims = { ...(await this._client.userinfo(tokens)), ...claims };
      }
      const username = claims[claimName];
      if (typeof username !== 'string' || username === '') {
        throw new Error(`the provider sent no "${claimName}" claim (see --oidc-username-claim)`);
      }
      return { username, email: typeof claims.email === 'string' ? claims.email : null };
    } catch (error) {
      throw new UnauthorizedError(`Single sign-on failed: ${(error as Error).message}`);
    }
  }
}

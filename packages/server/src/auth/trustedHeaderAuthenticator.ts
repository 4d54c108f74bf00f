import type { FastifyRequest } from 'fastify';
import * as net from 'node:net';
import type { IAuthenticated, IAuthenticator } from './authenticator';
import type { ICredentialChecker } from './credential';

/**
 * A reverse proxy (Apache with Shibboleth or CoSign, oauth2-proxy…) that logged the user in and names them in a
 * header such as `X-Remote-User`. The header is believed only from the proxy's own socket address: never from
 * X-Forwarded-For, which any client can write. Users appear on their first request; disabled ones are refused.
 */
export class TrustedHeaderAuthenticator implements IAuthenticator {
  private readonly _proxies: Set<string>;

  constructor(
    private readonly _header: string,
    proxies: readonly string[],
    private readonly _accounts: ICredentialChecker
  ) {
    this._proxies = new Set(proxies.map(normalizeAddress));
  }

  /** Whether this request came straight from a trusted proxy. */
  isTrusted(request: FastifyRequest): boolean {
    const address = request.raw.socket.remoteAddress;
    return address !== undefined && this._proxies.has(normalizeAddress(address));
  }

  async authenticate(request: FastifyRequest): Promise<IAuthenticated | null> {
    const raw = request.headers[this._header];
    if (typeof raw !== 'string' || raw.trim() === '' || !this.isTrusted(request)) {
      return null;
    }
    return { user: await this._accounts.externalUser(raw), credential: { kind: 'proxy' } };
  }
}

/** `::ffff:127.0.0.1` and `127.0.0.1` are the same peer. */
function normalizeAddress(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  return mapped && net.isIPv4(mapped[1]) ? mapped[1] : address.toLowerCase();
}

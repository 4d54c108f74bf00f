import type { IUser } from '@notebook-gallery/core';
import type { FastifyRequest } from 'fastify';
import * as crypto from 'node:crypto';
import { HubAccessDeniedError } from '../errors/HubAccessDeniedError';
import { UnauthorizedError } from '../errors/UnauthorizedError';
import type { IHubUser } from '../hub/hubApiClient';
import type { IAuthenticated, IAuthenticator } from './authenticator';

/** What the hub authenticator asks of the accounts and groups (the account service and the hub group sync). */
export interface IHubAccounts {
  /**
   * The gallery user for a hub identity, created on first sight, admin as the hub says.
   * @throws {UnauthorizedError} when the name cannot be a username or the account is disabled.
   */
  hubUser(rawName: string, isAdmin: boolean | undefined): Promise<IUser>;
  /** The enabled user with this name, or undefined. */
  find(username: string): Promise<IUser | undefined>;
  /** Brings the user's synced group memberships in line with their hub groups. */
  syncGroups(username: string, hubGroups: readonly string[]): Promise<void>;
}

/** Options of {@link HubAuthenticator}. */
export interface IHubAuthenticatorOptions {
  /** Asks the hub who owns a token (hub/hubApiClient.ts). */
  hub: { user(token: string): Promise<IHubUser | null> };
  accounts: IHubAccounts;
  /** `JUPYTERHUB_SERVICE_NAME`. */
  serviceName: string;
  /** How long an identity is believed without asking the hub, in seconds. */
  cacheTtlSeconds: number;
  /** The clock, in milliseconds; tests pass their own. */
  now?: () => number;
}

/** Above this many cached tokens, expired entries are dropped before a new one is added. */
const CACHE_PRUNE_SIZE = 10_000;

/**
 * `Authorization: token <t>` with a JupyterHub token (JupyterLab's own, from its PageConfig): the hub says whose it
 * is (`GET {api}/user`) and whether it grants access to this service. Only JupyterHub's `token` scheme is read:
 * `Bearer` belongs to the gallery's own tokens, and guessing which kind a bearer token is would let one kind's
 * failure hide behind the other's. An identity is cached for a short time, so a revoked token keeps working until
 * its entry expires; failures (unknown token, missing scope, hub down) are never cached, so a fixed hub or a newly
 * granted scope works at once.
 */
export class HubAuthenticator implements IAuthenticator {
  private readonly _cache = new Map<string, { username: string; expiresAt: number }>();
  /** One hub request per token at a time, however many requests carry it. */
  private readonly _pending = new Map<string, Promise<string>>();
  private readonly _now: () => number;

  constructor(private readonly _options: IHubAuthenticatorOptions) {
    this._now = _options.now ?? Date.now;
  }

  async authenticate(request: FastifyRequest): Promise<IAuthenticated | null> {
    const header = request.headers.authorization;
    const match = header ? /^token\s+(\S+)\s*$/i.exec(header) : null;
    return match ? this.identify(match[1]) : null;
  }

  /**
   * The user a hub token belongs to, from the cache or the hub.
   * @throws {UnauthorizedError} when the hub does not know the token or the gallery account is disabled.
   * @throws {HubAccessDeniedError} when the token lacks the access scope.
   * @throws {HubUnavailableError} when the hub cannot be asked.
   */
  async identify(token: string): Promise<IAuthenticated> {
    const key = crypto.createHash('sha256').update(token).digest('base64url');
    const cached = this._cache.get(key);
    let username: string;
    if (cached && cached.expiresAt > this._now()) {
      username = cached.username;
    } else {
      this._cache.delete(key);
      let pending = this._pending.get(key);
      if (!pending) {
        pending = this._check(token, key).finally(() => this._pending.delete(key));
        this._pending.set(key, pending);
      }
      username = await pending;
    }
    const user = await this._options.accounts.find(username);
    if (!user) {
      throw new UnauthorizedError(`The gallery account "${username}" is disabled; ask a gallery admin to enable it`);
    }
    return { user, credential: { kind: 'hub' } };
  }

  /** Asks the hub, applies what it says to the account and its groups, and caches the username. */
  private async _check(token: string, key: string): Promise<string> {
    const hubUser = await this._options.hub.user(token);
    if (!hubUser) {
      throw new UnauthorizedError(
        'JupyterHub does not know this token (revoked or expired, or its user was deleted); reload JupyterLab ' +
          'or log in to the hub again'
      );
    }
    const { serviceName } = this._options;
    if (
      !hubUser.scopes.includes('access:services') &&
      !hubUser.scopes.includes(`access:services!service=${serviceName}`)
    ) {
      throw new HubAccessDeniedError(hubUser.name, serviceName);
    }
    const user = await this._options.accounts.hubUser(hubUser.name, hubUser.admin);
    if (hubUser.groups) {
      await this._options.accounts.syncGroups(user.username, hubUser.groups);
    }
    const now = this._now();
    if (this._cache.size >= CACHE_PRUNE_SIZE) {
      for (const [cachedKey, entry] of this._cache) {
        if (entry.expiresAt <= now) {
          this._cache.delete(cachedKey);
        }
      }
    }
    this._cache.set(key, { username: user.username, expiresAt: now + this._options.cacheTtlSeconds * 1000 });
    return user.username;
  }
}

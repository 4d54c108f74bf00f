import type { ApiTokenKind, IAdminUser, IApiTokenInfo, ICreateApiTokenResponse, IUser } from '@notebook-gallery/core';
import * as crypto from 'node:crypto';
import { hashApiToken, newApiTokenSecret } from '../auth/apiTokenSecret';
import type { ICredential, ICredentialChecker, ISessionClaims } from '../auth/credential';
import { hashPassword, verifyPassword } from '../auth/passwords';
import { isValidName, sanitizeUsername } from '../auth/usernames';
import { InvalidCredentialsError } from '../errors/InvalidCredentialsError';
import { InvalidRequestError } from '../errors/InvalidRequestError';
import { LimitReachedError } from '../errors/LimitReachedError';
import { TokenNotFoundError } from '../errors/TokenNotFoundError';
import { UnauthorizedError } from '../errors/UnauthorizedError';
import { UserExistsError } from '../errors/UserExistsError';
import { UserNotFoundError } from '../errors/UserNotFoundError';
import type { IAccountRepositories } from '../repositories/accountRepositories';
import type { IApiTokenRecord } from '../repositories/apiTokenRepository';
import { NO_PASSWORD, type IUserRecord } from '../repositories/userRepository';

/** Options of {@link AccountService}. */
export interface IAccountServiceOptions {
  /** Lifetime of an API token whose creator chooses none, in seconds. */
  apiTokenTtlSeconds: number;
  /** Live API tokens one user may have (`--max-tokens-per-user`); unlimited when absent. */
  maxTokensPerUser?: number;
  /** The clock; tests pass their own. */
  now?: () => Date;
}

/** A token's `last_used_at` is rewritten at most this often, so reading with a token costs no write each time. */
export const LAST_USED_RESOLUTION_MS = 60_000;

/** Who the audit log names for what the command line did. */
export const COMMAND_LINE_ACTOR = '(command line)';

/**
 * Accounts, their passwords and sessions, and their API tokens: the rules, over the user, token and audit
 * repositories. Every way in (routes, authenticators, the CLI) goes through here.
 */
export class AccountService implements ICredentialChecker {
  /** Hash checked when the username is unknown, so a miss takes as long as a wrong password. */
  private _decoyHash: Promise<string> | undefined;
  private readonly _now: () => Date;

  constructor(
    private readonly _repos: Pick<IAccountRepositories, 'users' | 'tokens' | 'audit' | 'unitOfWork'>,
    private readonly _options: IAccountServiceOptions
  ) {
    this._now = _options.now ?? (() => new Date());
  }

  /**
   * Adds a user with a password.
   * @throws {InvalidRequestError} for a bad username or an empty password.
   * @throws {UserExistsError}
   */
  async add(username: string, password: string, isAdmin = false, email: string | null = null): Promise<IUser> {
    if (!isValidName(username)) {
      throw new InvalidRequestError(
        `username "${username}" must be 1-64 letters, digits, ".", "_" or "-", starting with a letter or digit`
      );
    }
    if (password.length === 0) {
      throw new InvalidRequestError('password must not be empty');
    }
    if (await this._repos.users.find(username)) {
      throw new UserExistsError(username);
    }
    const passwordHash = await hashPassword(password);
    if (
      !(await this._repos.users.insert({
        username,
        passwordHash,
        isAdmin,
        email,
        createdAt: this._now().toISOString()
      }))
    ) {
      throw new UserExistsError(username);
    }
    return { username, isAdmin };
  }

  /** The user with this name, or undefined (also for a disabled account). */
  async find(username: string): Promise<IUser | undefined> {
    const record = await this._repos.users.find(username);
    return record && !record.disabled ? publicUser(record) : undefined;
  }

  /**
   * The user these credentials belong to.
   * @throws {InvalidCredentialsError} for an unknown or disabled user and a wrong password alike.
   */
  async verify(username: string, password: string): Promise<IUser> {
    const record = await this._repos.users.find(username);
    const usable = record && !record.disabled ? record : undefined;
    this._decoyHash ??= hashPassword('decoy password for unknown users');
    const matches = await verifyPassword(password, usable ? usable.passwordHash : await this._decoyHash);
    if (!usable || !matches) {
      throw new InvalidCredentialsError();
    }
    return publicUser(usable);
  }

  /**
   * The user a single sign-on identity (an OIDC claim or a proxy header) names, created without a password on
   * first login.
   * @throws {UnauthorizedError} when the name cannot be a username or the account is disabled.
   */
  async externalUser(rawName: string, email: string | null = null): Promise<IUser> {
    const username = sanitizeUsername(rawName);
    if (username === null) {
      throw new UnauthorizedError(`"${rawName}" cannot be a gallery username`);
    }
    await this._repos.users.insert({
      username,
      passwordHash: NO_PASSWORD,
      isAdmin: false,
      email,
      createdAt: this._now().toISOString()
    });
    const user = await this.find(username);
    if (!user) {
      throw new UnauthorizedError(`The gallery account "${username}" is disabled; ask a gallery admin to enable it`);
    }
    return user;
  }

  /**
   * The user a JupyterHub identity names: created without a password on first sight; an admin exactly when the hub
   * says so (when the hub told, `isAdmin` is defined), so a hub admin who loses the flag loses it here too.
   * @throws {UnauthorizedError} when the name cannot be a username or the account is disabled.
   */
  async hubUser(rawName: string, isAdmin: boolean | undefined): Promise<IUser> {
    const user = await this.externalUser(rawName);
    if (isAdmin === undefined || user.isAdmin === isAdmin) {
      return user;
    }
    await this._repos.users.setAdmin(user.username, isAdmin);
    return { ...user, isAdmin };
  }

  /**
   * Replaces the password after checking the current one, then signs the user out of every other session: all
   * login tokens (JWTs) and session tokens stop working except `credential`, the one that made this change.
   * Personal tokens are kept.
   * @throws {InvalidCredentialsError} when `currentPassword` is wrong (or the account has no password).
   * @throws {InvalidRequestError} for an empty new password.
   */
  async changePassword(
    username: string,
    currentPassword: string,
    newPassword: string,
    credential: ICredential
  ): Promise<void> {
    if (newPassword.length === 0) {
      throw new InvalidRequestError('the new password must not be empty');
    }
    await this.verify(username, currentPassword);
    const passwordHash = await hashPassword(newPassword);
    await this._repos.unitOfWork.transaction(async () => {
      await this._repos.users.setPasswordHash(username, passwordHash);
      await this._repos.users.endSessions(username, credential.kind === 'jwt' ? credential.sessionId : null);
      await this._repos.tokens.deleteSessions(
        username,
        credential.kind === 'apiToken' && credential.tokenKind === 'session' ? credential.tokenId : null
      );
    });
  }

  /**
   * Sets a password without the current one, from the server's shell (`notebook-gallery user password`): for the
   * accounts an import made without one, and for a user who forgot theirs. Every login and session token of the
   * account stops working; personal tokens stay.
   * @throws {UserNotFoundError} when there is no such account.
   * @throws {InvalidRequestError} for an empty password.
   */
  async setPassword(username: string, password: string): Promise<void> {
    if (password.length === 0) {
      throw new InvalidRequestError('the password must not be empty');
    }
    if ((await this._repos.users.find(username)) === undefined) {
      throw new UserNotFoundError(username);
    }
    const passwordHash = await hashPassword(password);
    await this._repos.unitOfWork.transaction(async () => {
      await this._repos.users.setPasswordHash(username, passwordHash);
      await this.signOutEverywhere(username);
    });
  }

  /** Ends every login token (JWT) and session token of `username`, including the caller's; personal tokens stay. */
  async signOutEverywhere(username: string): Promise<void> {
    await this._repos.unitOfWork.transaction(async () => {
      await this._repos.users.endSessions(username, null);
      await this._repos.tokens.deleteSessions(username, null);
    });
  }

  /** The claims a new login token for `username` carries. */
  async sessionClaims(username: string): Promise<ISessionClaims> {
    return {
      sid: crypto.randomBytes(12).toString('base64url'),
      sev: (await this._repos.users.find(username))?.sessionEpoch ?? 0
    };
  }

  /**
   * The user a validly signed login token names, if that login still counts.
   * @throws {UnauthorizedError} when the user is gone or disabled, or the session was ended.
   */
  async userOfSession(username: string, claims: Partial<ISessionClaims>): Promise<IUser> {
    const record = await this._repos.users.find(username);
    if (!record || record.disabled) {
      throw new UnauthorizedError(`User "${username}" no longer exists or is disabled`);
    }
    const current = (claims.sev ?? 0) === record.sessionEpoch;
    const kept = claims.sid !== undefined && claims.sid === record.keptSessionId;
    if (!current && !kept) {
      throw new UnauthorizedError('You were signed out (password change or "sign out everywhere"); log in again');
    }
    return publicUser(record);
  }

  /**
   * The user a live API token belongs to, and the token; notes its use at most once a minute.
   * @throws {UnauthorizedError} for an unknown, revoked or expired token, or a disabled account.
   */
  async userOfToken(secret: string): Promise<{ user: IUser; token: IApiTokenRecord }> {
    const token = await this._repos.tokens.findByHash(hashApiToken(secret));
    const now = this._now();
    if (!token || (token.expiresAt !== null && token.expiresAt <= now.toISOString())) {
      throw new UnauthorizedError('The API token is unknown, revoked or expired; log in again');
    }
    const record = await this._repos.users.find(token.username);
    if (!record || record.disabled) {
      throw new UnauthorizedError(`The gallery account "${token.username}" is disabled or gone`);
    }
    if (token.lastUsedAt === null || now.getTime() - Date.parse(token.lastUsedAt) >= LAST_USED_RESOLUTION_MS) {
      await this._repos.tokens.setLastUsed(token.id, now.toISOString());
    }
    return { user: publicUser(record), token };
  }

  /** When a token made now should expire: after `days`, or after the server's default lifetime. */
  tokenExpiry(days?: number): Date {
    const lifetimeMs = days === undefined ? this._options.apiTokenTtlSeconds * 1000 : days * 86_400_000;
    return new Date(this._now().getTime() + lifetimeMs);
  }

  /**
   * Creates a token for `username`; the reply holds the secret, which is not stored and cannot be shown again. At the
   * cap of live tokens a new session token (a JupyterLab login) replaces the user's least recently used session, so
   * logging in never fails for having logged in often; a personal token is refused.
   * @throws {LimitReachedError} when `username` has `maxTokensPerUser` live tokens and no session to replace.
   */
  async createToken(
    username: string,
    name: string,
    kind: ApiTokenKind,
    expiresAt: Date | null
  ): Promise<ICreateApiTokenResponse> {
    const max = this._options.maxTokensPerUser;
    const token = newApiTokenSecret();
    const record: IApiTokenRecord = {
      id: crypto.randomBytes(9).toString('base64url'),
      username,
      name,
      kind,
      createdAt: this._now().toISOString(),
      lastUsedAt: null,
      expiresAt: expiresAt?.toISOString() ?? null
    };
    // Counting, making room and inserting are one change, so two logins at the cap cannot both slip under it.
    await this._repos.unitOfWork.transaction(async () => {
      if (max !== undefined && (await this._repos.tokens.countLive(username, this._now().toISOString())) >= max) {
        if (kind !== 'session' || !(await this._repos.tokens.deleteLeastRecentSession(username))) {
          throw new LimitReachedError(
            'tokens-per-user',
            max,
            `You have ${max} API tokens, the most this gallery allows (--max-tokens-per-user); revoke one you no ` +
              'longer use in the Gallery account dialog, then create this one again'
          );
        }
      }
      await this._repos.tokens.insert(record, hashApiToken(token));
    });
    return { ...tokenInfo(record), token };
  }

  /** `username`'s tokens, newest first (expired ones included, so they can be seen and deleted). */
  async listTokens(username: string): Promise<IApiTokenInfo[]> {
    return (await this._repos.tokens.listByUser(username)).map(tokenInfo);
  }

  /**
   * Revokes (deletes) one of `username`'s tokens.
   * @throws {TokenNotFoundError} when `username` has no token with this id.
   */
  async revokeToken(username: string, id: string): Promise<void> {
    if (!(await this._repos.tokens.delete(username, id))) {
      throw new TokenNotFoundError(id);
    }
  }

  /** Enabled usernames starting with `prefix` in any case, at most `limit`, in `IUserRepository.searchEnabled`'s order. */
  search(prefix: string, limit: number): Promise<string[]> {
    return this._repos.users.searchEnabled(prefix, limit);
  }

  /** Every account, as admins see them. */
  async listUsers(): Promise<IAdminUser[]> {
    return (await this._repos.users.list()).map(adminUser);
  }

  /**
   * Disables an account (its logins and tokens of every kind stop working at once, and its sessions end) or
   * enables it again; audited. `by` is the admin doing it, or null for the command line.
   * @throws {UserNotFoundError}
   * @throws {InvalidRequestError} when an admin tries to disable their own account.
   */
  async setDisabled(username: string, disabled: boolean, by: IUser | null): Promise<IAdminUser> {
    if (disabled && by?.username === username) {
      throw new InvalidRequestError(
        'You cannot disable your own account: this request would be your last, and no admin might be left to ' +
          'enable it again; ask another admin or use "notebook-gallery user disable" on the server'
      );
    }
    return this._repos.unitOfWork.transaction(async () => {
      if (!(await this._repos.users.setDisabled(username, disabled))) {
        throw new UserNotFoundError(username);
      }
      if (disabled) {
        await this.signOutEverywhere(username);
      }
      await this._repos.audit.record(
        by?.username ?? COMMAND_LINE_ACTOR,
        disabled ? 'user.disable' : 'user.enable',
        `user:${username}`
      );
      return adminUser((await this._repos.users.find(username)) as IUserRecord);
    });
  }
}

function publicUser(record: IUserRecord): IUser {
  return { username: record.username, isAdmin: record.isAdmin };
}

function adminUser(record: IUserRecord): IAdminUser {
  return { username: record.username, isAdmin: record.isAdmin, disabled: record.disabled, createdAt: record.createdAt };
}

function tokenInfo(record: IApiTokenRecord): IApiTokenInfo {
  return {
    id: record.id,
    name: record.name,
    kind: record.kind,
    createdAt: record.createdAt,
    lastUsedAt: record.lastUsedAt,
    expiresAt: record.expiresAt
  };
}

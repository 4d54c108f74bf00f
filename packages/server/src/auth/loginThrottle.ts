import { RateLimitedError, type IRateLimitInfo } from '../errors/RateLimitedError';
import type { IRateWindows } from './rateWindows';

/** `max` attempts per `windowSeconds`. */
type IRate = Pick<IRateLimitInfo, 'max' | 'windowSeconds'>;

/** The three login limits (config: `--login-rate-limit`, `--login-address-rate-limit`, `--login-user-rate-limit`). */
export interface ILoginLimits {
  /** Failed logins per (address, username) pair: one person mistyping, or one address guessing one user. */
  pair: IRate;
  /** Failed logins per address, whatever the usernames: one address guessing many users. */
  address: IRate;
  /** Failed logins per username from all addresses, slower: many addresses guessing one user. */
  user: IRate;
}

/** A login attempt that was let through; {@link LoginThrottle.succeeded} forgives it when the password was right. */
export interface ILoginAttempt {
  readonly address: string;
  readonly username: string | null;
}

/** Addresses remembered per username under attack; past this every further new address waits for the window. */
const MAX_ADDRESSES_PER_USER = 10_000;

/**
 * Login limits that slow an attacker, not the user (docs/admin-guide.md, "Limits and timeouts").
 *
 * Only failed attempts count: a right password costs nothing, so a class behind one NAT logging in at once is never
 * limited. Each attempt counts as failed the moment it starts (hashing takes a while, and a burst of parallel guesses
 * must not all get through before the first one fails) and is forgiven when the password turns out right. The count
 * is taken before the limit is checked, in one atomic step of the windows, so a burst cannot all read a count under
 * the limit; an attempt refused is taken back.
 *
 * - Per (address, username): the tight limit, for one address guessing one user.
 * - Per address: one address guessing many users is refused everything, as GitLab's Rack::Attack does.
 * - Per username, over a longer window: many addresses guessing one user. Unlike GitLab's account lock (and the
 *   lockout this gallery had), it never locks out the owner: past the limit each address that has not failed for
 *   this username in the window still gets one try. The owner, from their own machine, types the right password
 *   and is in; a botnet gets one guess per address per window instead of ten a minute. Gitea has no limit of its
 *   own and leaves it to fail2ban, which is per address only.
 *
 * The windows are the gallery's (auth/rateWindows.ts): in memory with SQLite, in PostgreSQL shared by every
 * replica, so a client spread over N replicas gets the same attempts as against one.
 */
export class LoginThrottle {
  constructor(
    private readonly _limits: ILoginLimits,
    private readonly _windows: IRateWindows,
    private readonly _now: () => number = Date.now
  ) {
    for (const [name, rate] of Object.entries(_limits)) {
      if (!(Number.isInteger(rate.max) && rate.max > 0 && rate.windowSeconds > 0)) {
        throw new Error(`LoginThrottle: the ${name} limit must be a positive count per positive window`);
      }
    }
  }

  /**
   * Lets an attempt by `address` at `username` (null: a registration, which counts against the address only) go
   * ahead and counts it as failed until {@link succeeded} says otherwise.
   * @throws {RateLimitedError} naming the limit that stops it, with the seconds until it lets the next one through.
   */
  async begin(address: string, username: string | null): Promise<ILoginAttempt> {
    const now = this._now();
    const user = username === null ? null : username.trim().toLowerCase();
    const counted: { key: string; member?: string }[] = [];
    try {
      await this._count(`a:${address}`, 'address', now, counted);
      if (user !== null) {
        await this._count(`p:${address}\n${user}`, 'pair', now, counted);
        const key = `u:${user}`;
        const windowMs = this._limits.user.windowSeconds * 1000;
        const before = await this._windows.read(key, windowMs, now, address);
        const after = await this._windows.add(key, windowMs, now, address);
        counted.push({ key, member: before.isMember ? undefined : address });
        if (after.count > this._limits.user.max && (before.isMember || before.members >= MAX_ADDRESSES_PER_USER)) {
          this._refuse(after.resetAt, 'user', now);
        }
      }
    } catch (error) {
      for (const { key, member } of counted) {
        await this._windows.forgive(key, now, member);
      }
      throw error;
    }
    return { address, username: user };
  }

  /** The attempt's password was right: it no longer counts against anyone. */
  async succeeded(attempt: ILoginAttempt): Promise<void> {
    const now = this._now();
    await this._windows.forgive(`a:${attempt.address}`, now);
    if (attempt.username !== null) {
      await this._windows.forgive(`p:${attempt.address}\n${attempt.username}`, now);
      await this._windows.forgive(`u:${attempt.username}`, now, attempt.address);
    }
  }

  /** Counts the attempt in `key`'s window of the `kind` limit; refuses it when that takes the window past the limit. */
  private async _count(
    key: string,
    kind: keyof ILoginLimits,
    now: number,
    counted: { key: string; member?: string }[]
  ): Promise<void> {
    const rate = this._limits[kind];
    const window = await this._windows.add(key, rate.windowSeconds * 1000, now);
    counted.push({ key });
    if (window.count > rate.max) {
      this._refuse(window.resetAt, kind, now);
    }
  }

  private _refuse(resetAt: number, kind: keyof ILoginLimits, now: number): never {
    const retryAfterSeconds = Math.max(1, Math.ceil((resetAt - now) / 1000));
    throw new RateLimitedError(Private.WHAT[kind], retryAfterSeconds, {
      ...this._limits[kind],
      ...Private.LIMITS[kind]
    });
  }
}

namespace Private {
  export const WHAT: Record<keyof ILoginLimits, string> = {
    pair: 'failed logins for this username from your address',
    address: 'failed logins from your address',
    user: 'failed logins for this username'
  };

  export const LIMITS: Record<keyof ILoginLimits, Pick<IRateLimitInfo, 'name' | 'flag'>> = {
    pair: { name: 'login', flag: '--login-rate-limit' },
    address: { name: 'login-address', flag: '--login-address-rate-limit' },
    user: { name: 'login-user', flag: '--login-user-rate-limit' }
  };
}

import { RateLimitedError, type IRateLimitInfo } from '../errors/RateLimitedError';

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

/** A fixed window's count; `addresses` (per-username windows only) are those that failed for the username in it. */
interface IWindow {
  count: number;
  resetAt: number;
  addresses?: Set<string>;
}

/** Addresses remembered per username under attack; past this every further new address waits for the window. */
const MAX_ADDRESSES_PER_USER = 10_000;

/** Windows kept before expired ones are swept, so a flood of made-up usernames cannot grow memory without end. */
const SWEEP_AT = 50_000;

/**
 * Login limits that slow an attacker, not the user (docs/admin-guide.md, "Limits and timeouts").
 *
 * Only failed attempts count: a right password costs nothing, so a class behind one NAT logging in at once is never
 * limited. Each attempt counts as failed the moment it starts (hashing takes a while, and a burst of parallel guesses
 * must not all get through before the first one fails) and is forgiven when the password turns out right.
 *
 * - Per (address, username): the tight limit, for one address guessing one user.
 * - Per address: one address guessing many users is refused everything, as GitLab's Rack::Attack does.
 * - Per username, over a longer window: many addresses guessing one user. Unlike GitLab's account lock (and the
 *   lockout this gallery had), it never locks out the owner: past the limit each address that has not failed for
 *   this username in the window still gets one try. The owner, from their own machine, types the right password
 *   and is in; a botnet gets one guess per address per window instead of ten a minute. Gitea has no limit of its
 *   own and leaves it to fail2ban, which is per address only.
 */
export class LoginThrottle {
  private readonly _windows = new Map<string, IWindow>();

  constructor(
    private readonly _limits: ILoginLimits,
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
  begin(address: string, username: string | null): ILoginAttempt {
    const now = this._now();
    const user = username === null ? null : username.trim().toLowerCase();
    const addressWindow = this._window(`a:${address}`, this._limits.address, now);
    this._refuseOver(addressWindow, this._limits.address, 'address', now);
    if (user !== null) {
      const pairWindow = this._window(`p:${address}\n${user}`, this._limits.pair, now);
      this._refuseOver(pairWindow, this._limits.pair, 'pair', now);
      const userWindow = this._window(`u:${user}`, this._limits.user, now);
      userWindow.addresses ??= new Set();
      if (
        userWindow.count >= this._limits.user.max &&
        (userWindow.addresses.has(address) || userWindow.addresses.size >= MAX_ADDRESSES_PER_USER)
      ) {
        this._refuseOver(userWindow, this._limits.user, 'user', now, true);
      }
      pairWindow.count++;
      userWindow.count++;
      userWindow.addresses.add(address);
    }
    addressWindow.count++;
    return { address, username: user };
  }

  /** The attempt's password was right: it no longer counts against anyone. */
  succeeded(attempt: ILoginAttempt): void {
    const now = this._now();
    const forgive = (key: string): IWindow | undefined => {
      const window = this._windows.get(key);
      if (window && window.resetAt > now && window.count > 0) {
        window.count--;
      }
      return window;
    };
    forgive(`a:${attempt.address}`);
    if (attempt.username !== null) {
      forgive(`p:${attempt.address}\n${attempt.username}`);
      forgive(`u:${attempt.username}`)?.addresses?.delete(attempt.address);
    }
  }

  /** The current window of `key`, a new one when the last has ended. */
  private _window(key: string, rate: IRate, now: number): IWindow {
    const known = this._windows.get(key);
    if (known && known.resetAt > now) {
      return known;
    }
    if (this._windows.size >= SWEEP_AT) {
      for (const [oldKey, window] of this._windows) {
        if (window.resetAt <= now) {
          this._windows.delete(oldKey);
        }
      }
    }
    const fresh: IWindow = { count: 0, resetAt: now + rate.windowSeconds * 1000 };
    this._windows.set(key, fresh);
    return fresh;
  }

  private _refuseOver(window: IWindow, rate: IRate, kind: keyof ILoginLimits, now: number, force = false): void {
    if (force || window.count >= rate.max) {
      const retryAfterSeconds = Math.max(1, Math.ceil((window.resetAt - now) / 1000));
      throw new RateLimitedError(Private.WHAT[kind], retryAfterSeconds, { ...rate, ...Private.LIMITS[kind] });
    }
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

/*
 * The counting windows of the login limits and the per-user write limits (auth/loginThrottle.ts,
 * plugins/writeLimitsPlugin.ts). With SQLite one process serves the gallery, so they live in its memory; with
 * PostgreSQL several replicas may, and a limit kept per replica let a client that the load balancer spreads over N
 * replicas make N times the attempts: there they live in the database (repositories/postgres/pgRateWindows.ts).
 */

/** A fixed window's count so far, when it ends (ms since the epoch), and how many members it records. */
export interface IRateWindow {
  count: number;
  resetAt: number;
  members: number;
  /** Whether the member asked about is among them. */
  isMember: boolean;
}

/** A window's count and end, as counting one more leaves them. */
export type IRateCount = Pick<IRateWindow, 'count' | 'resetAt'>;

/** The windows, by key. Every time is ms since the epoch, from the caller's clock. */
export interface IRateWindows {
  /** `key`'s running window (count 0, ending `windowMs` after `now`, when none runs); `member` asks whether it is one. */
  read(key: string, windowMs: number, now: number, member?: string): Promise<IRateWindow>;
  /**
   * Counts one more in `key`'s running window, starting one of `windowMs` when none runs, and records `member` in it;
   * returns the window as it is afterwards. Atomic, whoever else counts at the same moment.
   */
  add(key: string, windowMs: number, now: number, member?: string): Promise<IRateCount>;
  /** Counts one less in `key`'s running window, if one runs and its count is above 0, and forgets `member` in it. */
  forgive(key: string, now: number, member?: string): Promise<void>;
}

/** Windows kept before ended ones are swept, so a flood of made-up keys cannot grow memory without end. */
const SWEEP_AT = 50_000;

/** {@link IRateWindows} in this process's memory: for SQLite, whose gallery only one process serves. */
export class InProcessRateWindows implements IRateWindows {
  private readonly _windows = new Map<string, { count: number; resetAt: number; members: Set<string> }>();

  async read(key: string, windowMs: number, now: number, member?: string): Promise<IRateWindow> {
    return this._view(this._running(key, now) ?? { count: 0, resetAt: now + windowMs, members: new Set() }, member);
  }

  async add(key: string, windowMs: number, now: number, member?: string): Promise<IRateCount> {
    let window = this._running(key, now);
    if (window === undefined) {
      if (this._windows.size >= SWEEP_AT) {
        for (const [old, ended] of this._windows) {
          if (ended.resetAt <= now) {
            this._windows.delete(old);
          }
        }
      }
      window = { count: 0, resetAt: now + windowMs, members: new Set() };
      this._windows.set(key, window);
    }
    window.count++;
    if (member !== undefined) {
      window.members.add(member);
    }
    return { count: window.count, resetAt: window.resetAt };
  }

  async forgive(key: string, now: number, member?: string): Promise<void> {
    const window = this._running(key, now);
    if (window !== undefined) {
      window.count = Math.max(0, window.count - 1);
      if (member !== undefined) {
        window.members.delete(member);
      }
    }
  }

  private _running(key: string, now: number) {
    const window = this._windows.get(key);
    return window !== undefined && window.resetAt > now ? window : undefined;
  }

  private _view(window: { count: number; resetAt: number; members: Set<string> }, member?: string): IRateWindow {
    return {
      count: window.count,
      resetAt: window.resetAt,
      members: window.members.size,
      isMember: member !== undefined && window.members.has(member)
    };
  }
}

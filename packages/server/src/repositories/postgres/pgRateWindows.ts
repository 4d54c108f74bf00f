import type { PgDatabase } from '../../db/postgres/pgDatabase';
import type { IRateCount, IRateWindow, IRateWindows } from '../../auth/rateWindows';

/** Every this many windows started, ended windows (and their members) are deleted. */
const SWEEP_EVERY = 500;

/**
 * {@link IRateWindows} in PostgreSQL (migration 5), shared by every replica: each count is one upsert that either
 * starts a window or adds to the running one under its row lock, so replicas counting at once never lose a count.
 * A window's members are kept with the window's end, so those of an ended window never count for the next.
 */
export class PgRateWindows implements IRateWindows {
  private _started = 0;

  constructor(private readonly _db: PgDatabase) {}

  async read(key: string, windowMs: number, now: number, member?: string): Promise<IRateWindow> {
    const row = await this._db.queryOne<{ count: number; reset_at: string; members: number; is_member: boolean }>(
      `SELECT w.count, w.reset_at,
         (SELECT count(*)::int FROM rate_window_members m WHERE m.key = w.key AND m.reset_at = w.reset_at) AS members,
         EXISTS (SELECT 1 FROM rate_window_members m
           WHERE m.key = w.key AND m.reset_at = w.reset_at AND m.member = $3::text) AS is_member
       FROM rate_windows w WHERE w.key = $1 AND w.reset_at > $2::bigint`,
      [key, now, member ?? null]
    );
    return row === undefined
      ? { count: 0, resetAt: now + windowMs, members: 0, isMember: false }
      : { count: row.count, resetAt: Number(row.reset_at), members: row.members, isMember: row.is_member };
  }

  async add(key: string, windowMs: number, now: number, member?: string): Promise<IRateCount> {
    const window = await this._db.transaction(async () => {
      const row = (await this._db.queryOne<{ count: number; reset_at: string }>(
        `INSERT INTO rate_windows (key, count, reset_at) VALUES ($1, 1, $2::bigint + $3::bigint)
         ON CONFLICT (key) DO UPDATE SET
           count = CASE WHEN rate_windows.reset_at <= $2::bigint THEN 1 ELSE rate_windows.count + 1 END,
           reset_at = CASE WHEN rate_windows.reset_at <= $2::bigint THEN $2::bigint + $3::bigint
             ELSE rate_windows.reset_at END
         RETURNING count, reset_at`,
        [key, now, windowMs]
      ))!;
      if (member !== undefined) {
        await this._db.execute(
          'INSERT INTO rate_window_members (key, reset_at, member) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING',
          [key, row.reset_at, member]
        );
      }
      return { count: row.count, resetAt: Number(row.reset_at) };
    });
    if (window.count === 1 && ++this._started % SWEEP_EVERY === 0) {
      await this._db.execute('DELETE FROM rate_window_members WHERE reset_at <= $1', [now]);
      await this._db.execute('DELETE FROM rate_windows WHERE reset_at <= $1', [now]);
    }
    return window;
  }

  async forgive(key: string, now: number, member?: string): Promise<void> {
    await this._db.execute('UPDATE rate_windows SET count = count - 1 WHERE key = $1 AND reset_at > $2 AND count > 0', [
      key,
      now
    ]);
    if (member !== undefined) {
      await this._db.execute('DELETE FROM rate_window_members WHERE key = $1 AND member = $2', [key, member]);
    }
  }
}

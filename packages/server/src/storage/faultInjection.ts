/** The steps of a save at which the crash tests can kill the server. */
export type CrashPoint = 'after-objects' | 'after-commit-db' | 'after-ref';

/** Environment variable naming the crash point; fault injection for the crash tests only, never set it in production. */
export const CRASH_AT_ENV = 'GALLERY_TEST_CRASH_AT';

/** Kills this process with SIGKILL, like a power cut would, when `GALLERY_TEST_CRASH_AT` names `point`. */
export function crashPoint(point: CrashPoint): void {
  if (process.env[CRASH_AT_ENV] === point) {
    process.kill(process.pid, 'SIGKILL');
  }
}

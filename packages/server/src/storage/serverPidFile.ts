import * as fs from 'node:fs';
import * as path from 'node:path';
import { runningServersOn } from '../repositories/postgres/pgRunningServers';
import { DataDirectoryInUseError } from '../errors/DataDirectoryInUseError';
import { ReplicasRunningError } from '../errors/ReplicasRunningError';
import { describeDatabaseUrl } from '../repositories/postgres/pgRepositories';

/** The file in the data directory that names the process of the server running on it. */
export const SERVER_PID_FILE = 'server.pid';

/**
 * Records this process as the server of `dataDir`, so `restore` and `rebuild-index` can refuse to rewrite it.
 * @returns a function that removes the record (on a clean stop; a killed server leaves a stale one, which
 * {@link runningServer} recognises because the process is gone).
 */
export function recordServerPid(dataDir: string): () => void {
  const file = path.join(dataDir, SERVER_PID_FILE);
  fs.writeFileSync(file, `${process.pid}\n`, { mode: 0o600 });
  return () => {
    if (runningServer(dataDir) === process.pid) {
      fs.rmSync(file, { force: true });
    }
  };
}

/** The process id of a live server on `dataDir`, or null when none is recorded or the recorded one is gone. */
export function runningServer(dataDir: string): number | null {
  let pid: number;
  try {
    pid = Number.parseInt(fs.readFileSync(path.join(dataDir, SERVER_PID_FILE), 'utf8'), 10);
  } catch {
    return null;
  }
  if (!Number.isInteger(pid) || pid <= 0) {
    return null;
  }
  try {
    process.kill(pid, 0);
    return pid;
  } catch (error) {
    // EPERM: the process exists but belongs to another user, so it is alive.
    return (error as NodeJS.ErrnoException).code === 'EPERM' ? pid : null;
  }
}

/**
 * @throws {DataDirectoryInUseError} when a live server runs on `dataDir`.
 */
export function assertNoServer(dataDir: string, command: string): void {
  const pid = runningServer(dataDir);
  if (pid !== null) {
    throw new DataDirectoryInUseError(dataDir, pid, command);
  }
}

/**
 * Refuses a command that rewrites the gallery while a server serves it: with PostgreSQL any replica serving on the
 * database (wherever it runs), else a live server named in `server.pid`.
 * @throws {ReplicasRunningError} when servers serve on the PostgreSQL database at `databaseUrl`.
 * @throws {DataDirectoryInUseError} when a live server runs on `dataDir`.
 */
export async function assertNoServerOn(dataDir: string, databaseUrl: string | null, command: string): Promise<void> {
  assertNoServer(dataDir, command);
  if (databaseUrl) {
    const servers = await runningServersOn(databaseUrl);
    if (servers > 0) {
      throw new ReplicasRunningError(describeDatabaseUrl(databaseUrl), servers, command);
    }
  }
}

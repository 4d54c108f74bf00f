import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { IHealthResponse } from '@notebook-gallery/core';
import type { IDatabaseCheck } from '../repositories/databaseCheckRepository';
import { VERSION } from '../version';

/**
 * How long one check may take before it counts as failed. A database behind a dropped connection or an NFS mount
 * that stopped answering hangs rather than fails; a probe must answer within the probe's own timeout (3 s for
 * readiness in deploy/helm) with a verdict, not time out itself.
 */
export const HEALTH_CHECK_TIMEOUT_MS = 2_000;

type ICheck = IHealthResponse['checks']['database'];

/** What the checks read: the database and the data directory as the server opened it. */
export interface IServiceHealthParts {
  databaseCheck: Pick<IDatabaseCheck, 'ping'>;
  dataDir: string;
  timeoutMs?: number;
}

/**
 * The answer of `/healthz` and `/readyz`: whether the database answers a trivial query and the data directory can
 * be read and written (a small file created and removed, since a read-only or stale mount still lists its entries).
 */
export async function serviceHealth(parts: IServiceHealthParts): Promise<IHealthResponse> {
  const timeoutMs = parts.timeoutMs ?? HEALTH_CHECK_TIMEOUT_MS;
  const [database, volume] = await Promise.all([
    withTimeout(parts.databaseCheck.ping(), timeoutMs, 'the database'),
    withTimeout(probeVolume(parts.dataDir), timeoutMs, 'the data directory')
  ]);
  if (database.status === 'ok' && volume.status === 'ok') {
    return { status: 'ok', version: VERSION, checks: { database, volume } };
  }
  const failed = [
    database.status === 'failed' ? 'database' : null,
    volume.status === 'failed' ? 'data directory' : null
  ]
    .filter(name => name !== null)
    .join(' and the ');
  return {
    status: 'unavailable',
    version: VERSION,
    checks: { database, volume },
    error: 'SERVICE_UNAVAILABLE',
    message: `The gallery cannot reach the ${failed}; see checks for why. It answers again by itself once they are back.`
  };
}

async function probeVolume(dataDir: string): Promise<void> {
  await fs.promises.access(dataDir, fs.constants.R_OK | fs.constants.W_OK);
  const probe = path.join(dataDir, `.healthz-${process.pid}-${crypto.randomBytes(4).toString('hex')}`);
  await fs.promises.writeFile(probe, 'ok', { flag: 'wx', mode: 0o600 });
  await fs.promises.rm(probe, { force: true });
}

async function withTimeout(work: Promise<void>, timeoutMs: number, what: string): Promise<ICheck> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<ICheck>(resolve => {
    timer = setTimeout(
      () => resolve({ status: 'failed', message: `${what} did not answer within ${timeoutMs} ms` }),
      timeoutMs
    );
  });
  const answered = work.then(
    (): ICheck => ({ status: 'ok' }),
    (error: unknown): ICheck => ({
      status: 'failed',
      message: `${what} failed: ${error instanceof Error ? error.message : String(error)}`
    })
  );
  try {
    return await Promise.race([answered, late]);
  } finally {
    clearTimeout(timer);
  }
}

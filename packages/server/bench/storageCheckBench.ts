import { buildApp, loadConfig, openGallery } from '@notebook-gallery/server';
import { fixed, now, percentile } from './measure';

/** Milliseconds of the storage checks over one populated gallery, and /healthz in the same run for the ratio. */
export interface IStorageCheckTimes {
  notebooks: number;
  /** What the server runs before serving: quick_check, journal repair, every branch against the database. */
  startCheckMs: number;
  /** `notebook-gallery fsck` without --repair: integrity_check and every object of every revision. */
  fsckMs: number;
  healthzP50Ms: number;
}

/**
 * Times the start-up check (the median of three, on a gallery where every branch matches, as after a clean stop) and
 * one read-only fsck over the gallery in `dataDir`, which the store bench populated through the notebook service.
 */
export async function runStorageCheckBench(dataDir: string): Promise<IStorageCheckTimes> {
  const gallery = await openGallery({ dataDir, fsync: false });
  try {
    const starts: number[] = [];
    let notebooks = 0;
    for (let run = 0; run < 3; run++) {
      const start = now();
      if ((await gallery.databaseCheck.quickCheck()).length > 0) {
        throw new Error('quick_check failed on the bench gallery');
      }
      await gallery.reconcile();
      const report = await gallery.alignWithGit({ repair: true });
      starts.push(now() - start);
      notebooks = report.notebooks;
    }
    const fsckStart = now();
    const report = await gallery.checkStorage({ repair: false });
    const fsckMs = now() - fsckStart;
    if (report.remaining.length > 0) {
      throw new Error(`fsck found problems on the bench gallery: ${report.remaining[0].message}`);
    }
    starts.sort((a, b) => a - b);
    return { notebooks, startCheckMs: starts[1], fsckMs, healthzP50Ms: await healthzP50(dataDir) };
  } finally {
    await gallery.close();
  }
}

/** `GET /healthz`'s p50 in an app over `dataDir`: what bench times are given as ratios of. */
export async function healthzP50(dataDir: string): Promise<number> {
  const app = await buildApp(loadConfig({ 'data-dir': dataDir, 'log-level': 'silent' }, {}));
  try {
    const samples: number[] = [];
    for (let i = 0; i < 200; i++) {
      const start = now();
      await app.inject({ method: 'GET', url: '/healthz' });
      samples.push(now() - start);
    }
    return percentile(samples, 50);
  } finally {
    await app.close();
  }
}

/** Prints the times, with each as a multiple of a /healthz request in the same run. */
export function printStorageCheckTimes(times: IStorageCheckTimes): void {
  const ratio = (ms: number): string => `${fixed(ms / times.healthzP50Ms, 0)}x /healthz`;
  console.log(`\nStorage checks, ${times.notebooks.toLocaleString('en')} notebooks (ms)`);
  console.log(
    `  start-up check (goal < 2000)        ${fixed(times.startCheckMs, 0).padStart(8)}  ${ratio(times.startCheckMs)}`
  );
  console.log(`  fsck (read-only)                    ${fixed(times.fsckMs, 0).padStart(8)}  ${ratio(times.fsckMs)}`);
  console.log(`  /healthz p50                        ${fixed(times.healthzP50Ms, 3).padStart(8)}`);
}

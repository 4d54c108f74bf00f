import { buildApp, loadConfig } from '@notebook-gallery/server';
import { fixed } from './measure';
import { READER } from './generatedGallery';
import { measureSaves, notebook, type ILatency } from './storeBench';

/** Notebooks saved through the service before the saves are timed; the saves pick among them at random. */
const NOTEBOOKS = 50;
const SAVES = 300;

/**
 * Save latency on one backend over a generated gallery of `size` notebooks (a copy of its data directory: the saves
 * write git repositories and rows): {@link NOTEBOOKS} notebooks created through the service, then {@link SAVES} saves
 * through app.inject with fsync off and then on, as storeBench times SQLite's. `databaseUrl`: the gallery's rows in
 * that PostgreSQL database, copied from the same generated gallery.
 */
export async function runBackendSaveBench(
  dataDir: string,
  size: number,
  databaseUrl: string | null
): Promise<ILatency[]> {
  const backend = databaseUrl ? 'postgres' : 'sqlite';
  const results: ILatency[] = [];
  const ids: string[] = [];
  for (const fsync of [false, true]) {
    const app = await buildApp(
      loadConfig(
        {
          'data-dir': dataDir,
          'log-level': 'silent',
          fsync: String(fsync),
          'save-rate-limit': '1000000/1m',
          'write-rate-limit': '1000000/1m',
          ...(databaseUrl ? { 'database-url': databaseUrl } : {})
        },
        {}
      )
    );
    try {
      if (ids.length === 0) {
        const caller = { user: { username: READER, isAdmin: false }, groups: await app.gallery.groups.rolesOf(READER) };
        for (let index = 0; index < NOTEBOOKS; index++) {
          const saved = await app.notebooks.create(caller, {
            notebook: notebook(`save bench ${index}`),
            title: `Save bench ${index}`,
            visibility: 'private'
          });
          ids.push(saved.id);
        }
      }
      results.push(
        await measureSaves(
          app,
          ids,
          `save on ${backend}, ${size.toLocaleString('en')} notebooks, fsync ${fsync ? 'on' : 'off'}`,
          SAVES,
          READER
        )
      );
    } finally {
      await app.close();
    }
  }
  return results;
}

/** Prints save p50 and p99 per backend and fsync, and PostgreSQL's over SQLite's where both ran. */
export function printBackendSaves(results: ILatency[]): void {
  console.log(`\nSave latency per backend (PUT through app.inject, ${SAVES} saves over ${NOTEBOOKS} notebooks, ms)`);
  for (const r of results) {
    const queries = r.queriesPerSave === undefined ? '' : `  queries/save ${fixed(r.queriesPerSave, 1)}`;
    console.log(`  ${r.label.padEnd(48)} p50 ${fixed(r.p50).padStart(7)}  p99 ${fixed(r.p99).padStart(7)}${queries}`);
  }
  for (const fsync of ['off', 'on']) {
    const [sqlite, postgres] = ['sqlite', 'postgres'].map(backend =>
      results.find(r => r.label.startsWith(`save on ${backend},`) && r.label.endsWith(`fsync ${fsync}`))
    );
    if (sqlite && postgres) {
      console.log(
        `  postgres / sqlite, fsync ${fsync}: p50 ${fixed(postgres.p50 / sqlite.p50)}  p99 ${fixed(postgres.p99 / sqlite.p99)}`
      );
    }
  }
}

import { sqliteDatabase } from '@notebook-gallery/server';
import type { INotebook } from '@notebook-gallery/core';
import { buildApp, loadConfig, openGallery, type IGallery } from '@notebook-gallery/server';
import type { FastifyInstance } from 'fastify';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runMaintenanceBench, type IMaintenanceResult } from './maintenanceBench';
import { fixed, now, percentile } from './measure';
import { countQueries } from './queryCounter';

/** Latency percentiles in milliseconds, and for saves the SQL statements each ran (authentication included). */
export interface ILatency {
  label: string;
  p50: number;
  p99: number;
  queriesPerSave?: number;
}

const OWNER = 'bench';

/** A small notebook whose text varies with `text`. */
export function notebook(text: string): INotebook {
  return {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: {},
    cells: [
      { cell_type: 'markdown', id: 'md', metadata: {}, source: `# ${text}` },
      {
        cell_type: 'code',
        id: 'code',
        metadata: {},
        execution_count: 1,
        source: `print(${JSON.stringify(text)})`,
        outputs: []
      }
    ]
  };
}

/**
 * Save latency (PUT through app.inject: authentication, the notebook service, git, SQLite, ref) with 1,000 and then
 * `largest` notebooks in the gallery, each with fsync off and on in this same run, then the record journal's share
 * of a save and the times of `backup` and `rebuild-index` at `largest` notebooks, and revision-list latency for
 * notebooks with 10 and 1,000 revisions. The gallery is populated through the notebook service with fsync off,
 * which only changes how long that takes. `onLargest` runs on the data directory once it holds `largest` notebooks
 * (the storage check bench times the start-up check and fsck there).
 */
export async function runStoreBench(
  log: (line: string) => void,
  largest = 20_000,
  onLargest?: (dataDir: string) => Promise<void>
): Promise<{ latencies: ILatency[]; maintenance: IMaintenanceResult }> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gallery-bench-'));
  const open = (fsync: boolean): Promise<IGallery> => openGallery({ dataDir, fsync, defaultVisibility: 'public' });
  try {
    const ids: string[] = [];
    const results: ILatency[] = [];
    {
      const gallery = await open(false);
      await gallery.accounts.add(OWNER, 'bench-password');
      await gallery.close();
    }
    for (const size of [1_000, largest]) {
      const start = now();
      const gallery = await open(false);
      const caller = await callerOf(gallery);
      while (ids.length < size) {
        const saved = await gallery.notebooks.create(caller, {
          notebook: notebook(`notebook ${ids.length}`),
          title: `Notebook ${ids.length}`,
          tags: [`tag${ids.length % 50}`]
        });
        ids.push(saved.id);
      }
      await gallery.close();
      log(`  populated ${size} notebooks (${fixed((now() - start) / 1000, 1)} s)`);
      for (const fsync of [false, true]) {
        const app = await buildApp(
          loadConfig(
            // The bench saves as fast as it can as one user: far past --save-rate-limit, which is not what it measures.
            { 'data-dir': dataDir, 'log-level': 'silent', fsync: String(fsync), 'save-rate-limit': '1000000/1m' },
            {}
          )
        );
        try {
          results.push(await measureSaves(app, ids, `save, ${size} notebooks, fsync ${fsync ? 'on' : 'off'}`, 300));
        } finally {
          await app.close();
        }
      }
    }
    // The storage checks first: they only read, and the rebuild below rewrites every row.
    await onLargest?.(dataDir);
    log(`  backing up and rebuilding the index of ${largest} notebooks`);
    const maintenance = await runMaintenanceBench(dataDir, ids);
    const gallery = await open(false);
    const few = await notebookWithRevisions(gallery, ids[0], 10);
    const many = await notebookWithRevisions(gallery, ids[1], 1_000);
    log('  built notebooks with 10 and 1,000 revisions');
    results.push(await measureRevisionList(gallery, few, 'revision list, 10 revisions', 300));
    results.push(await measureRevisionList(gallery, many, 'revision list, 1,000 revisions', 300));
    await gallery.close();
    return { latencies: results, maintenance };
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

/** Prints latencies, queries per save and the ratios that show whether cost grows with the gallery or history. */
export function printLatencies(results: ILatency[]): void {
  console.log('\nLatency (ms)');
  for (const r of results) {
    const queries = r.queriesPerSave === undefined ? '' : `  queries/save ${fixed(r.queriesPerSave, 1)}`;
    console.log(`  ${r.label.padEnd(38)} p50 ${fixed(r.p50).padStart(7)}  p99 ${fixed(r.p99).padStart(7)}${queries}`);
  }
  const saves = results.filter(r => r.queriesPerSave !== undefined);
  const [small, smallSynced, large, largeSynced] = saves;
  const [list10, list1000] = results.filter(r => r.queriesPerSave === undefined);
  console.log(
    `  save (fsync off) large/1k ratio: p50 ${fixed(large.p50 / small.p50)}  p99 ${fixed(large.p99 / small.p99)}`
  );
  for (const [off, on] of [
    [small, smallSynced],
    [large, largeSynced]
  ]) {
    console.log(
      `  cost of fsync (${on.label} / fsync off): p50 ${fixed(on.p50 / off.p50)}  p99 ${fixed(on.p99 / off.p99)}`
    );
  }
  console.log(
    `  revision list 1,000/10 ratio: p50 ${fixed(list1000.p50 / list10.p50)}  p99 ${fixed(list1000.p99 / list10.p99)}`
  );
}

async function callerOf(gallery: IGallery, username = OWNER) {
  return { user: { username, isAdmin: false }, groups: await gallery.groups.rolesOf(username) };
}

/**
 * `count` saves (PUT through app.inject) of notebooks picked at random from `ids`, each on its head, as `username`;
 * on PostgreSQL without the statements per save (the counter hooks SQLite's connection).
 */
export async function measureSaves(
  app: FastifyInstance,
  ids: string[],
  label: string,
  count: number,
  username = OWNER
): Promise<ILatency> {
  const token = (await app.issueToken({ username, isAdmin: false })).token;
  const caller = await callerOf(app.gallery, username);
  const queries = app.gallery.db ? countQueries(sqliteDatabase(app.gallery)) : null;
  const samples: number[] = [];
  let statements = 0;
  for (let i = 0; i < count; i++) {
    const id = ids[Math.floor(Math.random() * ids.length)];
    const baseRevision = (await app.notebooks.get(caller, id)).revision;
    queries?.reset();
    const start = now();
    const response = await app.inject({
      method: 'PUT',
      url: `/api/notebooks/${id}`,
      headers: { authorization: `Bearer ${token}` },
      payload: { notebook: notebook(`${label} ${i} ${Math.random()}`), baseRevision }
    });
    samples.push(now() - start);
    statements += queries?.count ?? 0;
    if (response.statusCode !== 200) {
      throw new Error(`save failed: ${response.body}`);
    }
  }
  return {
    label,
    p50: percentile(samples, 50),
    p99: percentile(samples, 99),
    queriesPerSave: queries ? statements / count : undefined
  };
}

async function notebookWithRevisions(gallery: IGallery, id: string, revisions: number): Promise<string> {
  const caller = await callerOf(gallery);
  for (let n = (await gallery.notebooks.get(caller, id)).revisionNumber; n < revisions; n++) {
    await gallery.notebooks.saveRevision(caller, id, {
      notebook: notebook(`revision ${n} of ${id}`),
      baseRevision: (await gallery.notebooks.get(caller, id)).revision
    });
  }
  return id;
}

async function measureRevisionList(gallery: IGallery, id: string, label: string, count: number): Promise<ILatency> {
  const caller = await callerOf(gallery);
  const samples: number[] = [];
  for (let i = 0; i < count; i++) {
    const start = now();
    await gallery.notebooks.listRevisions(caller, id);
    samples.push(now() - start);
  }
  return { label, p50: percentile(samples, 50), p99: percentile(samples, 99) };
}

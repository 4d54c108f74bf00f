import type { FastifyInstance } from 'fastify';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { buildApp } from '../app';
import { loadConfig } from '../config';
import { prepareNotebook } from '../storage/preparedNotebook';
import { fixed, now, percentile } from './measure';

/** Latency percentiles in milliseconds. */
export interface ILatency {
  label: string;
  p50: number;
  p99: number;
}

const OWNER = 'bench';

/** A small notebook whose text varies with `text`. */
function notebook(text: string): Record<string, unknown> {
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
 * Save latency (PUT through app.inject) with 1,000 and then 20,000 notebooks in the gallery, and revision-list
 * latency for notebooks with 10 and 1,000 revisions.
 */
export async function runStoreBench(log: (line: string) => void): Promise<ILatency[]> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gallery-bench-'));
  const app = await buildApp(loadConfig({ 'data-dir': dataDir, 'log-level': 'silent' }, {}));
  try {
    await app.users.add(OWNER, 'bench-password');
    const token = app.issueToken({ username: OWNER, isAdmin: false }).token;
    const ids: string[] = [];
    const results: ILatency[] = [];
    for (const size of [1_000, 20_000]) {
      const start = now();
      while (ids.length < size) {
        const { record } = await app.notebooks.create({
          prepared: prepareNotebook(notebook(`notebook ${ids.length}`)),
          ownerKind: 'user',
          owner: OWNER,
          visibility: 'public',
          group: null,
          title: `Notebook ${ids.length}`,
          tags: [`tag${ids.length % 50}`]
        });
        ids.push(record.id);
      }
      log(`  populated ${size} notebooks (${fixed((now() - start) / 1000, 1)} s)`);
      results.push(await measureSaves(app, token, ids, `save with ${size} notebooks`, 300));
    }
    const few = await notebookWithRevisions(app, ids[0], 10);
    const many = await notebookWithRevisions(app, ids[1], 1_000);
    log('  built notebooks with 10 and 1,000 revisions');
    results.push(await measureGets(app, token, `/api/notebooks/${few}/revisions`, 'revision list, 10 revisions', 300));
    results.push(
      await measureGets(app, token, `/api/notebooks/${many}/revisions`, 'revision list, 1,000 revisions', 300)
    );
    return results;
  } finally {
    await app.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

/** Prints latencies and the ratios that show whether cost grows with the gallery or the history. */
export function printLatencies(results: ILatency[]): void {
  console.log('\nLatency (ms)');
  for (const r of results) {
    console.log(`  ${r.label.padEnd(34)} p50 ${fixed(r.p50).padStart(7)}  p99 ${fixed(r.p99).padStart(7)}`);
  }
  const [save1k, save20k, list10, list1000] = results;
  console.log(`  save 20k/1k ratio: p50 ${fixed(save20k.p50 / save1k.p50)}  p99 ${fixed(save20k.p99 / save1k.p99)}`);
  console.log(
    `  revision list 1,000/10 ratio: p50 ${fixed(list1000.p50 / list10.p50)}  p99 ${fixed(list1000.p99 / list10.p99)}`
  );
}

async function measureSaves(
  app: FastifyInstance,
  token: string,
  ids: string[],
  label: string,
  count: number
): Promise<ILatency> {
  const samples: number[] = [];
  for (let i = 0; i < count; i++) {
    const id = ids[Math.floor(Math.random() * ids.length)];
    const baseRevision = app.notebooks.get(id).headSha;
    const start = now();
    const response = await app.inject({
      method: 'PUT',
      url: `/api/notebooks/${id}`,
      headers: { authorization: `Bearer ${token}` },
      payload: { notebook: notebook(`${label} ${i} ${Math.random()}`), baseRevision }
    });
    samples.push(now() - start);
    if (response.statusCode !== 200) {
      throw new Error(`save failed: ${response.body}`);
    }
  }
  return { label, p50: percentile(samples, 50), p99: percentile(samples, 99) };
}

async function notebookWithRevisions(app: FastifyInstance, id: string, revisions: number): Promise<string> {
  for (let n = app.notebooks.get(id).revisionCount; n < revisions; n++) {
    await app.notebooks.update({
      id,
      prepared: prepareNotebook(notebook(`revision ${n} of ${id}`)),
      author: OWNER,
      baseRevision: app.notebooks.get(id).headSha
    });
  }
  return id;
}

async function measureGets(
  app: FastifyInstance,
  token: string,
  url: string,
  label: string,
  count: number
): Promise<ILatency> {
  const samples: number[] = [];
  for (let i = 0; i < count; i++) {
    const start = now();
    const response = await app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${token}` } });
    samples.push(now() - start);
    if (response.statusCode !== 200) {
      throw new Error(`GET ${url} failed: ${response.body}`);
    }
  }
  return { label, p50: percentile(samples, 50), p99: percentile(samples, 99) };
}

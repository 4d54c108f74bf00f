import type { INotebook } from '@notebook-gallery/core';
import type { ChildProcess } from 'node:child_process';
import { firstLine, peakRssMb, startBenchServer } from './httpBench';
import { fixed, now } from './measure';

/** Saves per second of one phase (one or two replicas). */
export interface IReplicaPhase {
  replicas: number;
  /** Acknowledged saves (200) per second, merged ones included. */
  savesPerSecond: number;
  /** Of the acknowledged saves, how many the server merged three-way (a stale base, another client's cell). */
  merged: number;
  /** 409s: a merge the server could not make, or a base it could not find. */
  conflicts: number;
  /** Any other answer; the first one's status and body in `firstError`. */
  errors: number;
  firstError?: string;
  /** Each replica's peak resident memory over the phase, MB. */
  peakRssMb: (number | null)[];
}

const CLIENTS = 20;
/** 15 notebooks for 20 clients: clients 0-14 each on their own, clients 15-19 on those of clients 0-4. */
const NOTEBOOKS = 15;
const SECONDS = 10;
const REQUEST_TIMEOUT_MS = 20_000;

/**
 * Saves per second with one replica, then with two replicas (two benchServer processes on the same PostgreSQL database
 * `databaseUrl` and the same data directory `dataDir`), {@link CLIENTS} clients over HTTP as one user for
 * {@link SECONDS} s each. A client reads the notebook's head and content, changes its own cell and saves with that base
 * and `merge: true`, so a client that shares its notebook with another saves on a stale base and the server merges
 * (under the per-notebook lock across replicas). With two replicas, client k talks to replica k mod 2.
 */
export async function runReplicaBench(
  dataDir: string,
  databaseUrl: string,
  log: (line: string) => void = () => undefined
): Promise<IReplicaPhase[]> {
  const servers: ChildProcess[] = [];
  try {
    const replicas: { url: string; token: string }[] = [];
    const start = async (): Promise<void> => {
      const server = startBenchServer(dataDir, databaseUrl);
      servers.push(server);
      const { port, token } = await firstLine(server.stdout!);
      replicas.push({ url: `http://127.0.0.1:${port}`, token });
      log(`  replica ${replicas.length} listening on port ${port}`);
    };
    await start();
    const ids = await createNotebooks(replicas[0]);
    log(`  created ${ids.length} notebooks`);
    const phases: IReplicaPhase[] = [];
    phases.push(await savePhase(replicas, ids, servers));
    await start();
    phases.push(await savePhase(replicas, ids, servers));
    return phases;
  } finally {
    for (const server of servers) {
      server.kill('SIGTERM');
    }
    await Promise.all(servers.map(server => new Promise(resolve => server.once('exit', resolve))));
  }
}

/** A notebook of one markdown cell per client, so clients that share a notebook change different cells. */
function cells(texts: string[]): INotebook {
  return {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: {},
    cells: texts.map((source, client) => ({ cell_type: 'markdown', id: `c${client}`, metadata: {}, source }))
  };
}

async function request(
  replica: { url: string; token: string },
  method: string,
  path: string,
  body?: unknown
): Promise<{ status: number; body: string }> {
  try {
    const response = await fetch(`${replica.url}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${replica.token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' })
      },
      body: body === undefined ? undefined : JSON.stringify(body),
      // A request the server never answers must end the phase, not hang the bench: it counts as an error.
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS)
    });
    return { status: response.status, body: await response.text() };
  } catch (error) {
    return { status: 0, body: `${method} ${path}: no answer (${String(error)})` };
  }
}

async function createNotebooks(replica: { url: string; token: string }): Promise<string[]> {
  const ids: string[] = [];
  for (let index = 0; index < NOTEBOOKS; index++) {
    const created = await request(replica, 'POST', '/api/notebooks', {
      notebook: cells(Array.from({ length: CLIENTS }, (_cell, client) => `cell of client ${client}`)),
      title: `Replica bench ${index}`,
      visibility: 'private'
    });
    if (created.status !== 201) {
      throw new Error(`creating a notebook failed: ${created.status} ${created.body}`);
    }
    ids.push((JSON.parse(created.body) as { id: string }).id);
  }
  return ids;
}

async function savePhase(
  replicas: { url: string; token: string }[],
  ids: string[],
  servers: ChildProcess[]
): Promise<IReplicaPhase> {
  const phase: IReplicaPhase = {
    replicas: replicas.length,
    savesPerSecond: 0,
    merged: 0,
    conflicts: 0,
    errors: 0,
    peakRssMb: []
  };
  let saves = 0;
  const start = now();
  const end = start + SECONDS * 1000;
  await Promise.all(
    Array.from({ length: CLIENTS }, async (_client, client) => {
      const replica = replicas[client % replicas.length];
      const id = ids[client % NOTEBOOKS];
      for (let n = 0; now() < end; n++) {
        const headReply = await request(replica, 'GET', `/api/notebooks/${id}`);
        const content =
          headReply.status === 200
            ? await request(
                replica,
                'GET',
                `/api/notebooks/${id}/content?revision=${(JSON.parse(headReply.body) as { revision: string }).revision}`
              )
            : headReply;
        if (content.status !== 200) {
          phase.errors++;
          phase.firstError ??= `${content.status} ${content.body.slice(0, 300)}`;
          continue;
        }
        const head = JSON.parse(headReply.body) as { revision: string };
        const notebook = JSON.parse(content.body) as INotebook;
        const cell = notebook.cells.find(c => c.id === `c${client}`);
        if (cell) {
          cell.source = `client ${client} save ${n}`;
        }
        const saved = await request(replica, 'PUT', `/api/notebooks/${id}`, {
          notebook,
          baseRevision: head.revision,
          merge: true
        });
        if (saved.status === 200) {
          saves++;
          if ((JSON.parse(saved.body) as { merged?: unknown }).merged) {
            phase.merged++;
          }
        } else if (saved.status === 409) {
          phase.conflicts++;
        } else {
          phase.errors++;
          phase.firstError ??= `${saved.status} ${saved.body.slice(0, 300)}`;
        }
      }
    })
  );
  phase.savesPerSecond = saves / ((now() - start) / 1000);
  phase.peakRssMb = servers.map(server => peakRssMb(server.pid));
  return phase;
}

/** Prints saves per second per phase and the figure: two replicas' saves per second over one's. */
export function printReplicaResults(phases: IReplicaPhase[]): void {
  console.log(
    `\nSaves per second on PostgreSQL, ${CLIENTS} clients (${NOTEBOOKS} notebooks: ${NOTEBOOKS} clients on their own, ` +
      `${CLIENTS - NOTEBOOKS} sharing one), ${SECONDS} s per phase; each save reads head and content, then PUTs with merge`
  );
  for (const p of phases) {
    const rss = p.peakRssMb.map(mb => (mb === null ? 'n/a' : `${fixed(mb, 0)} MB`)).join(', ');
    console.log(
      `  ${p.replicas} replica${p.replicas > 1 ? 's' : ' '}  ${fixed(p.savesPerSecond, 1).padStart(7)} saves/s` +
        `  (merged ${p.merged}, 409 ${p.conflicts}, other errors ${p.errors})  peak RSS ${rss}` +
        (p.firstError ? `\n    first error: ${p.firstError}` : '')
    );
  }
  const [one, two] = phases;
  console.log(`  two replicas / one: ${fixed(two.savesPerSecond / one.savesPerSecond)}`);
}

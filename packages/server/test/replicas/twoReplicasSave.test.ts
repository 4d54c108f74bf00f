import * as fs from 'node:fs';
import { repositoryPath } from '../../src/storage/repositoryLayout';
import { buildServer, runCli, startServer, type IServerProcess } from '../helpers/cliProcess';
import { fsck, repositoryIds } from '../helpers/git';
import { postgresCluster, POSTGRES_START_TIMEOUT_MS } from '../helpers/postgresCluster';
import { ServerClient } from '../helpers/serverClient';
import { makeDataDir, SETUP_TIMEOUT_MS } from '../helpers/testGallery';

/*
 * Two real server processes on one PostgreSQL database and one data directory, as two replicas behind a Service:
 * ten clients save to the same notebook through both at once, each from a stale base with merge: true. Every save
 * the servers acknowledge must be a revision, no revision number may be given twice, and git and the database agree.
 */

jest.setTimeout(180_000);

const CLIENTS = 10;
const SAVES_PER_CLIENT = 3;

let dataDir: string;
let url: string;
const servers: IServerProcess[] = [];

/** A notebook of one markdown cell per client, so that each client's changes merge cleanly with the others'. */
function notebook(texts: string[]): Record<string, unknown> {
  return {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: {},
    cells: texts.map((text, index) => ({ cell_type: 'markdown', id: `cell-${index}`, metadata: {}, source: [text] }))
  };
}

beforeAll(async () => {
  buildServer();
  dataDir = makeDataDir();
  url = await postgresCluster().createDatabase('replicas');
  const added = runCli(['user', 'add', 'ann', '--password', 'pw', '--data-dir', dataDir, '--database-url', url]);
  expect(added.status).toBe(0);
  // One after the other: the second also meets a migrated database, as a replica started later does.
  for (let i = 0; i < 2; i++) {
    servers.push(await startServer(dataDir, { args: ['--database-url', url] }));
  }
}, SETUP_TIMEOUT_MS + POSTGRES_START_TIMEOUT_MS);

afterAll(async () => {
  for (const server of servers) {
    if (server.child.exitCode === null && server.child.signalCode === null) {
      await server.kill('SIGTERM');
    }
  }
  if (url) {
    await postgresCluster().dropDatabase(url);
  }
  fs.rmSync(dataDir, { recursive: true, force: true });
});

it('keeps every acknowledged save of 10 clients writing one notebook through two replicas, numbered once each', async () => {
  const first = new ServerClient(() => servers[0].url, 60_000);
  await first.login('ann', 'pw');
  const initialTexts = Array.from({ length: CLIENTS }, (_, k) => `client ${k}: nothing yet`);
  const created = await first.call('POST', '/api/notebooks', { notebook: notebook(initialTexts), title: 'Busy' });
  expect(created.status).toBe(201);
  const { id, revision: firstRevision } = (await created.json()) as { id: string; revision: string };

  const acknowledged: { revision: string; revisionNumber: number }[] = [];
  const refused: string[] = [];
  await Promise.all(
    Array.from({ length: CLIENTS }, async (_, k) => {
      const client = new ServerClient(() => servers[k % 2].url, 60_000);
      client.token = first.token;
      let base = firstRevision;
      let baseTexts = initialTexts;
      for (let step = 0; step < SAVES_PER_CLIENT; step++) {
        // The base is this client's own last save (as an editor holds it): stale as soon as any other client saved
        // since. The client changes only its own cell of what it holds.
        const texts = [...baseTexts];
        texts[k] = `client ${k}: step ${step}`;
        const response = await client.call('PUT', `/api/notebooks/${id}`, {
          notebook: notebook(texts),
          baseRevision: base,
          merge: true
        });
        if (response.status !== 200) {
          refused.push(`${response.status} ${await response.text()}`);
          continue;
        }
        const saved = (await response.json()) as {
          revision: string;
          revisionNumber: number;
          notebook?: { cells: { source: string | string[] }[] };
        };
        acknowledged.push({ revision: saved.revision, revisionNumber: saved.revisionNumber });
        base = saved.revision;
        // A merged save answers with the merged notebook: what the editor holds from now on.
        baseTexts = saved.notebook ? saved.notebook.cells.map(cell => [cell.source].flat().join('')) : texts;
      }
    })
  );

  // Each client changed only its own cell, so every merge is clean and nothing is refused.
  expect(refused).toEqual([]);
  expect(acknowledged).toHaveLength(CLIENTS * SAVES_PER_CLIENT);
  const numbers = acknowledged.map(saved => saved.revisionNumber).sort((a, b) => a - b);
  expect(new Set(numbers).size).toBe(numbers.length);
  expect(numbers).toEqual(Array.from({ length: CLIENTS * SAVES_PER_CLIENT }, (_, i) => i + 2));

  // Both replicas list the same history, holding every acknowledged revision.
  for (const server of servers) {
    const reader = new ServerClient(() => server.url, 60_000);
    reader.token = first.token;
    const history = (await (await reader.call('GET', `/api/notebooks/${id}/revisions`)).json()) as {
      items: { revision: string }[];
    };
    expect(new Set(history.items.map(item => item.revision))).toEqual(
      new Set([firstRevision, ...acknowledged.map(saved => saved.revision)])
    );
  }
  // The latest revision holds every client's last change: no merge dropped another's.
  const content = (await (await first.call('GET', `/api/notebooks/${id}/content`)).json()) as {
    cells: { source: string | string[] }[];
  };
  expect(content.cells.map(cell => [cell.source].flat().join(''))).toEqual(
    initialTexts.map((_, k) => `client ${k}: step ${SAVES_PER_CLIENT - 1}`)
  );

  for (const repo of repositoryIds(dataDir)) {
    expect(fsck(repositoryPath(dataDir, repo))).toMatchObject({ status: 0 });
  }
  const check = runCli(['fsck', '--quiet', '--data-dir', dataDir, '--database-url', url]);
  expect({ status: check.status, output: `${check.stdout}${check.stderr}` }).toEqual({
    status: 0,
    output: expect.any(String)
  });
});

it('refuses maintenance that rewrites the gallery while replicas serve, found through the database, not server.pid', async () => {
  // Replicas on other machines share the data directory, so no process id is written there.
  expect(fs.existsSync(`${dataDir}/server.pid`)).toBe(false);
  const refused = runCli(['rebuild-index', '--data-dir', dataDir, '--database-url', url]);
  expect(refused.status).toBe(1);
  expect(refused.stderr).toContain('2 gallery server(s) are serving on PostgreSQL database');
  expect(refused.stderr).toContain('stop every replica before "rebuild-index"');
});

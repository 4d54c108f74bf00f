import * as fs from 'node:fs';
import { sampleNotebook } from '../helpers/fixtures';
import { buildServer, runCli, startServer, type IServerProcess, type IStartOptions } from '../helpers/cliProcess';
import { ServerClient } from '../helpers/serverClient';
import { fsck, git, repositoryIds } from '../helpers/git';
import { makeDataDir, SETUP_TIMEOUT_MS } from '../helpers/testGallery';

/*
 * Kills the real server (SIGKILL, no chance to clean up) in the middle of saves, restarts it on the same data
 * directory and checks that every acknowledged save survived and that git and SQLite agree.
 */

jest.setTimeout(120_000);

interface ISaved {
  id: string;
  revision: string;
  revisionNumber: number;
  title: string;
}

let dataDir: string;
let server: IServerProcess | undefined;
const client = new ServerClient(() => server!.url);
const call = client.call.bind(client);

beforeAll(() => {
  buildServer();
});

beforeEach(async () => {
  dataDir = makeDataDir();
  expect(runCli(['user', 'add', 'ann', '--password', 'pw', '--data-dir', dataDir]).status).toBe(0);
  server = await startServer(dataDir);
  await client.login('ann', 'pw');
}, SETUP_TIMEOUT_MS);

afterEach(async () => {
  if (server && server.child.exitCode === null && server.child.signalCode === null) {
    await server.kill('SIGKILL');
  }
  server = undefined;
  fs.rmSync(dataDir, { recursive: true, force: true });
});

async function createNotebook(title: string, text: string): Promise<ISaved> {
  const response = await call('POST', '/api/notebooks', { notebook: sampleNotebook(text), title });
  expect(response.status).toBe(201);
  return (await response.json()) as ISaved;
}

async function updateNotebook(id: string, baseRevision: string, text: string): Promise<ISaved> {
  const response = await call('PUT', `/api/notebooks/${id}`, { notebook: sampleNotebook(text), baseRevision });
  expect(response.status).toBe(200);
  return (await response.json()) as ISaved;
}

async function restart(options: IStartOptions = {}): Promise<void> {
  if (server && server.child.exitCode === null && server.child.signalCode === null) {
    await server.kill('SIGTERM');
  }
  server = await startServer(dataDir, options);
}

async function listAll(): Promise<ISaved[]> {
  const items: ISaved[] = [];
  let cursor: string | null = null;
  for (let page = 0; page < 100; page++) {
    const response = await call('GET', `/api/notebooks?limit=100${cursor ? `&cursor=${cursor}` : ''}`);
    const body = (await response.json()) as any;
    items.push(...body.items);
    cursor = body.nextCursor;
    if (!cursor) {
      break;
    }
  }
  return items;
}

/** Git and SQLite agree on every notebook, repositories pass fsck, and no repository lacks a notebook. */
async function expectConsistent(): Promise<Map<string, string[]>> {
  const notebooks = await listAll();
  expect(repositoryIds(dataDir)).toEqual(notebooks.map(nb => nb.id).sort());
  const history = new Map<string, string[]>();
  for (const notebook of notebooks) {
    const repo = `${dataDir}/repos/${notebook.id.slice(0, 2)}/${notebook.id}.git`;
    expect(git(repo, 'rev-parse', 'main')).toBe(notebook.revision);
    const gitLog = git(repo, 'log', '--format=%H', 'main').split('\n');
    const revisions = ((await (await call('GET', `/api/notebooks/${notebook.id}/revisions`)).json()) as any).items;
    expect(revisions.map((r: { revision: string }) => r.revision)).toEqual(gitLog);
    expect(revisions).toHaveLength(notebook.revisionNumber);
    const check = fsck(repo);
    expect(check).toEqual({ status: 0, output: expect.not.stringMatching(/error|corrupt|missing/i) });
    history.set(notebook.id, gitLog);
  }
  return history;
}

describe.each(['after-objects', 'after-commit-db', 'after-ref'] as const)('killed %s', point => {
  const acknowledged = point !== 'after-objects';

  it(`an update is ${acknowledged ? 'fully present' : 'fully absent'} after restart`, async () => {
    const first = await createNotebook('Survivor', 'v1');
    await restart({ crashAt: point });
    await expect(
      call('PUT', `/api/notebooks/${first.id}`, { notebook: sampleNotebook('v2'), baseRevision: first.revision })
    ).rejects.toThrow();
    expect(await server!.exited).toBe('SIGKILL');

    await restart();
    const history = await expectConsistent();
    expect(history.get(first.id)).toHaveLength(acknowledged ? 2 : 1);
    const content = (await (await call('GET', `/api/notebooks/${first.id}/content`)).json()) as any;
    expect(content.cells[0].source).toEqual([acknowledged ? 'v2' : 'v1']);
    const next = await updateNotebook(first.id, history.get(first.id)![0], 'v3');
    expect(next.revisionNumber).toBe(acknowledged ? 3 : 2);
  });

  it(`a create is ${acknowledged ? 'fully present' : 'fully absent'} after restart`, async () => {
    await restart({ crashAt: point });
    await expect(
      call('POST', '/api/notebooks', { notebook: sampleNotebook('new'), title: 'Crashed create' })
    ).rejects.toThrow();
    expect(await server!.exited).toBe('SIGKILL');

    await restart();
    await expectConsistent();
    const titles = (await listAll()).map(nb => nb.title);
    expect(titles).toEqual(acknowledged ? ['Crashed create'] : []);
    expect(repositoryIds(dataDir)).toHaveLength(acknowledged ? 1 : 0);
  });
});

describe('the production server', () => {
  it('ignores the environment variable that used to switch fault injection on', async () => {
    const first = await createNotebook('Untouchable', 'v1');
    await restart({ env: { GALLERY_TEST_CRASH_AT: 'after-commit-db' } });
    const next = await updateNotebook(first.id, first.revision, 'v2');
    expect(next.revisionNumber).toBe(2);
    expect(server!.child.exitCode).toBeNull();
    expect(server!.child.signalCode).toBeNull();
  });
});

describe('killed at a random moment under load', () => {
  it('keeps every acknowledged save, round after round', async () => {
    const target = await createNotebook('Hammered', 'start');
    let head = target.revision;
    const acknowledgedRevisions = [target.revision];
    const acknowledgedCreates: string[] = [];
    const deadline = Date.now() + 60_000;

    for (let round = 0; round < 3 && Date.now() < deadline; round++) {
      let alive = true;
      const updates = (async () => {
        for (let i = 0; i < 400 && alive; i++) {
          try {
            head = (await updateNotebook(target.id, head, `round ${round} save ${i}`)).revision;
            acknowledgedRevisions.push(head);
          } catch {
            return;
          }
        }
      })();
      const creates = (async () => {
        for (let i = 0; i < 60 && alive; i++) {
          const batch = await Promise.allSettled(
            [0, 1, 2].map(j => createNotebook(`Round ${round} batch ${i}.${j}`, `created ${round} ${i} ${j}`))
          );
          for (const result of batch) {
            if (result.status === 'fulfilled') {
              acknowledgedCreates.push(result.value.id);
            } else {
              return;
            }
          }
        }
      })();
      await new Promise(resolve => setTimeout(resolve, 300 + Math.random() * 1200));
      await server!.kill('SIGKILL');
      alive = false;
      await Promise.all([updates, creates]);

      await restart();
      const history = await expectConsistent();
      const log = history.get(target.id)!;
      expect(log.slice().reverse().slice(0, acknowledgedRevisions.length)).toEqual(acknowledgedRevisions);
      // At most one save was in flight when the server died; it may or may not have been acknowledged.
      expect(log.length - acknowledgedRevisions.length).toBeLessThanOrEqual(1);
      head = log[0];
      if (log.length > acknowledgedRevisions.length) {
        acknowledgedRevisions.push(head);
      }
      for (const id of acknowledgedCreates) {
        expect(history.has(id)).toBe(true);
      }
    }
    expect(acknowledgedRevisions.length).toBeGreaterThan(3);
  });
});

import * as fs from 'node:fs';
import * as path from 'node:path';
import { sampleNotebook } from '../helpers/fixtures';
import { buildServer, runCli, startServer, type IServerProcess } from '../helpers/cliProcess';
import { ServerClient } from '../helpers/serverClient';
import { git, repositoryIds } from '../helpers/git';
import { makeDataDir, SETUP_TIMEOUT_MS } from '../helpers/testGallery';

/*
 * The real server is killed with SIGKILL while saves run, and its SQLite write-ahead log is deleted, so the database
 * forgets what it acknowledged while git keeps the commits. At the next start the database must follow git: every
 * commit back as a revision under its own number, every created notebook back, and the next save building on git's
 * branch (never moving it back, never reusing a number).
 *
 * The promise is "no acknowledged save is lost, nothing half-written", not "exactly the acknowledged saves": a save
 * that committed and moved the branch but whose reply the kill cut off is in git, so it comes back as a revision the
 * client never counted. That is right (git holds it whole); such revisions must be complete commits of a save sent.
 */

jest.setTimeout(180_000);

interface ISaved {
  id: string;
  title: string;
  revision: string;
  revisionNumber: number;
}

let dataDir: string;
let server: IServerProcess | undefined;
const client = new ServerClient(() => server!.url);
const call = client.call.bind(client);

beforeAll(() => buildServer(), SETUP_TIMEOUT_MS);

afterEach(async () => {
  if (server && server.child.exitCode === null && server.child.signalCode === null) {
    await server.kill('SIGKILL');
  }
  server = undefined;
  fs.rmSync(dataDir, { recursive: true, force: true });
});

async function save(method: 'POST' | 'PUT', url: string, body: unknown): Promise<ISaved> {
  const response = await call(method, url, body);
  if (response.status !== 200 && response.status !== 201) {
    throw new Error(`${method} ${url}: ${response.status} ${await response.text()}`);
  }
  return (await response.json()) as ISaved;
}

function repo(id: string): string {
  return path.join(dataDir, 'repos', id.slice(0, 2), `${id}.git`);
}

it('after kill -9 and a deleted -wal, every commit in git is back, none unreachable, no number reused', async () => {
  dataDir = makeDataDir();
  expect(runCli(['user', 'add', 'ann', '--password', 'pw', '--data-dir', dataDir]).status).toBe(0);
  server = await startServer(dataDir);
  await client.login('ann', 'pw');

  const target = await save('POST', '/api/notebooks', { notebook: sampleNotebook('start'), title: 'Hammered' });
  // A clean stop checkpoints the log: the notebook's first revision is in the database file, later ones only in the log.
  await server.kill('SIGTERM');
  server = await startServer(dataDir);
  await client.login('ann', 'pw');
  // Every acknowledged revision of every notebook, with the number it was acknowledged under.
  const acknowledged = new Map<string, ISaved[]>([[target.id, [target]]]);
  const titles = new Map<string, string>([[target.id, 'Hammered']]);
  // The markdown of every save sent, acknowledged or not: a revision nobody was told about must be one of these.
  const sent = new Set<string>(['start']);
  let updates = 0;
  let creates = 0;
  let alive = true;
  const updating = (async () => {
    let head = target.revision;
    for (let i = 0; alive; i++) {
      sent.add(`save ${i}`);
      try {
        const saved = await save('PUT', `/api/notebooks/${target.id}`, {
          notebook: sampleNotebook(`save ${i}`),
          baseRevision: head
        });
        head = saved.revision;
        acknowledged.get(target.id)!.push(saved);
        updates++;
      } catch {
        return;
      }
    }
  })();
  const creating = (async () => {
    for (let i = 0; alive; i++) {
      sent.add(`created ${i}`);
      try {
        const title = `Created ${i}`;
        const saved = await save('POST', '/api/notebooks', { notebook: sampleNotebook(`created ${i}`), title });
        acknowledged.set(saved.id, [saved]);
        titles.set(saved.id, title);
        creates++;
      } catch {
        return;
      }
    }
  })();
  // Saves are running when the server dies; enough of them that the database has lost some for sure.
  while (updates < 20 || creates < 4) {
    await new Promise(resolve => setTimeout(resolve, 20));
  }
  await server.kill('SIGKILL');
  alive = false;
  await Promise.all([updating, creating]);
  const wal = path.join(dataDir, 'gallery.sqlite-wal');
  expect(fs.existsSync(wal)).toBe(true);
  fs.rmSync(wal);

  server = await startServer(dataDir);
  // The start-up check said what it recorded again and what it adopted.
  expect(server.output()).toMatch(/DATABASE_BEHIND_GIT.*recorded again from git/);
  expect(server.output()).toMatch(/ORPHAN_REPOSITORY.*adopted from its record journal, with its title/);
  await client.login('ann', 'pw');

  const gitHeads = new Map<string, string>();
  for (const id of repositoryIds(dataDir)) {
    const notebook = await call('GET', `/api/notebooks/${id}`);
    expect([id, notebook.status]).toEqual([id, 200]);
    const body = (await notebook.json()) as ISaved;
    const log = git(repo(id), 'log', '--first-parent', '--format=%H', 'main').split('\n');
    const revisions = ((await (await call('GET', `/api/notebooks/${id}/revisions`)).json()) as any).items as {
      revision: string;
      number: number;
    }[];
    // Every commit in git is a revision again, in git's order, each number once.
    expect(revisions.map(r => r.revision)).toEqual(log);
    expect(new Set(revisions.map(r => r.number)).size).toBe(revisions.length);
    expect(body.revision).toBe(log[0]);
    // Each commit, acknowledged or not, is whole: a notebook that parses, holding the markdown of a save sent.
    for (const sha of log) {
      const stored = JSON.parse(git(repo(id), 'show', `${sha}:notebook.ipynb`)) as {
        cells: { source: string | string[] }[];
      };
      const markdown = ([] as string[]).concat(stored.cells[0].source).join('');
      expect([sha, sent.has(markdown)]).toEqual([sha, true]);
    }
    if (titles.has(id)) {
      expect(body.title).toBe(titles.get(id));
    }
    gitHeads.set(id, log[0]);
  }
  for (const [id, saves] of acknowledged) {
    const reachable = new Set(git(repo(id), 'rev-list', 'main').split('\n'));
    const revisions = ((await (await call('GET', `/api/notebooks/${id}/revisions`)).json()) as any).items as {
      revision: string;
      number: number;
    }[];
    const numberOf = new Map(revisions.map(r => [r.revision, r.number]));
    for (const saved of saves) {
      // No acknowledged commit became unreachable, and each kept the number it was acknowledged under.
      expect(reachable.has(saved.revision)).toBe(true);
      expect([saved.revision, numberOf.get(saved.revision)]).toEqual([saved.revision, saved.revisionNumber]);
    }
  }

  // Recording them again did not append them to the record journal twice: each revision of the target once, every
  // acknowledged one among them; any other is a save whose reply the kill cut off, so it is in git's branch.
  const journaled = fs
    .readFileSync(path.join(repo(target.id), 'gallery-record.jsonl'), 'utf8')
    .split('\n')
    .filter(line => line !== '')
    .map(line => JSON.parse(line))
    .filter(entry => entry.op === 'notebook.addRevision')
    .map(entry => entry.revision.sha as string);
  expect(new Set(journaled).size).toBe(journaled.length);
  expect(journaled).toEqual(
    expect.arrayContaining(
      acknowledged
        .get(target.id)!
        .slice(1)
        .map(saved => saved.revision)
    )
  );
  const targetLog = git(repo(target.id), 'log', '--first-parent', '--format=%H', 'main').split('\n');
  expect(journaled.filter(sha => !targetLog.includes(sha))).toEqual([]);

  // The next save builds on git's branch: it moves forward, and its number is new.
  const head = gitHeads.get(target.id)!;
  const before = ((await (await call('GET', `/api/notebooks/${target.id}`)).json()) as ISaved).revisionNumber;
  const next = await save('PUT', `/api/notebooks/${target.id}`, {
    notebook: sampleNotebook('after the loss'),
    baseRevision: head
  });
  expect(next.revisionNumber).toBe(before + 1);
  expect(git(repo(target.id), 'rev-parse', 'main~1')).toBe(head);
  await server.kill('SIGTERM');
  server = undefined;
  expect(runCli(['fsck', '--data-dir', dataDir, '--quiet'])).toEqual(expect.objectContaining({ status: 0 }));
});

import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { buildServer, runCli, startServer } from '../helpers/cliProcess';
import { sampleNotebook } from '../helpers/fixtures';
import { ServerClient } from '../helpers/serverClient';
import {
  galleryArgs,
  makeDataDir,
  SETUP_TIMEOUT_MS,
  startTestGallery,
  type ITestGallery
} from '../helpers/testGallery';
import { buildSampleGallery, type ISampleGallery } from './sampleGallery';
import { cliInProcess as cli } from '../helpers/cliInProcess';

/*
 * An export of an import of an export is the same gallery: export the sample gallery, import the archive into an
 * empty data directory with the CLI, compare both galleries through the API, export again and compare the archives
 * file by file (only the manifest's creation time may differ). On PostgreSQL each gallery has its own database.
 */

jest.setTimeout(180_000);

let source: ITestGallery;
let target: ITestGallery | undefined;
let sample: ISampleGallery;
let workDir = '';
let targetDir = '';
let imported = { status: -1, stdout: '', stderr: '' };
/** The revision saved after the one that accepted a change request. */
let afterAccepted = '';

beforeAll(async () => {
  workDir = makeDataDir();
  source = await startTestGallery();
  // The sample accepts a change request: its merge commit (two parents, the reviewer as committer) must be written
  // again as the same commit, or every later id differs. So a revision after it and a comment anchored on that
  // revision are added here, and both must come back.
  sample = await buildSampleGallery(source);
  const head = (await source.request(sample.tokens.ann, { url: `/api/notebooks/${sample.physics}` })).json();
  const saved = await source.request(sample.tokens.ann, {
    method: 'PUT',
    url: `/api/notebooks/${sample.physics}`,
    payload: {
      notebook: sampleNotebook('Pendulum, coupled', 'g = 9.80665  # coupled'),
      baseRevision: head.revision,
      message: 'Couple two pendulums'
    }
  });
  expect(saved.statusCode).toBe(200);
  afterAccepted = saved.json().revision;
  const comment = await source.request(sample.tokens.bob, {
    method: 'POST',
    url: `/api/notebooks/${sample.physics}/comments`,
    payload: { body: 'Coupled how?', anchor: { cellId: 'code-1', revision: afterAccepted, lines: { from: 1, to: 1 } } }
  });
  expect(comment.statusCode).toBe(201);
  expect(
    await cli(['export', path.join(workDir, 'first.tar.gz'), ...(await galleryArgs(source.dataDir))])
  ).toMatchObject({
    status: 0
  });
  targetDir = path.join(workDir, 'target');
  imported = await cli([
    'import',
    path.join(workDir, 'first.tar.gz'),
    ...(await galleryArgs(targetDir)),
    '--owner',
    'ann'
  ]);
  target = await startTestGallery({}, targetDir);
}, SETUP_TIMEOUT_MS);

afterAll(async () => {
  await source?.close();
  await target?.close();
  fs.rmSync(workDir, { recursive: true, force: true });
});

/** Everything a user sees of the gallery through the API: lists, details, revisions with contents, sharing, comments, change requests. */
async function apiView(gallery: ITestGallery, token: string): Promise<Record<string, unknown>> {
  // A route the user may not use (sharing for a reader) is compared by its status and error.
  const get = async (url: string): Promise<any> => {
    const reply = await gallery.request(token, { url });
    return reply.statusCode === 200 ? reply.json() : { status: reply.statusCode, body: reply.json() };
  };
  const list = await get('/api/notebooks?sort=title');
  const notebooks: Record<string, unknown> = {};
  for (const { id } of list.items as { id: string }[]) {
    const revisions = await get(`/api/notebooks/${id}/revisions`);
    const requests = await get(`/api/notebooks/${id}/change-requests`);
    notebooks[id] = {
      detail: await get(`/api/notebooks/${id}`),
      revisions,
      contents: await Promise.all(
        (revisions.items as { revision: string }[]).map(item =>
          get(`/api/notebooks/${id}/content?revision=${item.revision}`)
        )
      ),
      sharing: await get(`/api/notebooks/${id}/sharing`),
      comments: await get(`/api/notebooks/${id}/comments`),
      changeRequests: requests,
      changeRequestDetails: await Promise.all(
        (requests.items as { id: string }[]).map(item => get(`/api/notebooks/${id}/change-requests/${item.id}`))
      )
    };
  }
  return { list, notebooks };
}

/** An API token of `username` in the target, whose accounts came without a password (so none can log in). */
async function targetToken(username: string): Promise<string> {
  return (await target!.app.accounts.createToken(username, 'round trip', 'personal', null)).token;
}

describe('export, import into an empty gallery, export again', () => {
  it('imports every notebook and says which accounts came without a password', () => {
    expect(imported.stderr).toBe('');
    expect(imported.status).toBe(0);
    expect(imported.stdout).toContain('3 accounts were created without a password');
    expect(imported.stdout).toContain('ann, bob, cat');
    expect(imported.stdout).toContain('Restored 2 change requests and 5 comments');
    expect(imported.stdout).not.toContain('not restored');
  });

  it('gives the same gallery through the API', async () => {
    const owners = await apiView(source, sample.tokens.ann);
    expect(JSON.stringify(owners)).not.toContain('"status":4');
    expect(Object.keys(owners.notebooks as object)).toEqual([sample.physics]);
    // The sample's history does have the merge, the revision after it and the comment anchored there.
    const physics = (owners.notebooks as Record<string, any>)[sample.physics];
    expect(physics.revisions.items.map((item: { revision: string }) => item.revision)[0]).toBe(afterAccepted);
    expect(physics.changeRequests.items).toContainEqual(
      expect.objectContaining({ id: sample.accepted, status: 'accepted' })
    );
    expect(JSON.stringify(physics.comments)).toContain(afterAccepted);
    for (const username of ['ann', 'bob', 'cat']) {
      expect(await apiView(target!, await targetToken(username))).toEqual(
        await apiView(source, sample.tokens[username as keyof ISampleGallery['tokens']])
      );
    }
  });

  it('exports the same archive again, but for the creation time', async () => {
    const second = path.join(workDir, 'second.tar.gz');
    expect(await cli(['export', second, ...(await galleryArgs(targetDir))])).toMatchObject({ status: 0 });
    const unpack = (file: string): string => {
      const dir = file.replace(/\.tar\.gz$/, '');
      fs.mkdirSync(dir);
      execFileSync('tar', ['-xzf', file, '-C', dir]);
      return dir;
    };
    const [a, b] = [unpack(path.join(workDir, 'first.tar.gz')), unpack(second)];
    const files = (dir: string): string[] =>
      (fs.readdirSync(dir, { recursive: true }) as string[])
        .filter(name => fs.statSync(path.join(dir, name)).isFile())
        .sort();
    expect(files(b)).toEqual(files(a));
    for (const name of files(a)) {
      const [left, right] = [fs.readFileSync(path.join(a, name)), fs.readFileSync(path.join(b, name))];
      if (name === 'manifest.json') {
        expect({ ...JSON.parse(right.toString()), createdAt: null }).toEqual({
          ...JSON.parse(left.toString()),
          createdAt: null
        });
      } else {
        expect({ name, text: right.toString('latin1') }).toEqual({ name, text: left.toString('latin1') });
      }
    }
  });

  it('gives the same gallery when the archive goes into a running server through --server', async () => {
    buildServer();
    const liveDir = path.join(workDir, 'live');
    const liveArgs = await galleryArgs(liveDir);
    expect(runCli(['user', 'add', 'root', '--admin', '--password', 'pw', ...liveArgs]).status).toBe(0);
    const server = await startServer(liveDir, { args: liveArgs });
    let live: ITestGallery | undefined;
    try {
      const client = new ServerClient(() => server.url, 30_000);
      const token = await client.login('root', 'pw');
      const result = await cli([
        'import',
        path.join(workDir, 'first.tar.gz'),
        '--owner',
        'ann',
        '--server',
        server.url,
        '--token',
        token
      ]);
      expect(result.stderr).toBe('');
      expect(result.stdout).toContain('Restored 2 change requests and 5 comments');
      expect(result.stdout).not.toContain('not restored');
      expect(result.status).toBe(0);
      await server.kill('SIGTERM');
      live = await startTestGallery({}, liveDir);
      for (const username of ['ann', 'bob', 'cat']) {
        const liveToken = (await live.app.accounts.createToken(username, 'round trip', 'personal', null)).token;
        expect(await apiView(live, liveToken)).toEqual(
          await apiView(source, sample.tokens[username as keyof ISampleGallery['tokens']])
        );
      }
    } finally {
      await server.kill('SIGTERM');
      await live?.close();
    }
  });
});

import * as fs from 'node:fs';
import * as path from 'node:path';
import { sqliteBackup } from '../../src/compositionRoot';
import { backupGallery } from '../../src/storage/galleryBackup';
import { sampleNotebook } from '../helpers/fixtures';
import { buildServer, runCli, startServer, type IServerProcess } from '../helpers/cliProcess';
import { ServerClient } from '../helpers/serverClient';
import { fsck, git, repositoryIds } from '../helpers/git';
import { callExpecting, makeDataDir, SETUP_TIMEOUT_MS, startTestGallery } from '../helpers/testGallery';
import { cliInProcess as cli } from '../helpers/cliInProcess';

/*
 * Backs up a real server while five writers save, restores the copy into a new data directory and checks that
 * every save acknowledged before the backup started is there, and that database and git agree.
 */

jest.setTimeout(180_000);

const WRITERS = 5;

let dataDir: string;
let backupDir: string;
let restoredDir: string;
let server: IServerProcess | undefined;
const client = new ServerClient(() => server!.url, 20_000);
const call = client.call.bind(client);

beforeAll(() => {
  buildServer();
}, SETUP_TIMEOUT_MS);

beforeEach(() => {
  dataDir = makeDataDir();
  backupDir = path.join(makeDataDir(), 'backup');
  restoredDir = path.join(makeDataDir(), 'restored');
});

afterEach(async () => {
  if (server && server.child.exitCode === null && server.child.signalCode === null) {
    await server.kill('SIGKILL');
  }
  server = undefined;
  for (const dir of [dataDir, path.dirname(backupDir), path.dirname(restoredDir)]) {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

/** The trashed repository of notebook `id`. */
function trashed(id: string): string {
  const name = fs.readdirSync(path.join(dataDir, 'trash')).find(entry => entry.startsWith(`${id}-`))!;
  return path.join(dataDir, 'trash', name);
}

interface IAcknowledged {
  id: string;
  revision: string;
  number: number;
}

describe('notebook-gallery backup and restore', () => {
  it('copies a running gallery consistently: every save acknowledged before the backup started comes back', async () => {
    expect(runCli(['user', 'add', 'ann', '--password', 'pw', '--data-dir', dataDir]).status).toBe(0);
    server = await startServer(dataDir);
    const token = await client.login('ann', 'pw');

    const acknowledged: IAcknowledged[] = [];
    let stop = false;
    const writer = async (index: number): Promise<void> => {
      const created = await call('POST', '/api/notebooks', {
        notebook: sampleNotebook(`w${index}`),
        title: `W${index}`
      });
      expect(created.status).toBe(201);
      const body = (await created.json()) as { id: string; revision: string };
      const id = body.id;
      let revision = body.revision;
      acknowledged.push({ id, revision, number: 1 });
      for (let number = 2; !stop; number++) {
        const saved = await call('PUT', `/api/notebooks/${id}`, {
          notebook: sampleNotebook(`w${index} save ${number}`),
          baseRevision: revision
        });
        expect(saved.status).toBe(200);
        revision = ((await saved.json()) as { revision: string }).revision;
        acknowledged.push({ id, revision, number });
      }
    };
    const writers = Array.from({ length: WRITERS }, (_, index) => writer(index));
    while (acknowledged.length < WRITERS * 4) {
      await new Promise(resolve => setTimeout(resolve, 20));
    }

    const before = [...acknowledged];
    // Between the database snapshot and the copy of the repositories, ten more saves are acknowledged: the
    // repositories are then copied with refs newer than the snapshot.
    const database = sqliteBackup(dataDir);
    const savesAfterSnapshot = {
      files: database.files,
      async snapshot(destination: string) {
        const ids = await database.snapshot(destination);
        const target = acknowledged.length + 10;
        while (acknowledged.length < target) {
          await new Promise(resolve => setTimeout(resolve, 20));
        }
        return ids;
      }
    };
    const manifest = await backupGallery(dataDir, savesAfterSnapshot, backupDir);
    stop = true;
    await Promise.all(writers);
    // fsck beside the running server: its pid file, the record journals and their marker are no findings.
    expect(fs.existsSync(path.join(dataDir, 'server.pid'))).toBe(true);
    expect(fs.existsSync(path.join(dataDir, 'record-journals-complete'))).toBe(true);
    const online = await cli(['fsck', '--quiet', '--data-dir', dataDir]);
    expect(online.stdout).toContain(`fsck: ${WRITERS} notebooks, ${WRITERS} repositories checked; 0 problems found.`);
    expect(online.status).toBe(0);
    await server.kill('SIGTERM');
    expect(manifest.notebooks).toBe(WRITERS);
    expect(fs.existsSync(path.join(backupDir, 'server.pid'))).toBe(false);

    const restored = await cli(['restore', backupDir, '--data-dir', restoredDir]);
    expect(restored.stdout).toContain(`Restored ${WRITERS} notebooks`);
    expect(restored.stdout).toMatch(/kept [1-9]\d* revisions saved while the backup ran/);
    // The restored gallery passes fsck: its record journals, journal marker and (absent) pid file are no findings.
    expect(restored.stdout).toContain(`fsck: ${WRITERS} notebooks, ${WRITERS} repositories checked; 0 problems found.`);
    expect(restored.status).toBe(0);
    expect(fs.existsSync(path.join(restoredDir, 'record-journals-complete'))).toBe(true);

    const gallery = await startTestGallery({}, restoredDir);
    try {
      const ann = callExpecting(gallery);
      const heads = new Map<string, string>();
      for (const id of new Set(before.map(save => save.id))) {
        const revisions = (await ann(token, { method: 'GET', url: `/api/notebooks/${id}/revisions` }, 200)).items as {
          revision: string;
          number: number;
        }[];
        // Numbers run 1..n with no gap or reuse, and the head the database names is git's main.
        expect(revisions.map(revision => revision.number)).toEqual(
          Array.from({ length: revisions.length }, (_, index) => revisions.length - index)
        );
        expect(git(gallery.repo(id), 'rev-parse', 'main')).toBe(revisions[0].revision);
        expect(fsck(gallery.repo(id)).status).toBe(0);
        expect(fs.readFileSync(path.join(gallery.repo(id), 'gallery-record.jsonl'), 'utf8')).toContain(
          '"op":"notebook.insert"'
        );
        heads.set(id, revisions.map(revision => `${revision.number}:${revision.revision}`).join(' '));
      }
      for (const save of before) {
        expect(heads.get(save.id)).toContain(`${save.number}:${save.revision}`);
      }
      expect(repositoryIds(restoredDir)).toEqual([...heads.keys()].sort());
    } finally {
      await gallery.close();
    }
  });

  it('copies a notebook deleted during the backup from the trash, and names a repository that is gone', async () => {
    const gallery = await startTestGallery({}, dataDir);
    try {
      const ann = await gallery.login('ann');
      const call = callExpecting(gallery);
      const create = async (title: string) =>
        (
          await call(
            ann,
            { method: 'POST', url: '/api/notebooks', payload: { notebook: sampleNotebook(title), title } },
            201
          )
        ).id as string;
      const [kept, deleted, lost] = [await create('Kept'), await create('Deleted'), await create('Lost')];
      fs.rmSync(gallery.repo(lost), { recursive: true });

      // Deleted right after the database snapshot: the snapshot still lists it, its repository is in the trash.
      const database = sqliteBackup(dataDir);
      const snapshotThenDelete = {
        files: database.files,
        async snapshot(destination: string) {
          const ids = await database.snapshot(destination);
          await call(ann, { method: 'DELETE', url: `/api/notebooks/${deleted}` }, 204);
          return ids;
        }
      };
      const manifest = await backupGallery(dataDir, snapshotThenDelete, backupDir);
      expect(manifest).toMatchObject({ notebooks: 3, missingRepositories: [lost] });
      for (const id of [kept, deleted]) {
        expect(git(path.join(backupDir, 'repos', id.slice(0, 2), `${id}.git`), 'rev-parse', 'main')).toBe(
          git(id === deleted ? trashed(id) : gallery.repo(id), 'rev-parse', 'main')
        );
      }

      // Restoring it runs fsck, which names the notebook whose repository the backup could not copy: exit 1.
      const restored = await cli(['restore', backupDir, '--data-dir', restoredDir]);
      expect(restored.stdout).toMatch(new RegExp(`REPOSITORY_MISSING  notebook ${lost} "Lost" \\(ann\\)`));
      expect(restored.stdout).toContain('fsck: 3 notebooks, 3 repositories checked; 1 problems found.');
      expect(restored.status).toBe(1);
    } finally {
      await gallery.close();
    }
  });

  it('refuses a running or non-empty data directory, and a directory that is not a backup', async () => {
    fs.mkdirSync(backupDir, { recursive: true });
    const notBackup = await cli(['restore', backupDir, '--data-dir', restoredDir]);
    expect(notBackup.status).toBe(1);
    expect(notBackup.stderr).toContain(`${backupDir} is not a complete gallery backup`);

    fs.writeFileSync(path.join(dataDir, 'server.pid'), `${process.pid}\n`);
    const running = await cli(['restore', backupDir, '--data-dir', dataDir]);
    expect(running.status).toBe(1);
    expect(running.stderr).toContain(`a gallery server (process ${process.pid}) is running on ${dataDir}`);

    fs.rmSync(path.join(dataDir, 'server.pid'));
    fs.writeFileSync(path.join(backupDir, 'backup.json'), JSON.stringify({ format: 'notebook-gallery-backup' }));
    fs.writeFileSync(path.join(dataDir, 'gallery.sqlite'), '');
    const occupied = await cli(['restore', backupDir, '--data-dir', dataDir]);
    expect(occupied.status).toBe(1);
    expect(occupied.stderr).toContain(`${dataDir} is not empty; restore writes only into an empty or new directory`);

    const intoBackup = await cli(['backup', backupDir, '--data-dir', dataDir]);
    expect(intoBackup.status).toBe(1);
    expect(intoBackup.stderr).toContain(`${backupDir} is not empty; backup writes only into an empty or new directory`);
  });
});

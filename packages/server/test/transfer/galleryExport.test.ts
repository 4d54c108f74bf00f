import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { openExportSnapshot } from '../../src/compositionRoot';
import { exportGallery } from '../../src/transfer/galleryExport';
import { sampleNotebook } from '../helpers/fixtures';
import {
  ARCHIVE_VERSION,
  checkManifest,
  type IArchiveManifest,
  type IExportedNotebook
} from '../../src/transfer/archiveFormat';
import { gallerySql } from '../helpers/backendSql';
import { postgresCluster } from '../helpers/postgresCluster';
import {
  galleryArgs,
  makeDataDir,
  SETUP_TIMEOUT_MS,
  startTestGallery,
  testDatabaseBackend,
  type ITestGallery
} from '../helpers/testGallery';
import { buildSampleGallery, type ISampleGallery } from './sampleGallery';
import { cliInProcess as cli } from '../helpers/cliInProcess';

/*
 * `notebook-gallery export` against a gallery whose server is open (the test app), on SQLite or PostgreSQL, read back with the stock tar and
 * git: the manifest, each notebook's metadata, and bundles that git verifies and clones.
 */

jest.setTimeout(120_000);

let gallery: ITestGallery;
let sample: ISampleGallery;
let workDir = '';

beforeAll(async () => {
  workDir = makeDataDir();
  gallery = await startTestGallery();
  sample = await buildSampleGallery(gallery);
}, SETUP_TIMEOUT_MS);

afterAll(async () => {
  await gallery?.close();
  fs.rmSync(workDir, { recursive: true, force: true });
});

/** Exports with `flags` into a new archive, unpacks it with the stock tar and returns the directory. */
async function exported(name: string, ...flags: string[]): Promise<{ dir: string; manifest: IArchiveManifest }> {
  const file = path.join(workDir, `${name}.tar.gz`);
  const result = await cli(['export', file, ...(await galleryArgs(gallery.dataDir)), '--json', ...flags]);
  expect(result).toMatchObject({ status: 0 });
  const dir = path.join(workDir, name);
  fs.mkdirSync(dir);
  execFileSync('tar', ['-xzf', file, '-C', dir]);
  expect(execFileSync('tar', ['-tzf', file], { encoding: 'utf8' }).split('\n')[0]).toBe('manifest.json');
  const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8')) as IArchiveManifest;
  expect(JSON.parse(result.stdout).manifest).toEqual(manifest);
  return { dir, manifest };
}

function metadataOf(dir: string, id: string): IExportedNotebook {
  return JSON.parse(fs.readFileSync(path.join(dir, 'notebooks', id, 'notebook.json'), 'utf8')) as IExportedNotebook;
}

/** `git bundle verify` (which needs a repository to check prerequisites against: an empty one here). */
function verifyBundle(bundle: string): { status: number | null; output: string } {
  const empty = path.join(workDir, 'empty.git');
  if (!fs.existsSync(empty)) {
    execFileSync('git', ['init', '--quiet', '--bare', empty]);
  }
  const result = spawnSync('git', ['--git-dir', empty, 'bundle', 'verify', bundle], { encoding: 'utf8' });
  return { status: result.status, output: result.stdout + result.stderr };
}

function bundleOf(dir: string, id: string): string {
  return path.join(dir, 'notebooks', id, 'history.bundle');
}

describe('notebook-gallery export', () => {
  it('writes a manifest and every notebook with its history, sharing, stars, comments and change requests', async () => {
    const { dir, manifest } = await exported('all');
    expect(manifest).toMatchObject({
      format: 'notebook-gallery-export',
      version: ARCHIVE_VERSION,
      filters: { owner: null, tag: null, group: null },
      counts: { notebooks: 2, changeRequests: 2, comments: 4, shares: 1, stars: 2, users: 3, groups: 1 }
    });
    expect(manifest.notebooks.map(notebook => notebook.id)).toEqual([sample.physics, sample.plain].sort());

    const physics = metadataOf(dir, sample.physics);
    expect(physics).toMatchObject({
      title: 'Pendulum',
      description: 'A swinging mass',
      tags: ['physics', 'demo'],
      visibility: 'group',
      owner: 'ann',
      group: 'lab',
      shares: [{ kind: 'user', principal: 'cat', role: 'editor' }],
      stars: [{ username: 'bob' }, { username: 'cat' }]
    });
    // Three saves and the merge of the accepted change request, in the API's numbering.
    const revisions = (await gallery.request(sample.tokens.ann, { url: `/api/notebooks/${sample.physics}/revisions` }))
      .json()
      .items.map((item: { revision: string }) => item.revision)
      .reverse();
    expect(physics.revisions.map(revision => revision.commit)).toEqual(revisions);
    expect(physics.revisions.map(revision => revision.message)).toEqual([
      'First version',
      'Now Pendulum, damped',
      'Now Pendulum, driven',
      expect.stringContaining('Use standard gravity')
    ]);
    const question = physics.comments.find(comment => comment.body === 'Which g is this?')!;
    expect(question).toMatchObject({ author: 'bob', cellId: 'code-1', lineFrom: 1, lineTo: 1, resolvedBy: 'ann' });
    expect(physics.comments.find(comment => comment.body === 'Standard gravity.')).toMatchObject({
      author: 'ann',
      parentId: question.id
    });
    expect(physics.comments.find(comment => comment.body === 'Good catch.')).toMatchObject({
      changeRequestId: sample.accepted
    });
    expect(physics.changeRequests).toEqual([
      expect.objectContaining({ id: sample.accepted, proposer: 'cat', status: 'accepted', decidedBy: 'ann' }),
      expect.objectContaining({ id: sample.open, proposer: 'bob', status: 'open', decidedBy: null })
    ]);
    expect(physics.users.map(user => user.username)).toEqual(['ann', 'bob', 'cat']);
    expect(physics.groups).toEqual([
      expect.objectContaining({ name: 'lab', members: expect.arrayContaining([{ username: 'bob', role: 'member' }]) })
    ]);
  });

  it('holds no password hash and no token', async () => {
    const { dir } = await exported('secrets');
    const text = fs.readFileSync(path.join(dir, 'notebooks', sample.physics, 'notebook.json'), 'utf8');
    const hashes = (await gallerySql<{ hash: string }>(gallery, 'SELECT password_hash AS hash FROM users')).map(
      row => row.hash
    );
    expect(hashes).toHaveLength(3);
    for (const hash of hashes) {
      expect(text).not.toContain(hash);
    }
    for (const user of metadataOf(dir, sample.physics).users) {
      expect(Object.keys(user).sort()).toEqual(['createdAt', 'email', 'username']);
    }
    for (const token of Object.values(sample.tokens)) {
      expect(text).not.toContain(token);
    }
    expect(text).not.toMatch(/password|token/i);
  });

  it('writes bundles that git verifies and clones, with the change requests as refs', async () => {
    const { dir } = await exported('bundles');
    const physics = metadataOf(dir, sample.physics);
    const bundle = bundleOf(dir, sample.physics);
    expect(verifyBundle(bundle)).toEqual({ status: 0, output: expect.stringContaining('is okay') });
    const refs = execFileSync('git', ['bundle', 'list-heads', bundle], { encoding: 'utf8' });
    expect(refs).toContain(`${physics.changeRequests[0].commit} refs/change-requests/${sample.accepted}`);
    expect(refs).toContain(`${physics.changeRequests[1].commit} refs/change-requests/${sample.open}`);

    const clone = path.join(workDir, 'clone');
    execFileSync('git', ['clone', '--quiet', bundle, clone]);
    const firstParents = execFileSync('git', ['-C', clone, 'log', '--first-parent', '--format=%H %an %s'], {
      encoding: 'utf8'
    })
      .trim()
      .split('\n')
      .reverse();
    expect(firstParents).toEqual(
      physics.revisions.map(revision => `${revision.commit} ${revision.author} ${revision.message.split('\n')[0]}`)
    );
    const text = fs.readFileSync(path.join(clone, 'notebook.ipynb'), 'utf8');
    expect(text).toContain('g = 9.80665');
    expect(spawnSync('git', ['-C', clone, 'fsck', '--strict'], { encoding: 'utf8' }).status).toBe(0);
  });

  it('exports a notebook with no comments, shares, stars or change requests as a valid entry', async () => {
    const { dir } = await exported('plain');
    expect(metadataOf(dir, sample.plain)).toMatchObject({
      owner: 'bob',
      visibility: 'private',
      shares: [],
      stars: [],
      comments: [],
      changeRequests: [],
      users: [{ username: 'bob' }],
      groups: []
    });
    expect(verifyBundle(bundleOf(dir, sample.plain))).toEqual({
      status: 0,
      output: expect.stringContaining('is okay')
    });
  });

  it.each([
    ['owner', 'bob', () => [sample.plain]],
    ['tag', 'PHYSICS', () => [sample.physics]],
    ['group', 'lab', () => [sample.physics]],
    ['tag', 'nothing-has-this', () => []]
  ])('keeps only the notebooks --%s %s selects', async (flag, value, expected) => {
    const { dir, manifest } = await exported(`filter-${flag}-${value}`, `--${flag}`, value);
    expect(manifest.filters).toMatchObject({ [flag]: value });
    expect(manifest.notebooks.map(notebook => notebook.id)).toEqual(expected());
    const entries = fs.existsSync(path.join(dir, 'notebooks')) ? fs.readdirSync(path.join(dir, 'notebooks')) : [];
    expect(entries.sort()).toEqual([...expected()].sort());
  });

  it('gives the same bytes for every file but the manifest when the gallery did not change', async () => {
    const first = await exported('same-1');
    const second = await exported('same-2');
    expect({ ...second.manifest, createdAt: null }).toEqual({ ...first.manifest, createdAt: null });
    for (const notebook of first.manifest.notebooks) {
      for (const file of Object.values(notebook.files)) {
        expect(fs.readFileSync(path.join(second.dir, file)).equals(fs.readFileSync(path.join(first.dir, file)))).toBe(
          true
        );
      }
    }
  });

  it('holds the database snapshot it read, not a save acknowledged while it writes the histories', async () => {
    const snapshot = await openExportSnapshot(gallery.config);
    const file = path.join(workDir, 'during.tar.gz');
    try {
      const filters = { owner: 'bob', tag: null, group: null };
      const rows = await snapshot.repository.readNotebooks(filters);
      const before = rows[0].revisions.map(revision => revision.commit);
      const saved = await gallery.request(sample.tokens.bob, {
        method: 'PUT',
        url: `/api/notebooks/${sample.plain}`,
        payload: { notebook: sampleNotebook('Titration, saved during the export'), baseRevision: before.at(-1) }
      });
      expect(saved.statusCode).toBe(200);
      await exportGallery({ readNotebooks: async () => rows }, gallery.dataDir, file, filters);
      const dir = path.join(workDir, 'during');
      fs.mkdirSync(dir);
      execFileSync('tar', ['-xzf', file, '-C', dir]);
      const clone = path.join(workDir, 'during-clone');
      execFileSync('git', ['clone', '--quiet', bundleOf(dir, sample.plain), clone]);
      const commits = execFileSync('git', ['-C', clone, 'log', '--format=%H'], { encoding: 'utf8' }).trim().split('\n');
      expect(commits.reverse()).toEqual(before);
      expect(commits).not.toContain(saved.json().revision);
    } finally {
      await snapshot.close();
    }
  });

  it('prints a line per notebook on stderr and a summary, without a terminal', async () => {
    const file = path.join(workDir, 'lines.tar.gz');
    const result = await cli(['export', file, ...(await galleryArgs(gallery.dataDir)), '--tag', 'physics']);
    expect(result.status).toBe(0);
    expect(result.stderr).toBe(`exported 1/1 notebooks/${sample.physics} "Pendulum": 4 revisions\n`);
    expect(result.stdout).toMatch(
      new RegExp(
        `^Exported 1 notebooks \\(4 revisions, 2 change requests, 4 comments\\) to ${file} \\(\\d+ bytes\\)\\.\\n$`
      )
    );
  });

  it('never overwrites a file', async () => {
    const file = path.join(workDir, 'existing.tar.gz');
    fs.writeFileSync(file, 'keep me');
    const result = await cli(['export', file, ...(await galleryArgs(gallery.dataDir))]);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(`${file} already exists`);
    expect(fs.readFileSync(file, 'utf8')).toBe('keep me');
  });

  it('refuses a data directory that holds no gallery, saying which', async () => {
    const empty = makeDataDir();
    try {
      const result = await cli(['export', path.join(workDir, 'none.tar.gz'), '--data-dir', empty]);
      expect(result.status).toBe(1);
      expect(result.stderr).toContain(`${empty} holds no gallery`);
      expect(fs.existsSync(path.join(workDir, 'none.tar.gz'))).toBe(false);
    } finally {
      fs.rmSync(empty, { recursive: true, force: true });
    }
  });

  if (testDatabaseBackend() === 'postgres') {
    it('refuses a PostgreSQL database that holds no gallery, saying which', async () => {
      const url = await postgresCluster().createDatabase('empty');
      try {
        const name = new URL(url).pathname.slice(1);
        const file = path.join(workDir, 'none-pg.tar.gz');
        const result = await cli(['export', file, '--data-dir', gallery.dataDir, '--database-url', url]);
        expect(result.status).toBe(1);
        expect(result.stderr).toContain(`PostgreSQL database ${name} on ${postgresCluster().dir} holds no gallery`);
        expect(fs.existsSync(file)).toBe(false);
      } finally {
        await postgresCluster().dropDatabase(url);
      }
    });
  }
});

describe('the archive manifest check', () => {
  const manifest = { format: 'notebook-gallery-export', version: ARCHIVE_VERSION, writtenBy: '9.9.9', notebooks: [] };

  it('accepts the version this gallery writes', () => {
    expect(checkManifest(manifest, 'a.tar.gz')).toEqual(manifest);
  });

  it('refuses a newer format version with what to do', () => {
    expect(() => checkManifest({ ...manifest, version: ARCHIVE_VERSION + 1 }, 'a.tar.gz')).toThrow(
      `a.tar.gz was refused, nothing was imported: it has export format version ${ARCHIVE_VERSION + 1} (written by notebook-gallery 9.9.9), but this ` +
        `gallery reads versions up to ${ARCHIVE_VERSION}; upgrade notebook-gallery to import it`
    );
  });

  it('refuses a manifest of something else', () => {
    expect(() => checkManifest({ format: 'notebook-gallery-backup' }, 'b.tar.gz')).toThrow(
      'b.tar.gz was refused, nothing was imported: it is not a notebook-gallery export'
    );
  });
});

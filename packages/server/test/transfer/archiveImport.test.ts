import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { openGallery } from '../../src/compositionRoot';
import { NbgallerySource } from '../../src/transfer/nbgallerySource';
import { DEFAULT_TAR_LIMITS, readTar, type ITarLimits } from '../../src/transfer/safeTarReader';
import { sampleNotebook } from '../helpers/fixtures';
import { addUsers, galleryState, importInto, writeTar, type TarEntry } from '../helpers/importFixtures';
import { dropTestDatabaseOf, makeDataDir, SETUP_TIMEOUT_MS, testDatabaseOf } from '../helpers/testGallery';

const UUID_A = '5bc058c7-f651-4e39-a94c-cd5676fc676c';
const UUID_B = '0e6f7d1a-2b3c-4d5e-8f90-123456789abc';
let dataDir: string;
let work: string;

beforeEach(async () => {
  dataDir = makeDataDir();
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'import-archive-'));
  await addUsers(dataDir, 'ann', 'sample_user5');
  const gallery = await openGallery({
    dataDir,
    fsync: false,
    readWorkers: 1,
    databaseUrl: await testDatabaseOf(dataDir)
  });
  await gallery.groups.create('analysts', 'ann');
  await gallery.close();
}, SETUP_TIMEOUT_MS);

afterEach(async () => {
  await dropTestDatabaseOf(dataDir);
  fs.rmSync(dataDir, { recursive: true, force: true });
  fs.rmSync(work, { recursive: true, force: true });
});

/** An nbgallery export as its AdminController#download_export writes it: notebooks first, metadata.json last. */
async function nbgalleryExport(file: string, notebooks: Record<string, unknown>): Promise<void> {
  await writeTar(file, [
    { name: `${UUID_A}.ipynb`, content: JSON.stringify(sampleNotebook('# Example')) },
    { name: `${UUID_B}.ipynb`, content: JSON.stringify(sampleNotebook('# Second')) },
    { name: 'metadata.json', content: JSON.stringify(notebooks) }
  ]);
}

const METADATA = {
  [UUID_A]: {
    updated: '2021-02-12T10:50:23.000Z',
    created: '2021-02-12T10:49:00.000Z',
    title: 'Example Notebook',
    description: 'This is an example notebook',
    uuid: UUID_A,
    public: true,
    creator: 'sample_user5',
    updater: 'sample_user5',
    owner: 'sample_user5',
    owner_type: 'User',
    tags: ['tag1', 'tag2']
  },
  [UUID_B]: {
    updated: '2021-03-01T00:00:00.000Z',
    title: 'Group notebook',
    description: 'Owned by a group',
    uuid: UUID_B,
    public: false,
    owner: 'analysts',
    owner_type: 'Group'
  }
};

describe('import an nbgallery export', () => {
  it('maps owner, group, tags, description, public flag, title and date, and is idempotent by uuid', async () => {
    const file = path.join(work, 'notebook_export.tar.gz');
    await nbgalleryExport(file, METADATA);
    const limits = DEFAULT_TAR_LIMITS;

    const report = await importInto(dataDir, new NbgallerySource(file, limits));

    expect(report.items.map(item => [item.sourceKey, item.applied, item.error])).toEqual([
      [UUID_A, 1, null],
      [UUID_B, 1, null]
    ]);
    const state = await galleryState(dataDir);
    expect(state.map(n => [n.title, n.description, n.tags, n.owner, n.visibility])).toEqual([
      ['Example Notebook', 'This is an example notebook', ['tag1', 'tag2'], 'sample_user5', 'public'],
      ['Group notebook', 'Owned by a group', [], 'analysts', 'private']
    ]);
    expect(state[0].revisions.map(r => [r.author, r.createdAt])).toEqual([
      ['sample_user5', '2021-02-12T10:50:23.000Z']
    ]);
    expect((state[0].revisions[0].content as { cells: { outputs?: unknown[] }[] }).cells[1].outputs).toEqual([]);

    // A later export of the same gallery under another file name: the same notebooks, nothing added.
    const later = path.join(work, 'renamed.tar.gz');
    fs.copyFileSync(file, later);
    const again = await importInto(dataDir, new NbgallerySource(later, limits));
    expect(again.items.map(item => [item.applied, item.skipped])).toEqual([
      [0, 1],
      [0, 1]
    ]);
    expect(await galleryState(dataDir)).toEqual(state);
  });

  it('reports an archive without metadata.json and a notebook it does not describe', async () => {
    const file = path.join(work, 'partial.tar.gz');
    await writeTar(file, [
      { name: `${UUID_A}.ipynb`, content: JSON.stringify(sampleNotebook('# A')) },
      { name: 'stray.ipynb', content: JSON.stringify(sampleNotebook('# Stray')) },
      { name: 'metadata.json', content: JSON.stringify({ [UUID_A]: METADATA[UUID_A] }) }
    ]);
    const report = await importInto(dataDir, new NbgallerySource(file, DEFAULT_TAR_LIMITS));
    expect(report.items.map(item => [item.path, item.error])).toEqual([
      [`${UUID_A}.ipynb`, null],
      ['stray.ipynb', 'metadata.json has no entry "stray"']
    ]);

    const bare = path.join(work, 'bare.tar.gz');
    await writeTar(bare, [{ name: 'x.ipynb', content: '{}' }]);
    const refused = await importInto(dataDir, new NbgallerySource(bare, DEFAULT_TAR_LIMITS));
    expect(refused.items).toEqual([
      expect.objectContaining({ path: 'metadata.json', error: expect.stringContaining('has no metadata.json') })
    ]);
  });
});

describe('hostile archives', () => {
  /** An nbgallery archive whose first entries are fine and whose `bad` entries come after, so order cannot save it. */
  async function hostile(bad: TarEntry[], options: { gzip?: boolean } = {}): Promise<string> {
    const file = path.join(work, 'hostile.tar.gz');
    await writeTar(
      file,
      [
        { name: `${UUID_A}.ipynb`, content: JSON.stringify(sampleNotebook('# A')) },
        { name: 'metadata.json', content: JSON.stringify({ [UUID_A]: METADATA[UUID_A] }) },
        ...bad
      ],
      options.gzip ?? true
    );
    return file;
  }

  async function expectRefused(file: string, message: string, limits: ITarLimits = DEFAULT_TAR_LIMITS): Promise<void> {
    await expect(importInto(dataDir, new NbgallerySource(file, limits))).rejects.toThrow(message);
    expect(await galleryState(dataDir)).toEqual([]);
  }

  it.each<[string, TarEntry, string]>([
    [
      'a path with ..',
      { name: '../escape.ipynb', content: '{}' },
      'entry "../escape.ipynb": a path that leaves the archive ("..")'
    ],
    [
      'an absolute path',
      { name: '/etc/cron.d/x.ipynb', content: '{}' },
      'entry "/etc/cron.d/x.ipynb": an absolute path'
    ],
    [
      'a symlink',
      { header: { name: 'link.ipynb', type: 'symlink', linkname: '/etc/passwd' } },
      'entry "link.ipynb": a symbolic link (to "/etc/passwd")'
    ],
    [
      'a hardlink',
      { header: { name: 'hard.ipynb', type: 'link', linkname: `${UUID_A}.ipynb` } },
      'entry "hard.ipynb": a hard link'
    ],
    ['a duplicate name', { name: `./${UUID_A}.ipynb`, content: '{}' }, `entry "./${UUID_A}.ipynb": a duplicate name`]
  ])('refuses %s, naming the entry, and imports nothing', async (_what, entry, message) => {
    await expectRefused(await hostile([entry]), message);
  });

  it('refuses a truncated archive and imports nothing', async () => {
    const file = await hostile([{ name: 'big.ipynb', content: Buffer.alloc(200_000, 'x') }], { gzip: false });
    fs.truncateSync(file, fs.statSync(file).size - 100_000);
    await expectRefused(file, 'the archive is truncated');
  });

  it('stops a gzip bomb as it inflates, and imports nothing', async () => {
    const file = await hostile([{ name: 'zeros.ipynb', content: Buffer.alloc(64 * 1024 * 1024) }]);
    expect(fs.statSync(file).size).toBeLessThan(1024 * 1024);
    await expectRefused(file, 'more than 16.0 MiB once unpacked', {
      ...DEFAULT_TAR_LIMITS,
      maxEntryBytes: 128 * 1024 * 1024,
      maxTotalBytes: 16 * 1024 * 1024
    });
  });

  it('refuses a file over the notebook size limit', async () => {
    const file = await hostile([{ name: 'zeros.ipynb', content: Buffer.alloc(2 * 1024 * 1024) }]);
    await expectRefused(file, 'entry "zeros.ipynb": 2.0 MiB, over the 1.0 MiB limit for one file', {
      ...DEFAULT_TAR_LIMITS,
      maxEntryBytes: 1024 * 1024
    });
  });

  it(
    'refuses 100,000 entries and imports nothing',
    async () => {
      const many = function* (): Generator<TarEntry> {
        for (let i = 0; i < 100_000; i++) {
          yield { name: `n${i}.ipynb`, content: '' };
        }
      };
      const file = path.join(work, 'many.tar.gz');
      await writeTar(file, [
        { name: 'metadata.json', content: '{}' },
        { name: `${UUID_A}.ipynb`, content: JSON.stringify(sampleNotebook('# A')) },
        ...many()
      ]);
      await expectRefused(file, 'more than 50000 entries');
    },
    // Writing and then reading 100,000 tar entries took over a minute on the 2-core machine under load.
    3 * SETUP_TIMEOUT_MS
  );

  it('yields nothing from readTar before the whole archive is checked', async () => {
    const file = await hostile([{ name: '../late.ipynb', content: '{}' }]);
    const seen: string[] = [];
    await expect(
      (async () => {
        for await (const entry of readTar(file)) {
          seen.push(entry.name);
        }
      })()
    ).rejects.toThrow('hostile.tar.gz was refused, nothing was imported');
    expect(seen).toEqual([]);
  });
});

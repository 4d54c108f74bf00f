import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { openGallery, sqliteDatabase } from '../../src/compositionRoot';
import { PgDatabase } from '../../src/db/postgres/pgDatabase';
import { readRevisionChain, gitIo } from '../../src/storage/gitRepository';
import { repositoryPath } from '../../src/storage/repositoryLayout';
import { GitSource } from '../../src/transfer/gitSource';
import { sampleNotebook } from '../helpers/fixtures';
import { addUsers, galleryState, importInto, makeGitRepository } from '../helpers/importFixtures';
import { runSql } from '../helpers/backendSql';
import type { IBackendDatabase } from '../helpers/repositoryBackends';
import { dropTestDatabaseOf, makeDataDir, SETUP_TIMEOUT_MS, testDatabaseOf } from '../helpers/testGallery';

const LIMIT = 50 * 1024 * 1024;
const ADA = { name: 'Ada Lovelace', email: 'ada@example.org' };
const BOB = { name: 'Bob', email: 'bob@example.org' };
const T0 = 1_600_000_000;
let dataDir: string;
let work: string;

/** A notebook whose text is long enough that a small edit keeps it "near-same". */
function notebook(title: string, code = 'x = 1'): string {
  const text = [`# ${title}`, ...Array.from({ length: 20 }, (_, i) => `line ${i} of the explanation`)].join('\n');
  return JSON.stringify(sampleNotebook(text, code), null, 1);
}

beforeEach(async () => {
  dataDir = makeDataDir();
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'import-git-'));
  await addUsers(dataDir, 'ann', 'ada');
}, SETUP_TIMEOUT_MS);

afterEach(async () => {
  await dropTestDatabaseOf(dataDir);
  fs.rmSync(dataDir, { recursive: true, force: true });
  fs.rmSync(work, { recursive: true, force: true });
});

describe('import from a git repository', () => {
  it('replays each notebook’s history in commit order, with authors, dates, renames and deletions', async () => {
    const repo = await makeGitRepository(work);
    await repo.commit(ADA, T0, 'Add analysis', { 'analysis.ipynb': notebook('Analysis') });
    await repo.commit(BOB, T0 + 60, 'Add scratch and tune analysis', {
      'scratch.ipynb': notebook('Scratch'),
      'analysis.ipynb': notebook('Analysis', 'x = 2')
    });
    // Same blob under a new name, then a rename with an edit: one notebook, one history.
    await repo.commit(ADA, T0 + 120, 'Move analysis', {
      'analysis.ipynb': null,
      'reports/analysis.ipynb': notebook('Analysis', 'x = 2')
    });
    await repo.commit(ADA, T0 + 180, 'Rename and edit', {
      'reports/analysis.ipynb': null,
      'reports/final.ipynb': notebook('Analysis', 'x = 3')
    });
    await repo.commit(BOB, T0 + 240, 'Remove scratch', { 'scratch.ipynb': null });
    await repo.commit(BOB, T0 + 300, 'A commit that touches no notebook', { 'README.md': 'hello' });

    const report = await importInto(dataDir, new GitSource(work, LIMIT), {
      authorMap: new Map([
        ['ada@example.org', 'ada'],
        ['Bob', 'ann']
      ])
    });

    expect(report.items.map(item => [item.sourceKey, item.path, item.applied, item.error])).toEqual([
      ['analysis.ipynb', 'reports/final.ipynb', 3, null],
      ['scratch.ipynb', 'scratch.ipynb', 1, null]
    ]);
    const [analysis, scratch] = await galleryState(dataDir);
    expect(analysis).toMatchObject({ title: 'Analysis', tags: ['reports'], visibility: 'private' });
    expect(analysis.revisions.map(r => [r.number, r.author, r.message, r.createdAt])).toEqual([
      [1, 'ada', 'Add analysis', new Date(T0 * 1000).toISOString()],
      [2, 'ann', 'Add scratch and tune analysis', new Date((T0 + 60) * 1000).toISOString()],
      [3, 'ada', 'Rename and edit', new Date((T0 + 180) * 1000).toISOString()]
    ]);
    expect(
      analysis.revisions.map(r => [(r.content as { cells: { source: string[] }[] }).cells[1].source].flat().join(''))
    ).toEqual(['x = 1', 'x = 2', 'x = 3']);
    // Deleted in the source: its history up to the deletion, private.
    expect(scratch).toMatchObject({ title: 'Scratch', visibility: 'private' });
    expect(scratch.revisions.map(r => r.author)).toEqual(['ann']);

    // The gallery's commits carry the source's own names, emails and dates.
    const url = await testDatabaseOf(dataDir);
    const gallery = await openGallery({ dataDir, fsync: false, readWorkers: 1, databaseUrl: url });
    const pg = url === null ? null : PgDatabase.connect(url, { maxConnections: 1 });
    const database: IBackendDatabase =
      url === null || pg === null
        ? { backend: 'sqlite', sqlite: sqliteDatabase(gallery), close: async () => undefined }
        : { backend: 'postgres', pg, url, close: () => pg.close() };
    const [{ id }] = await runSql<{ id: string }>(database, "SELECT id FROM notebooks WHERE title = 'Analysis'");
    await database.close();
    await gallery.close();
    const chain = await readRevisionChain(gitIo({ fsync: false }), repositoryPath(dataDir, id));
    expect(chain.map(commit => [commit.author, commit.timestamp])).toEqual([
      ['Ada Lovelace', T0],
      ['Bob', T0 + 60],
      ['Ada Lovelace', T0 + 180]
    ]);
  });

  it('makes published notebooks private once deleted, keeps the rest as the flags say, and adds nothing on a re-run', async () => {
    const repo = await makeGitRepository(work);
    await repo.commit(ADA, T0, 'Two notebooks', { 'keep.ipynb': notebook('Keep'), 'gone.ipynb': notebook('Gone') });
    await repo.commit(ADA, T0 + 1, 'Drop one', { 'gone.ipynb': null });

    await importInto(dataDir, new GitSource(work, LIMIT), { visibility: 'public' });
    const first = await galleryState(dataDir);
    expect(first.map(notebook => [notebook.title, notebook.visibility])).toEqual([
      ['Gone', 'private'],
      ['Keep', 'public']
    ]);

    const again = await importInto(dataDir, new GitSource(work, LIMIT), { visibility: 'public' });
    expect(again.items.every(item => item.applied === 0 && item.skipped === 1)).toBe(true);
    expect(await galleryState(dataDir)).toEqual(first);
  });

  it('reports a revision that is not a notebook and imports the others of its history', async () => {
    const repo = await makeGitRepository(work);
    await repo.commit(ADA, T0, 'Good', { 'n.ipynb': notebook('N') });
    const broken = await repo.commit(ADA, T0 + 1, 'Broken', { 'n.ipynb': '{ not json' });
    await repo.commit(ADA, T0 + 2, 'Fixed', { 'n.ipynb': notebook('N', 'y = 1') });

    const report = await importInto(dataDir, new GitSource(work, LIMIT));

    expect(report.items.map(item => [item.path, item.applied, item.error])).toEqual([
      [`n.ipynb (commit ${broken.slice(0, 7)})`, 0, expect.stringMatching(/^not JSON/)],
      ['n.ipynb', 2, null]
    ]);
  });
});

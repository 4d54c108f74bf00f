import { PgDatabase } from '../../src/db/postgres/pgDatabase';
import { cliInProcess } from '../helpers/cliInProcess';
import { postgresCluster, POSTGRES_START_TIMEOUT_MS } from '../helpers/postgresCluster';
import { startTestGallery, SETUP_TIMEOUT_MS, type ITestGallery } from '../helpers/testGallery';
import { buildSampleGallery } from '../transfer/sampleGallery';

describe('notebook-gallery migrate-to-postgres', () => {
  let gallery: ITestGallery;
  let url: string;

  beforeAll(async () => {
    gallery = await startTestGallery();
    await buildSampleGallery(gallery);
    await gallery.app.close();
    url = await postgresCluster().createDatabase('migratecli');
  }, SETUP_TIMEOUT_MS + POSTGRES_START_TIMEOUT_MS);

  afterAll(async () => {
    if (url) {
      await postgresCluster().dropDatabase(url);
    }
    await gallery?.close();
  });

  it('creates the tables, copies the gallery with progress and a summary, and a second run adds nothing', async () => {
    const first = await cliInProcess(['migrate-to-postgres', '--data-dir', gallery.dataDir, '--database-url', url]);
    expect(first).toEqual({ status: 0, stdout: expect.any(String), stderr: expect.any(String) });
    expect(first.stderr).toContain('PostgreSQL schema: version 0 -> ');
    expect(first.stderr).toContain('copying notebooks: 2 rows');
    expect(first.stdout).toMatch(
      /^Copied (\d+) of \1 rows into PostgreSQL \(0 were there already\): 3 users, 2 notebooks, \d+ revisions, 4 comments, 2 change requests\.$/m
    );
    expect(first.stdout).toContain('2 notebooks will be indexed for search');

    const pg = PgDatabase.connect(url);
    try {
      expect(await pg.query('SELECT username FROM users ORDER BY username COLLATE "C"')).toEqual([
        { username: 'ann' },
        { username: 'bob' },
        { username: 'cat' }
      ]);
    } finally {
      await pg.close();
    }

    const second = await cliInProcess(['migrate-to-postgres', '--data-dir', gallery.dataDir, '--database-url', url]);
    expect(second.status).toBe(0);
    expect(second.stderr).not.toContain('PostgreSQL schema');
    expect(second.stdout).toMatch(/^Copied 0 of (\d+) rows into PostgreSQL \(\1 were there already\)/m);
    expect(second.stdout).toContain('No new notebooks to index for search.');
  });

  it('says what is missing or wrong before touching anything', async () => {
    const missing = await cliInProcess(['migrate-to-postgres', '--data-dir', gallery.dataDir]);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain('--database-url (or GALLERY_DATABASE_URL) names the PostgreSQL database');
    const wrong = await cliInProcess([
      'migrate-to-postgres',
      '--data-dir',
      gallery.dataDir,
      '--database-url',
      'mysql://u:pw@h/db'
    ]);
    expect(wrong.status).toBe(2);
    expect(wrong.stderr).toContain('only PostgreSQL is supported');
    expect(wrong.stderr).not.toContain('pw@');
  });
});

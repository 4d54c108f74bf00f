import * as fs from 'node:fs';
import { PgDatabase } from '../../src/db/postgres/pgDatabase';
import { buildServer, runCli, startServer } from '../helpers/cliProcess';
import { postgresCluster, POSTGRES_START_TIMEOUT_MS } from '../helpers/postgresCluster';
import { makeDataDir, SETUP_TIMEOUT_MS } from '../helpers/testGallery';

/*
 * A replica of an older version started against a database a newer replica already migrated (a rolling upgrade
 * half done, or a rollback of the image) must not touch it: it refuses to start and says what to do.
 */

jest.setTimeout(120_000);

let dataDir: string;
let url: string;

beforeAll(async () => {
  buildServer();
  dataDir = makeDataDir();
  url = await postgresCluster().createDatabase('newer');
}, SETUP_TIMEOUT_MS + POSTGRES_START_TIMEOUT_MS);

afterAll(async () => {
  if (url) {
    await postgresCluster().dropDatabase(url);
  }
  fs.rmSync(dataDir, { recursive: true, force: true });
});

it('refuses to start against a database migrated by a newer version, saying which versions and what to do', async () => {
  // Migrated by this version first (as the replicas already running did), then "upgraded" by a newer one.
  expect(runCli(['user', 'add', 'ann', '--password', 'pw', '--data-dir', dataDir, '--database-url', url]).status).toBe(
    0
  );
  const db = PgDatabase.connect(url);
  let known: number;
  try {
    known = (await db.queryOne<{ v: number }>('SELECT max(version) AS v FROM gallery_schema'))!.v;
    await db.execute('INSERT INTO gallery_schema (version, name, applied_at) VALUES ($1, $2, $3)', [
      known + 1,
      'from a newer gallery',
      new Date().toISOString()
    ]);
  } finally {
    await db.close();
  }

  const refused = startServer(dataDir, { args: ['--database-url', url] });
  await expect(refused).rejects.toThrow(/server exited \(1\) before listening/);
  const message = ((await refused.catch((error: Error) => error)) as Error).message;
  expect(message).toContain(`has schema version ${known + 1}, but this notebook-gallery only knows up to ${known}`);
  expect(message).toContain('Upgrade this server to that version');
  expect(message).toContain('notebook-gallery serve: PostgreSQL database');
  expect(message).not.toMatch(/\n\s+at |SchemaTooNewError/);
});

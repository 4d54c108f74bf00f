import { cliInProcess } from '../helpers/cliInProcess';
import { postgresCluster, POSTGRES_START_TIMEOUT_MS } from '../helpers/postgresCluster';
import { SETUP_TIMEOUT_MS, startTestGallery, type ITestGallery } from '../helpers/testGallery';
import { buildSampleGallery, type ISampleGallery } from '../transfer/sampleGallery';

/*
 * A SQLite gallery with history, groups, shares, stars, comments and change requests, moved to PostgreSQL with
 * `migrate-to-postgres` on the same data directory: every user reads the same through the API before and after.
 */

jest.setTimeout(180_000);

let sqlite: ITestGallery | undefined;
let postgres: ITestGallery | undefined;
let url: string;

afterAll(async () => {
  await sqlite?.app.close();
  await postgres?.close();
  if (url) {
    await postgresCluster().dropDatabase(url);
  }
});

/** What each user reads of the sample gallery, by request, with the status. */
async function readings(gallery: ITestGallery, sample: ISampleGallery): Promise<Record<string, unknown>> {
  const urls = ['/api/notebooks', '/api/groups', '/api/auth/me'];
  for (const id of [sample.physics, sample.plain]) {
    urls.push(
      `/api/notebooks/${id}`,
      `/api/notebooks/${id}/revisions`,
      `/api/notebooks/${id}/content`,
      `/api/notebooks/${id}/comments`,
      `/api/notebooks/${id}/change-requests`
    );
  }
  for (const request of [sample.accepted, sample.open]) {
    urls.push(`/api/notebooks/${sample.physics}/change-requests/${request}`);
  }
  const read: Record<string, unknown> = {};
  for (const [user, token] of Object.entries(sample.tokens)) {
    for (const url of urls) {
      const reply = await gallery.request(token, { method: 'GET', url });
      read[`${user} GET ${url}`] = { status: reply.statusCode, body: reply.json() };
    }
  }
  return read;
}

it(
  'reads the same for every user before (SQLite) and after migrate-to-postgres (PostgreSQL)',
  async () => {
    sqlite = await startTestGallery();
    const sample = await buildSampleGallery(sqlite);
    const before = await readings(sqlite, sample);
    const dataDir = sqlite.dataDir;
    await sqlite.app.close();
    sqlite = undefined;

    url = await postgresCluster().createDatabase('migrated');
    const migrated = await cliInProcess(['migrate-to-postgres', '--data-dir', dataDir, '--database-url', url]);
    expect(migrated).toEqual({ status: 0, stdout: expect.any(String), stderr: expect.any(String) });

    postgres = await startTestGallery({ 'database-url': url }, dataDir);
    const after = await readings(postgres, sample);
    // Something to compare: the sample's notebooks, shares and requests are all there to be read.
    expect(Object.values(before).filter(read => (read as { status: number }).status === 200).length).toBeGreaterThan(
      20
    );
    expect(after).toEqual(before);
  },
  SETUP_TIMEOUT_MS + POSTGRES_START_TIMEOUT_MS
);

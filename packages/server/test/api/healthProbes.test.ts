import * as fs from 'node:fs';
import pg from 'pg';
import { postgresCluster, POSTGRES_START_TIMEOUT_MS } from '../helpers/postgresCluster';
import { SETUP_TIMEOUT_MS, startTestGallery, type ITestGallery } from '../helpers/testGallery';

/*
 * /healthz and /readyz answer for the database and the data directory, 503 naming what failed; /livez answers as long
 * as the process does, so Kubernetes never restarts a replica for an outage a restart cannot fix.
 */

async function probe(gallery: ITestGallery, url: string): Promise<{ status: number; body: any }> {
  const response = await gallery.app.inject({ method: 'GET', url });
  return { status: response.statusCode, body: response.json() };
}

describe('the data directory', () => {
  let gallery: ITestGallery;

  beforeEach(async () => {
    gallery = await startTestGallery();
  }, SETUP_TIMEOUT_MS);

  afterEach(async () => {
    await gallery.close();
  });

  it('answers 503 on /healthz and /readyz while the data directory is gone, 200 again once it is back', async () => {
    expect((await probe(gallery, '/readyz')).status).toBe(200);
    const away = `${gallery.dataDir}-away`;
    fs.renameSync(gallery.dataDir, away);
    try {
      for (const url of ['/healthz', '/readyz']) {
        const { status, body } = await probe(gallery, url);
        expect({ url, status }).toEqual({ url, status: 503 });
        expect(body).toMatchObject({
          status: 'unavailable',
          error: 'SERVICE_UNAVAILABLE',
          message: expect.stringContaining('data directory'),
          checks: { database: { status: 'ok' }, volume: { status: 'failed', message: expect.any(String) } }
        });
      }
      expect(await probe(gallery, '/livez')).toMatchObject({ status: 200, body: { status: 'ok' } });
    } finally {
      fs.renameSync(away, gallery.dataDir);
    }
    expect(await probe(gallery, '/healthz')).toMatchObject({ status: 200, body: { status: 'ok' } });
  });
});

describe('the PostgreSQL database', () => {
  let gallery: ITestGallery;
  let url: string;

  async function allowConnections(allow: boolean): Promise<void> {
    const name = new URL(url).pathname.slice(1);
    const admin = new pg.Client({ connectionString: postgresCluster().url('postgres') });
    await admin.connect();
    try {
      await admin.query(`ALTER DATABASE ${name} WITH ALLOW_CONNECTIONS ${allow}`);
      if (!allow) {
        await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1', [name]);
      }
    } finally {
      await admin.end();
    }
  }

  beforeEach(
    async () => {
      url = await postgresCluster().createDatabase('probes');
      gallery = await startTestGallery({ 'database-url': url });
    },
    Math.max(SETUP_TIMEOUT_MS, POSTGRES_START_TIMEOUT_MS)
  );

  afterEach(async () => {
    await allowConnections(true);
    await gallery.close();
    await postgresCluster().dropDatabase(url);
  });

  it('answers 503 on /healthz and /readyz while the database refuses connections, and /livez stays 200', async () => {
    expect((await probe(gallery, '/healthz')).status).toBe(200);
    await allowConnections(false);
    for (const path of ['/healthz', '/readyz']) {
      const { status, body } = await probe(gallery, path);
      expect({ path, status }).toEqual({ path, status: 503 });
      expect(body).toMatchObject({
        status: 'unavailable',
        message: expect.stringContaining('database'),
        checks: { database: { status: 'failed', message: expect.any(String) }, volume: { status: 'ok' } }
      });
    }
    expect(await probe(gallery, '/livez')).toMatchObject({ status: 200, body: { status: 'ok' } });
    await allowConnections(true);
    expect(await probe(gallery, '/readyz')).toMatchObject({ status: 200, body: { status: 'ok' } });
  });
});

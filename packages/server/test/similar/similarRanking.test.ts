import { sqliteDatabase } from '../../src/compositionRoot';
import { parseNotebook } from '@notebook-gallery/core';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadSearchCorpus, openCorpusGallery, type ICorpusGallery } from '../../bench/searchCorpus';
import type { ICaller } from '../../src/auth/permissions';
import { PgDatabase } from '../../src/db/postgres/pgDatabase';
import { postgresCluster } from '../helpers/postgresCluster';
import { SETUP_TIMEOUT_MS, testDatabaseBackend } from '../helpers/testGallery';
import { expectConsistentVectors, onSqlite } from './vectorConsistency';

/*
 * Similar notebooks over the relevance corpus (real notebooks from statsmodels, geopandas, handson-ml2 and IRkernel,
 * plus the seeded examples) and a real SQL notebook from ipython-sql (test/fixtures/similar), on either backend.
 */

const SQL = 'ipython-sql/writers.ipynb';
let corpus: ICorpusGallery;
let databaseUrl: string | null = null;
let keys: Map<string, string>;
const reader: ICaller = { user: { username: 'reader', isAdmin: false }, groups: new Map() };

beforeAll(async () => {
  const notebooks = loadSearchCorpus();
  notebooks.push({
    key: SQL,
    title: 'Writers',
    description: '',
    tags: [],
    owner: 'ipython-sql',
    notebook: parseNotebook(fs.readFileSync(path.join(__dirname, '..', 'fixtures', 'similar', SQL), 'utf8'))
  });
  databaseUrl = testDatabaseBackend() === 'postgres' ? await postgresCluster().createDatabase('corpus') : null;
  corpus = await openCorpusGallery(notebooks, undefined, databaseUrl);
  keys = new Map([...corpus.ids].map(([key, id]) => [id, key]));
}, 4 * SETUP_TIMEOUT_MS);

afterAll(async () => {
  await corpus?.close();
  if (databaseUrl !== null) {
    await postgresCluster().dropDatabase(databaseUrl);
  }
});

async function similar(key: string, limit = 10) {
  const found = (await corpus.gallery.similarity.similar(reader, corpus.ids.get(key) as string, limit)).similar;
  return found.map(item => ({ key: keys.get(item.id), score: item.score, reasons: item.reasons }));
}

it('ranks another matplotlib notebook with histograms first for the matplotlib example, above the SQL notebook', async () => {
  const found = await similar('examples/plotting-with-matplotlib.ipynb', 20);
  expect(found[0].key).toBe('handson-ml2/tools_matplotlib.ipynb');
  expect(found[0].reasons.some(reason => reason.endsWith('matplotlib'))).toBe(true);
  const sql = found.findIndex(item => item.key === SQL);
  expect(sql === -1 || sql > 0).toBe(true);
  expect(found.map(item => item.key)).not.toContain('examples/plotting-with-matplotlib.ipynb');
});

it.each([
  ['statsmodels/ols.ipynb', 'statsmodels/wls.ipynb'],
  ['geopandas/choropleths.ipynb', 'geopandas/choro_legends.ipynb'],
  ['examples/loading-csv-with-pandas.ipynb', 'examples/cleaning-messy-dates.ipynb']
])('finds the obvious sibling of %s first', async (key, sibling) => {
  expect((await similar(key))[0].key).toBe(sibling);
});

it('scores in (0, 1], best first, with at most 3 distinct reasons labelled by kind', async () => {
  for (const key of ['statsmodels/ols.ipynb', SQL, 'geopandas/choropleths.ipynb']) {
    const found = await similar(key);
    const scores = found.map(item => item.score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
    for (const item of found) {
      expect(item.score).toBeGreaterThan(0);
      expect(item.score).toBeLessThanOrEqual(1);
      expect(item.reasons.length).toBeGreaterThan(0);
      expect(item.reasons.length).toBeLessThanOrEqual(3);
      expect(new Set(item.reasons).size).toBe(item.reasons.length);
      for (const reason of item.reasons) {
        expect(reason).toMatch(/^(uses|mentions|code mentions) \S+$/);
      }
    }
  }
});

it('keeps the document counts equal to a recount of the vectors', async () => {
  if (databaseUrl === null) {
    await expectConsistentVectors(onSqlite(sqliteDatabase(corpus.gallery)));
    return;
  }
  const pg = PgDatabase.connect(databaseUrl, { maxConnections: 1 });
  try {
    await expectConsistentVectors({ backend: 'postgres', pg, url: databaseUrl, close: () => pg.close() });
  } finally {
    await pg.close();
  }
});

import { openCorpusGallery, type ICorpusGallery } from '../../bench/searchCorpus';
import type { ICaller } from '../../src/auth/permissions';
import { embeddingModelDir } from '../helpers/embeddingModel';
import { postgresCluster } from '../helpers/postgresCluster';
import { SETUP_TIMEOUT_MS, testDatabaseBackend } from '../helpers/testGallery';

/*
 * Search by meaning (issue 16) over the relevance corpus: with the embedding model, a search also finds notebooks
 * that say what was asked in other words. searchByMeaningGallery.test.ts follows a small gallery's notebooks.
 */

describe('over the relevance corpus, with the model', () => {
  let corpus: ICorpusGallery;
  let databaseUrl: string | null = null;
  const reader: ICaller = { user: { username: 'reader', isAdmin: false }, groups: new Map() };

  beforeAll(async () => {
    databaseUrl = testDatabaseBackend() === 'postgres' ? await postgresCluster().createDatabase('corpus') : null;
    corpus = await openCorpusGallery(undefined, embeddingModelDir(), databaseUrl);
    await corpus.gallery.accounts.add('reader', 'reader-password');
  }, 4 * SETUP_TIMEOUT_MS);

  afterAll(async () => {
    await corpus?.close();
    if (databaseUrl !== null) {
      await postgresCluster().dropDatabase(databaseUrl);
    }
  });

  async function keysOf(q: string, limit = 10): Promise<string[]> {
    const keys = new Map([...corpus.ids].map(([key, id]) => [id, key]));
    return (await corpus.gallery.notebooks.list(reader, { q, limit })).items.map(item => keys.get(item.id) ?? item.id);
  }

  // The first three are missed by words alone (npm run eval:search --verbose without the model).
  it.each([
    ['combine two tables by location', ['geopandas/spatial_joins.ipynb']],
    [
      'forecast future values of a time series',
      ['statsmodels/statespace_forecasting.ipynb', 'statsmodels/predict.ipynb']
    ],
    ['draw a histogram', ['examples/plotting-with-matplotlib.ipynb', 'handson-ml2/tools_matplotlib.ipynb']],
    [
      'train a neural network',
      ['handson-ml2/10_neural_nets_with_keras.ipynb', 'handson-ml2/11_training_deep_neural_networks.ipynb']
    ],
    ['reduce the number of features', ['handson-ml2/08_dimensionality_reduction.ipynb']],
    ['an exact title: Spatial Joins', ['geopandas/spatial_joins.ipynb']],
    ['a rare word: copula', ['statsmodels/copula.ipynb']],
    ['a typo: kernal density', ['statsmodels/kernel_density.ipynb']]
  ])('%s comes first', async (q, expected) => {
    const query = q.includes(': ') ? q.slice(q.indexOf(': ') + 2) : q;
    expect(expected).toContain((await keysOf(query))[0]);
  });

  async function allPages(q: string, limit: number): Promise<string[]> {
    const ids: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await corpus.gallery.notebooks.list(reader, { q, limit, cursor });
      ids.push(...page.items.map(item => item.id));
      cursor = page.nextCursor ?? undefined;
    } while (cursor !== undefined);
    return ids;
  }

  it('pages through a search, within the fused window and past it, without repeating or losing a notebook', async () => {
    const small = await allPages('linear regression model', 7);
    expect(small.length).toBeGreaterThan(60);
    expect(new Set(small).size).toBe(small.length);
    expect(await allPages('linear regression model', 20)).toEqual(small);
    expect(await allPages('linear regression model', 100)).toEqual(small);
    expect(small.slice(0, 10)).toEqual(
      (await corpus.gallery.notebooks.list(reader, { q: 'linear regression model', limit: 10 })).items.map(
        item => item.id
      )
    );
  });
});

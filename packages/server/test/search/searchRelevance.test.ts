import { openCorpusGallery, type ICorpusGallery } from '../../bench/searchCorpus';
import type { ICaller } from '../../src/auth/permissions';
import { postgresCluster } from '../helpers/postgresCluster';
import { SETUP_TIMEOUT_MS, testDatabaseBackend } from '../helpers/testGallery';

/*
 * The relevance corpus (test/fixtures/search-corpus: real notebooks from statsmodels, geopandas, handson-ml2 and
 * IRkernel, plus the seeded examples) in a real gallery. `npm run eval:search` measures all 96 queries; these are
 * the ones where any user would call a different first result wrong. The same on PostgreSQL: its search meets the
 * same goals on the same corpus.
 */

let corpus: ICorpusGallery;
let databaseUrl: string | null = null;
const reader: ICaller = { user: { username: 'reader', isAdmin: false }, groups: new Map() };

beforeAll(async () => {
  databaseUrl = testDatabaseBackend() === 'postgres' ? await postgresCluster().createDatabase('corpus') : null;
  corpus = await openCorpusGallery(undefined, undefined, databaseUrl);
  await corpus.gallery.accounts.add('reader', 'reader-password');
}, 4 * SETUP_TIMEOUT_MS);

afterAll(async () => {
  await corpus?.close();
  if (databaseUrl !== null) {
    await postgresCluster().dropDatabase(databaseUrl);
  }
});

function search(q: string, limit = 10) {
  return corpus.gallery.notebooks.list(reader, { q, limit });
}

async function keysOf(q: string, limit = 10): Promise<string[]> {
  const keys = new Map([...corpus.ids].map(([key, id]) => [id, key]));
  return (await search(q, limit)).items.map(item => keys.get(item.id) ?? item.id);
}

describe('the obviously right notebook comes first', () => {
  it.each([
    ['an exact title', 'Spatial Joins', 'geopandas/spatial_joins.ipynb'],
    ['an exact title in a long notebook', 'Decision Trees', 'handson-ml2/06_decision_trees.ipynb'],
    ['a title among many similar ones', 'Weighted Least Squares', 'statsmodels/wls.ipynb'],
    ['one rare word', 'copula', 'statsmodels/copula.ipynb'],
    ['a word being typed', 'quantile reg', 'statsmodels/quantile_regression.ipynb'],
    ['a prefix of a title', 'kernel dens', 'statsmodels/kernel_density.ipynb'],
    ['a typo', 'kernal density', 'statsmodels/kernel_density.ipynb'],
    ['a typo in a word being typed', 'exponetial smoo', 'statsmodels/exponential_smoothing.ipynb'],
    ['another form of the word', 'spatial joining', 'geopandas/spatial_joins.ipynb'],
    ['a question with stop words', 'how do I read a csv with pandas', 'examples/loading-csv-with-pandas.ipynb']
  ])('%s: %s', async (_kind, q, expected) => {
    expect((await keysOf(q))[0]).toBe(expected);
  });

  it('finds matplotlib notebooks for "matplotlb"', async () => {
    const found = await keysOf('matplotlb');
    expect(found).toContain('examples/plotting-with-matplotlib.ipynb');
    expect(found).toContain('handson-ml2/tools_matplotlib.ipynb');
  });

  it('answers a natural-language query that no notebook holds every word of', async () => {
    expect((await keysOf('show data on a map')).slice(0, 3).every(key => key.startsWith('geopandas/'))).toBe(true);
  });

  it('ranks a notebook holding the typed word above one holding only a synonym', async () => {
    const found = await keysOf('choropleth', 50);
    const synonymOnly = found.findIndex(key => key.startsWith('statsmodels/'));
    expect(found[0]).toMatch(/^geopandas\/choro/);
    expect(synonymOnly === -1 || synonymOnly > found.indexOf('geopandas/choropleths.ipynb')).toBe(true);
  });
});

describe('query syntax over the corpus', () => {
  it('package: finds the notebooks whose code imports the package', async () => {
    const found = await keysOf('package:folium', 50);
    expect(found.length).toBeGreaterThan(0);
    expect(found).toContain('geopandas/plotting_with_folium.ipynb');
    expect(found.every(key => key.startsWith('geopandas/'))).toBe(true);
  });

  it('lang: keeps notebooks of that kernel language', async () => {
    expect((await keysOf('lang:r', 50)).sort()).toEqual(['irkernel/Demo.ipynb', 'irkernel/Display.ipynb']);
    expect((await keysOf('lang:r display'))[0]).toBe('irkernel/Display.ipynb');
  });

  it('owner: and tag: filter, and the owner is searchable as a word', async () => {
    expect((await keysOf('owner:geopandas joins'))[0]).toBe('geopandas/spatial_joins.ipynb');
    expect((await keysOf('owner:statsmodels joins', 50)).every(key => key.startsWith('statsmodels/'))).toBe(true);
    expect((await keysOf('tag:pandas', 50)).sort()).toEqual([
      'examples/cleaning-messy-dates.ipynb',
      'examples/loading-csv-with-pandas.ipynb',
      'examples/summary-statistics.ipynb'
    ]);
    expect((await keysOf('irkernel', 50)).sort()).toEqual(['irkernel/Demo.ipynb', 'irkernel/Display.ipynb']);
  });

  it('-word leaves out notebooks holding the word, and "a phrase" needs the words together', async () => {
    expect(await keysOf('folium', 50)).toContain('geopandas/plotting_with_folium.ipynb');
    expect((await keysOf('folium -geopandas', 50)).some(key => key.startsWith('geopandas/'))).toBe(false);
    expect(await keysOf('smoothing -exponential', 50)).not.toContain('statsmodels/exponential_smoothing.ipynb');
    const phrase = await keysOf('"spatial join"', 50);
    expect(phrase).toContain('geopandas/spatial_joins.ipynb');
    expect(phrase.every(key => key.startsWith('geopandas/'))).toBe(true);
  });

  it('pages through relevance-sorted results without repeats or gaps', async () => {
    const all = (await search('regression', 100)).items.map(item => item.id);
    const paged: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await corpus.gallery.notebooks.list(reader, { q: 'regression', limit: 7, cursor });
      paged.push(...page.items.map(item => item.id));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(paged).toEqual(all);
    expect(all.length).toBeGreaterThan(20);
  });

  it('returns the snippet as plain text with highlight ranges on the matched words', async () => {
    const [hit] = (await search('choropleth')).items;
    expect(hit.snippet).toBeDefined();
    expect(hit.snippet).not.toMatch(/[<>\u0001\u0002]/);
    expect(hit.snippetHighlights!.length).toBeGreaterThan(0);
    for (const [start, end] of hit.snippetHighlights!) {
      expect(hit.snippet!.slice(start, end).toLowerCase()).toMatch(/^choro/);
    }
  });
});

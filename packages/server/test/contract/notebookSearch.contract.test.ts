import { SNIPPET_LENGTH } from '../../src/search/snippet';
import { backendForTests, BACKENDS } from '../helpers/repositoryBackends';
import { allPages, callerOf, listingGallery, type IGalleryNotebook } from './listingGallery';

/*
 * Search over both backends: SQLite's FTS5 with BM25, PostgreSQL's tsvector with ts_rank. The engines score
 * differently, so these tests assert what a user notices and both must give: the obviously right notebook first,
 * which notebooks match at all, that the read rule holds inside the ranking, and bounded snippets. Order beyond the
 * first result is asserted only where it must hold on both (pages follow the ranking without gaps or repeats).
 */

const reader = callerOf('reader');
const admin = callerOf('admin', true);

const code = (line: string, times: number): string => Array.from({ length: times }, () => line).join('\n');

const CORPUS_ROWS: Omit<IGalleryNotebook, 'owner'>[] = [
  {
    id: 'kde',
    title: 'Kernel density estimation',
    description: 'Smooth estimates of a distribution',
    tags: ['statistics'],
    text: {
      markdown: '# Kernel density\nA kernel density estimate smooths a histogram.',
      code: 'from scipy import stats\nkde = stats.gaussian_kde(sample)\nkde.evaluate(grid)',
      packages: ['scipy']
    }
  },
  {
    id: 'joins',
    title: 'Spatial joins',
    description: 'Joining geometries by location',
    tags: ['geo'],
    text: {
      markdown: 'A spatial join matches points to the polygons that hold them.',
      code: 'import geopandas\njoined = geopandas.sjoin(points, polygons)',
      packages: ['geopandas']
    }
  },
  {
    id: 'csv',
    title: 'Loading CSV files with pandas',
    text: { code: 'import pandas as pd\ndf = pd.read_csv("data.csv")\ndf.head()', packages: ['pandas'] }
  },
  {
    id: 'matplot',
    title: 'Plotting with matplotlib',
    text: { code: 'import matplotlib.pyplot as plt\nplt.plot(x, y)', packages: ['matplotlib'] }
  },
  {
    id: 'charts',
    title: 'Bar charts',
    text: { markdown: 'A chart of counts per category.', code: 'counts.plot.bar()' }
  },
  {
    id: 'rdemo',
    title: 'A demo in R',
    text: { language: 'r ir', code: 'library(ggplot2)\nqplot(x, y)', markdown: 'Plots with ggplot2.' }
  },
  {
    // Says "kernel" and "density" in its code hundreds of times: long text must not outweigh a title.
    id: 'long',
    title: 'Simulation study',
    text: { code: code('density = kernel(x) * density_scale  # kernel density of the sample', 400) }
  },
  {
    id: 'spatial',
    title: 'Spatial statistics',
    text: { markdown: 'Statistics of points in space; no joins here.', packages: ['pysal'] }
  },
  {
    id: 'secret',
    title: 'Kernel density, privately',
    visibility: 'private',
    text: { code: 'kde = stats.gaussian_kde(sample)' }
  }
];
const CORPUS: IGalleryNotebook[] = CORPUS_ROWS.map(notebook => ({ owner: 'author', ...notebook }));

describe.each(BACKENDS)('search on %s', backend => {
  const opened = backendForTests(backend, listingGallery, async gallery => {
    for (const user of ['author', 'reader', 'admin', 'other']) {
      await gallery.addUser(user);
    }
    let day = 10;
    for (const notebook of CORPUS) {
      await gallery.addNotebook({ ...notebook, updatedAt: `2026-05-${day++}T00:00:00.000Z` });
    }
  });

  const search = (q: string, caller = reader, limit = 20) => opened.repos.reads.list(caller, { q, limit });
  const found = async (q: string, caller = reader) => (await search(q, caller)).records.map(record => record.id);

  describe('the obviously right notebook first', () => {
    it.each([
      ['a title word, above a long notebook that repeats it', 'density', 'kde'],
      ['two words', 'spatial joins', 'joins'],
      ['a word being typed', 'matplo', 'matplot'],
      ['a prefix of the second word', 'kernel dens', 'kde'],
      ['a typo', 'kernal density', 'kde'],
      ['a typo in a single word', 'matplotlb', 'matplot'],
      ['another form of a word', 'joining', 'joins'],
      ['a natural-language question', 'how do I load a csv file with pandas', 'csv']
    ])('%s: %s', async (_kind, q, expected) => {
      expect((await found(q))[0]).toBe(expected);
    });

    it('finds notebooks through synonyms after those holding the word typed', async () => {
      const ids = await found('chart');
      expect(ids[0]).toBe('charts');
      expect(ids).toContain('matplot');
    });

    it('finds nothing for a word no notebook holds, and nothing for stop-word punctuation', async () => {
      expect(await found('xylophone')).toEqual([]);
      expect(await found('-')).toEqual([]);
    });
  });

  describe('the query language', () => {
    it('requires quoted phrases as written', async () => {
      expect((await found('"kernel density"')).sort()).toEqual(['kde', 'long']);
      expect(await found('"estimation density"')).toEqual([]);
      expect((await found('"spatial jo')).sort()).toEqual(['joins']);
    });

    it('leaves out excluded words', async () => {
      expect(await found('density -scipy')).toEqual(['long']);
      expect(await found('spatial -"no joins"')).toEqual(['joins']);
    });

    it('filters by kernel language, imported package, owner and tag', async () => {
      expect(await found('lang:r')).toEqual(['rdemo']);
      expect(await found('lang:r plot')).toEqual(['rdemo']);
      expect(await found('package:pandas')).toEqual(['csv']);
      // A package named in code but not imported does not count, nor a word of the language in the code.
      expect(await found('package:stats')).toEqual([]);
      expect(await found('tag:GEO spatial')).toEqual(['joins']);
      expect(await found('owner:author spatial')).toHaveLength(2);
      expect(await found('owner:other spatial')).toEqual([]);
    });

    it('searches the owner as a word', async () => {
      expect((await found('author')).length).toBe(CORPUS.length - 1);
    });
  });

  describe('snippets', () => {
    it('quotes the cells around the words, marked, within the snippet length', async () => {
      const page = await search('gaussian');
      expect(page.records.map(record => record.id)).toEqual(['kde']);
      const snippet = page.snippets.get('kde');
      expect(snippet?.text).toContain('gaussian_kde');
      const [start, end] = snippet?.highlights[0] ?? [0, 0];
      expect(snippet?.text.slice(start, end)).toBe('gaussian');
      const long = (await search('density')).snippets.get('long');
      expect(long?.text.length).toBeLessThanOrEqual(SNIPPET_LENGTH + 2);
      expect(long?.highlights.length).toBeGreaterThan(0);
    });

    it('quotes nothing when only the title matched', async () => {
      const page = await search('simulation');
      expect(page.records.map(record => record.id)).toEqual(['long']);
      expect(page.snippets.has('long')).toBe(false);
    });
  });

  describe('paging by relevance', () => {
    it('pages through the ranking without gaps or repeats', async () => {
      for (const q of ['density', 'spatial joins', 'plot', 'kernal']) {
        const all = (await opened.repos.reads.list(admin, { q, limit: 50 })).records.map(record => record.id);
        expect(all.length).toBeGreaterThan(1);
        expect(await allPages(opened.repos.reads, admin, { q, limit: 1 })).toEqual(all);
      }
    });

    it('sorts a search by another order when asked, keeping only the matches', async () => {
      const ids = (await opened.repos.reads.list(reader, { q: 'density', sort: 'title', limit: 50 })).records.map(
        record => record.id
      );
      expect(ids).toEqual(['kde', 'long']);
    });
  });

  describe('the read rule inside the ranking', () => {
    it('never shows a better match the caller may not read', async () => {
      expect(await found('privately')).toEqual([]);
      expect((await found('privately', admin))[0]).toBe('secret');
      expect(await found('kernel density')).not.toContain('secret');
    });
  });
});

describe.each(BACKENDS)('a reader who can see 10%% of a mostly private gallery, on %s', backend => {
  const readable = new Set<string>();
  const opened = backendForTests(backend, listingGallery, async gallery => {
    for (const user of ['owner', 'reader']) {
      await gallery.addUser(user);
    }
    await gallery.addGroup('lab', { reader: 'member' });
    for (let i = 0; i < 200; i++) {
      const id = `nb${String(i).padStart(3, '0')}`;
      const kind = i % 10;
      // One readable notebook in ten, each by another rule; the best matches of all (the word in the title) are
      // private, but for one readable notebook.
      const access: Partial<IGalleryNotebook> =
        kind !== 0
          ? { visibility: 'private' }
          : i % 40 === 0
            ? { visibility: 'public' }
            : i % 40 === 10
              ? { visibility: 'private', shares: [{ kind: 'user', name: 'reader', role: 'reader' }] }
              : i % 40 === 20
                ? { visibility: 'group', group: 'lab' }
                : { visibility: 'private', shares: [{ kind: 'group', name: 'lab', role: 'reader' }] };
      const titled = (kind !== 0 && i % 7 === 0) || id === 'nb100';
      if (kind === 0) {
        readable.add(id);
      }
      await gallery.addNotebook({
        id,
        owner: 'owner',
        title: titled ? `Spectral analysis ${i}` : `Notebook ${i}`,
        updatedAt: new Date(Date.UTC(2026, 0, 1) + i * 60_000).toISOString(),
        text: { code: `signal = spectral_density(x, ${i})\n# spectral methods` },
        ...access
      });
    }
  });

  it('gets only what they may read, the best of those first, page after page', async () => {
    const page = await opened.repos.reads.list(reader, { q: 'spectral', limit: 5 });
    expect(page.records[0].id).toBe('nb100');
    expect(page.records).toHaveLength(5);
    const all = await allPages(opened.repos.reads, reader, { q: 'spectral', limit: 5 });
    expect(new Set(all)).toEqual(readable);
    expect(all).toHaveLength(readable.size);
  });

  it('browses only what they may read, newest first', async () => {
    const all = await allPages(opened.repos.reads, reader, { limit: 7 });
    expect(all).toEqual([...readable].sort().reverse());
  });

  it('counts facets over what they may read', async () => {
    expect((await opened.repos.reads.facets(reader, { q: 'spectral' })).owners).toEqual([
      { value: 'owner', count: 20 }
    ]);
  });
});

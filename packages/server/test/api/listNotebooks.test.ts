import { sampleNotebook } from '../helpers/fixtures';
import { startTestGallery, type ITestGallery, SETUP_TIMEOUT_MS } from '../helpers/testGallery';

let gallery: ITestGallery;
let ann: string;
let bob: string;

beforeAll(async () => {
  // These tests are about saving and listing, not permissions: every notebook is visible to every user.
  gallery = await startTestGallery({ 'default-visibility': 'public' });
  ann = await gallery.login('ann');
  bob = await gallery.login('bob');
  const create = (token: string, title: string, markdown: string, code: string, tags: string[] = []) =>
    gallery.request(token, {
      method: 'POST',
      url: '/api/notebooks',
      payload: { notebook: sampleNotebook(markdown, code), title, tags }
    });
  await create(ann, 'Loading CSV files', 'Read a table with pandas', 'df = pd.read_csv("sales.csv")', ['pandas', 'io']);
  await create(ann, 'Plotting', 'Draw a histogram of the **rainfall** data', 'plt.hist(values)', ['matplotlib']);
  await create(bob, 'Dates', 'Parse messy timestamps', 'dateutil.parser.parse(text)', ['pandas', 'cleaning']);
  for (let i = 0; i < 22; i++) {
    await create(i % 2 ? ann : bob, `Filler ${String(i).padStart(2, '0')}`, `filler number ${i}`, 'x = 1');
  }
}, SETUP_TIMEOUT_MS);

afterAll(async () => {
  await gallery.close();
});

async function list(query: string, token = ann) {
  const response = await gallery.request(token, { method: 'GET', url: `/api/notebooks?${query}` });
  expect(response.statusCode).toBe(200);
  return response.json() as { items: any[]; nextCursor: string | null };
}

async function walk(query: string): Promise<any[]> {
  const items: any[] = [];
  let cursor: string | null = null;
  for (let page = 0; page < 50; page++) {
    const result = await list(`${query}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    items.push(...result.items);
    cursor = result.nextCursor;
    if (!cursor) {
      break;
    }
  }
  return items;
}

describe('listing notebooks', () => {
  it.each(['updated', 'created', 'title'])(
    'walks every notebook exactly once with the cursor, sorted by %s',
    async sort => {
      const items = await walk(`sort=${sort}&limit=4`);
      expect(items).toHaveLength(25);
      expect(new Set(items.map(item => item.id)).size).toBe(25);
      if (sort === 'title') {
        const titles = items.map(item => item.title.toLowerCase());
        expect(titles).toEqual([...titles].sort());
      } else {
        const times = items.map(item => item[sort === 'updated' ? 'updatedAt' : 'createdAt']);
        expect(times).toEqual([...times].sort().reverse());
      }
    }
  );

  it('lists most recently updated first by default, with canEdit for the caller', async () => {
    const { items } = await list('limit=3', bob);
    expect(items[0].title).toBe('Filler 21');
    expect(items.map(item => item.canEdit)).toEqual(items.map(item => item.owner === 'bob'));
  });

  it('finds words from markdown, code, title and tags, with a snippet', async () => {
    expect((await list('q=rainfall')).items.map(item => item.title)).toEqual(['Plotting']);
    expect((await list('q=read_csv')).items.map(item => item.title)).toEqual(['Loading CSV files']);
    expect((await list('q=dateutil')).items.map(item => item.title)).toEqual(['Dates']);
    expect((await list('q=matplotlib')).items.map(item => item.title)).toEqual(['Plotting']);
    const hit = (await list('q=rainfall')).items[0];
    // Quoted as the reader sees the markdown, without its `**`, the highlight still on the word.
    expect(hit.snippet).toBe('Draw a histogram of the rainfall data');
    expect(hit.snippetHighlights.map(([start, end]: [number, number]) => hit.snippet.slice(start, end))).toEqual([
      'rainfall'
    ]);
  });

  it('matches the last word as a prefix and ranks notebooks holding every word first', async () => {
    expect((await list('q=timest')).items.map(item => item.title)).toEqual(['Dates']);
    expect((await list('q=pandas%20tab')).items.map(item => item.title)[0]).toBe('Loading CSV files');
    // No notebook holds both words: each holding one is still found.
    expect((await list('q=pandas%20histogram')).items.map(item => item.title).sort()).toEqual([
      'Dates',
      'Loading CSV files',
      'Plotting'
    ]);
  });

  it('returns the snippet as text with the ranges of the matched words', async () => {
    const hit = (await list('q=timestamps')).items[0];
    expect(hit.snippet).toBe('Parse messy timestamps');
    expect(hit.snippetHighlights).toEqual([[12, 22]]);
    expect((await list('sort=title&limit=1')).items[0]).not.toHaveProperty('snippetHighlights');
  });

  it('treats FTS syntax in the query as plain text instead of failing', async () => {
    for (const q of [
      '"unbalanced',
      'AND OR NOT',
      'title:csv',
      '(x',
      '*',
      'NEAR(a b)',
      '-',
      '^title',
      'a OR',
      'tag:',
      'lang:"',
      'package:(x',
      '{code}: x',
      '"',
      '-"',
      'col:*',
      "'; DROP TABLE notebooks;"
    ]) {
      const response = await gallery.request(ann, { method: 'GET', url: `/api/notebooks?q=${encodeURIComponent(q)}` });
      expect(response.statusCode).toBe(200);
    }
    expect((await list(`q=${encodeURIComponent('"csv')}`)).items.map(item => item.title)).toEqual([
      'Loading CSV files'
    ]);
  });

  it('pages through search results by relevance', async () => {
    const items = await walk('q=filler&limit=5');
    expect(items).toHaveLength(22);
    expect(new Set(items.map(item => item.id)).size).toBe(22);
  });

  it('filters by tag and by owner', async () => {
    expect((await list('tag=pandas&sort=title')).items.map(item => item.title)).toEqual(['Dates', 'Loading CSV files']);
    expect((await list('tag=PANDAS&owner=ann')).items.map(item => item.title)).toEqual(['Loading CSV files']);
    const bobs = await walk('owner=bob&limit=7');
    expect(bobs.length).toBe(12);
    expect(bobs.every(item => item.owner === 'bob')).toBe(true);
  });

  it('rejects a cursor it did not issue, or one from another sort order', async () => {
    const first = await list('sort=title&limit=2');
    for (const cursor of ['garbage', first.nextCursor!]) {
      const response = await gallery.request(ann, {
        method: 'GET',
        url: `/api/notebooks?sort=updated&cursor=${encodeURIComponent(cursor)}`
      });
      expect(response.statusCode).toBe(400);
      expect(response.json().error).toBe('VALIDATION_FAILED');
    }
  });

  it('needs a login', async () => {
    const response = await gallery.request(null, { method: 'GET', url: '/api/notebooks' });
    expect(response.statusCode).toBe(401);
    expect(response.json().error).toBe('UNAUTHORIZED');
  });
});

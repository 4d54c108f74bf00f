import { sampleNotebook } from '../helpers/fixtures';
import { startTestGallery, type ITestGallery, SETUP_TIMEOUT_MS } from '../helpers/testGallery';

/*
 * Typo corrections, synonyms and field filters widen what a search matches; the read rule must still be applied
 * inside the query, so no page, snippet or filter ever shows a notebook the caller cannot read.
 */

let gallery: ITestGallery;
let ann: string;
let bob: string;

beforeAll(async () => {
  gallery = await startTestGallery({ 'default-visibility': 'private' });
  ann = await gallery.login('ann');
  bob = await gallery.login('bob');
  const create = async (token: string, title: string, markdown: string, code: string, visibility: string) => {
    const response = await gallery.request(token, {
      method: 'POST',
      url: '/api/notebooks',
      payload: { notebook: sampleNotebook(markdown, code), title, visibility, tags: ['maps'] }
    });
    expect(response.statusCode).toBe(201);
  };
  await create(ann, 'Zebrafish choropleth', 'A choropleth of zebrafish sightings', 'import folium', 'private');
  for (let i = 0; i < 5; i++) {
    await create(bob, `Sales map ${i}`, 'Show sales on a map', 'import geopandas', 'public');
  }
}, SETUP_TIMEOUT_MS);

afterAll(async () => {
  await gallery.close();
});

/** Every title a search finds, page by page; for bob, also that no snippet quotes ann's private notebook. */
async function titles(token: string, q: string): Promise<string[]> {
  const found: string[] = [];
  let cursor: string | null = null;
  do {
    const url: string = `/api/notebooks?limit=2&q=${encodeURIComponent(q)}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
    const response = await gallery.request(token, { method: 'GET', url });
    expect(response.statusCode).toBe(200);
    const page = response.json() as { items: { title: string; snippet?: string }[]; nextCursor: string | null };
    for (const item of page.items) {
      if (token === bob) {
        expect(item.snippet ?? '').not.toMatch(/zebrafish/i);
      }
      found.push(item.title);
    }
    cursor = page.nextCursor;
  } while (cursor);
  return found;
}

it.each([
  ['its words', 'zebrafish'],
  ['a typo of its words', 'zebrafsh'],
  ['a prefix of its words', 'zebraf'],
  ['the package it imports', 'package:folium'],
  ['its owner', 'owner:ann'],
  ['its owner as a word', 'ann'],
  ['its tag with a word', 'tag:maps zebrafish'],
  ['a phrase from it', '"zebrafish sightings"']
])('a private notebook is not found by another user through %s', async (_how, q) => {
  expect(await titles(bob, q)).toEqual([]);
  expect(await titles(ann, q)).toEqual(['Zebrafish choropleth']);
});

it('pages through words and synonyms showing only what the caller may read', async () => {
  // "choropleth" is in ann's private notebook; bob's public ones match only through the synonym "map".
  const forBob = await titles(bob, 'choropleth');
  expect(forBob.sort()).toEqual(['Sales map 0', 'Sales map 1', 'Sales map 2', 'Sales map 3', 'Sales map 4']);
  const forAnn = await titles(ann, 'choropleth');
  expect(forAnn[0]).toBe('Zebrafish choropleth');
  expect(forAnn).toHaveLength(6);
});

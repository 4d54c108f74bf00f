import { sampleNotebook } from '../helpers/fixtures';
import { SETUP_TIMEOUT_MS, startTestGallery, type ITestGallery } from '../helpers/testGallery';

/*
 * Every listing and search has a time budget: one that overruns it is answered 503 SERVER_BUSY with Retry-After,
 * never left hanging. A budget of 1 ms is overrun by every query (a read worker takes longer than that to start).
 */

let gallery: ITestGallery;
let ann: string;
let similarUrl: string;

beforeAll(async () => {
  gallery = await startTestGallery({ 'query-budget-ms': '1' });
  ann = await gallery.login('ann');
  const saved = await gallery.request(ann, {
    method: 'POST',
    url: '/api/notebooks',
    payload: { notebook: sampleNotebook('# Data', 'import pandas'), title: 'Data', tags: [] }
  });
  expect(saved.statusCode).toBe(201);
  similarUrl = `/api/notebooks/${saved.json().id}/similar`;
}, SETUP_TIMEOUT_MS);

afterAll(async () => {
  await gallery.close();
});

it.each([
  ['a search', () => '/api/notebooks?q=data'],
  ['a listing', () => '/api/notebooks'],
  ['facets', () => '/api/notebooks/facets?q=data'],
  ['similar notebooks', () => similarUrl]
])('answers %s that overruns its budget 503 with Retry-After', async (_what, url) => {
  const response = await gallery.request(ann, { method: 'GET', url: url() });
  expect(response.statusCode).toBe(503);
  expect(response.headers['retry-after']).toBe('1');
  expect(response.json()).toMatchObject({ error: 'SERVER_BUSY', retryAfterSeconds: 1 });
  expect(response.json().message).toMatch(/^The server is busy .*; try again in 1 second$/);
});

import { sampleNotebook } from '../helpers/fixtures';
import { git } from '../helpers/git';
import { startTestGallery, type ITestGallery, SETUP_TIMEOUT_MS } from '../helpers/testGallery';

let gallery: ITestGallery;
let ann: string;
let bob: string;

beforeAll(async () => {
  gallery = await startTestGallery({ 'default-visibility': 'private' });
  [ann, bob] = await Promise.all([gallery.login('ann'), gallery.login('bob')]);
}, SETUP_TIMEOUT_MS);

afterAll(async () => {
  await gallery.close();
});

const IMMUTABLE = 'private, max-age=31536000, immutable';

async function create(token: string, visibility: 'private' | 'public') {
  const response = await gallery.request(token, {
    method: 'POST',
    url: '/api/notebooks',
    payload: { notebook: sampleNotebook('# Cached'), title: 'Cached', visibility }
  });
  expect(response.statusCode).toBe(201);
  return response.json() as { id: string; revision: string };
}

function content(token: string | null, id: string, revision?: string, ifNoneMatch?: string) {
  return gallery.request(token, {
    method: 'GET',
    url: `/api/notebooks/${id}/content${revision ? `?revision=${revision}` : ''}`,
    headers: ifNoneMatch === undefined ? {} : { 'if-none-match': ifNoneMatch }
  });
}

/** The git blob of the notebook file in a commit, as git itself names it. */
function blobOf(id: string, revision: string): string {
  return git(gallery.repo(id), 'rev-parse', `${revision}:notebook.ipynb`).trim();
}

describe('GET /api/notebooks/:id/content caching', () => {
  it('answers a given revision with its blob as a strong ETag, cached as immutable', async () => {
    const { id, revision } = await create(ann, 'private');
    const response = await content(ann, id, revision);
    expect(response.statusCode).toBe(200);
    expect(response.headers.etag).toBe(`"${blobOf(id, revision)}"`);
    expect(response.headers['cache-control']).toBe(IMMUTABLE);
    expect(response.json().cells).toHaveLength(2);
  });

  it('answers the latest revision with no-cache and the ETag of the head, which changes with a new revision', async () => {
    const { id, revision } = await create(ann, 'private');
    const first = await content(ann, id);
    expect(first.statusCode).toBe(200);
    expect(first.headers['cache-control']).toBe('private, no-cache');
    expect(first.headers.etag).toBe(`"${blobOf(id, revision)}"`);
    const saved = await gallery.request(ann, {
      method: 'PUT',
      url: `/api/notebooks/${id}`,
      payload: { notebook: sampleNotebook('# Changed'), baseRevision: revision }
    });
    expect(saved.statusCode).toBe(200);
    const second = await content(ann, id, undefined, first.headers.etag as string);
    expect(second.statusCode).toBe(200);
    expect(second.headers.etag).toBe(`"${blobOf(id, saved.json().revision)}"`);
    expect(second.headers.etag).not.toBe(first.headers.etag);
  });

  it('answers 304 with no body when If-None-Match names the ETag, with or without a revision', async () => {
    const { id, revision } = await create(ann, 'private');
    const etag = `"${blobOf(id, revision)}"`;
    for (const [query, header] of [
      [revision, etag],
      [undefined, etag],
      [revision, `"other", W/${etag}`],
      [revision, '*']
    ] as const) {
      const response = await content(ann, id, query, header);
      expect(response.statusCode).toBe(304);
      expect(response.body).toBe('');
      expect(response.headers.etag).toBe(etag);
    }
    expect((await content(ann, id, revision, '"someone-else"')).statusCode).toBe(200);
  });

  it('checks read access before a 304, so a known ETag reveals nothing to others', async () => {
    const { id, revision } = await create(ann, 'private');
    const etag = `"${blobOf(id, revision)}"`;
    for (const token of [bob, null]) {
      const response = await content(token, id, revision, etag);
      expect([401, 404]).toContain(response.statusCode);
      expect(response.headers.etag).toBeUndefined();
      expect(response.headers['cache-control']).not.toBe(IMMUTABLE);
    }
    const missing = await content(bob, 'no-such-notebook', revision, etag);
    expect(missing.statusCode).toBe(404);
    expect(missing.json().error).toBe('NOTEBOOK_NOT_FOUND');
  });

  it('answers 404 for a revision the notebook does not have, whatever If-None-Match says', async () => {
    const { id } = await create(ann, 'public');
    const response = await content(bob, id, 'f'.repeat(40), '*');
    expect(response.statusCode).toBe(404);
    expect(response.json().error).toBe('REVISION_NOT_FOUND');
  });
});

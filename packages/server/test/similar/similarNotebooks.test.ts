import { sampleNotebook } from '../helpers/fixtures';
import { galleryDatabase } from '../helpers/backendSql';
import { startTestGallery, type ITestGallery, SETUP_TIMEOUT_MS } from '../helpers/testGallery';
import { expectConsistentVectors } from './vectorConsistency';

/*
 * GET /api/notebooks/:id/similar through the API: only readable notebooks (and nothing of the others, reasons
 * included), and vectors that follow every save, metadata change, transfer and delete at once.
 */

let gallery: ITestGallery;
let ann: string;
let bob: string;
let carl: string;

const HISTOGRAM_CODE = 'import matplotlib.pyplot as plt\nheights = load_heights()\nplt.hist(heights, bins=30)';

beforeAll(async () => {
  gallery = await startTestGallery({ 'default-visibility': 'public', 'anonymous-read': 'true' });
  [ann, bob, carl] = [await gallery.login('ann'), await gallery.login('bob'), await gallery.login('carl')];
}, SETUP_TIMEOUT_MS);

afterAll(async () => {
  await gallery.close();
});

async function create(token: string, title: string, markdown: string, code: string, extra = {}): Promise<any> {
  const response = await gallery.request(token, {
    method: 'POST',
    url: '/api/notebooks',
    payload: { notebook: sampleNotebook(markdown, code), title, ...extra }
  });
  expect(response.statusCode).toBe(201);
  return response.json();
}

async function similar(token: string | null, id: string, limit = 20): Promise<any> {
  const response = await gallery.request(token, { method: 'GET', url: `/api/notebooks/${id}/similar?limit=${limit}` });
  expect(response.statusCode).toBe(200);
  return response.json();
}

const titles = (reply: { similar: { title: string }[] }) => reply.similar.map(item => item.title);

describe('permissions', () => {
  let histogram: any;
  let secret: any;

  beforeAll(async () => {
    histogram = await create(ann, 'Height histogram', 'A histogram of heights', HISTOGRAM_CODE);
    secret = await create(bob, 'Zanzibarite histogram', 'A zanzibarite histogram of heights', HISTOGRAM_CODE, {
      visibility: 'private'
    });
    await create(carl, 'Weight histogram', 'A histogram of weights', HISTOGRAM_CODE);
  });

  it("never lists others' private notebooks, nor quotes them in reasons", async () => {
    const reply = await similar(ann, histogram.id);
    expect(titles(reply)).toContain('Weight histogram');
    expect(titles(reply)).not.toContain('Zanzibarite histogram');
    expect(JSON.stringify(reply)).not.toMatch(new RegExp(`zanzibarite|${secret.id}`, 'i'));
    expect(titles(await similar(bob, histogram.id))).toContain('Zanzibarite histogram');
    expect(titles(await similar(null, histogram.id))).not.toContain('Zanzibarite histogram');
  });

  it('answers 404 for a notebook the caller may not read, as every notebook route', async () => {
    const response = await gallery.request(ann, { method: 'GET', url: `/api/notebooks/${secret.id}/similar` });
    expect(response.statusCode).toBe(404);
    expect(response.json().error).toBe('NOTEBOOK_NOT_FOUND');
    const unknown = await gallery.request(ann, { method: 'GET', url: '/api/notebooks/no-such-notebook/similar' });
    expect(unknown.statusCode).toBe(404);
  });

  it('lists a private notebook once it is shared with the caller, and no longer once it is given away', async () => {
    await gallery.request(bob, {
      method: 'PUT',
      url: `/api/notebooks/${secret.id}/sharing`,
      payload: { visibility: 'private', group: null, shares: [{ kind: 'user', name: 'ann', role: 'reader' }] }
    });
    expect(titles(await similar(ann, histogram.id))).toContain('Zanzibarite histogram');

    const mine = await create(ann, 'My private histogram', 'Histogram of heights', HISTOGRAM_CODE, {
      visibility: 'private'
    });
    expect(titles(await similar(ann, histogram.id))).toContain('My private histogram');
    expect(titles(await similar(carl, histogram.id))).not.toContain('My private histogram');
    const moved = await gallery.request(ann, {
      method: 'POST',
      url: `/api/notebooks/${mine.id}/transfer`,
      payload: { owner: { kind: 'user', name: 'carl' } }
    });
    expect(moved.statusCode).toBe(200);
    expect(titles(await similar(ann, histogram.id))).not.toContain('My private histogram');
    expect(titles(await similar(carl, histogram.id))).toContain('My private histogram');
  });

  it('gives summaries with score and reasons, leaves the notebook itself out, and honours limit', async () => {
    const reply = await similar(ann, histogram.id, 1);
    expect(reply.similar).toHaveLength(1);
    expect(reply.alsoOpened).toEqual([]);
    const [first] = reply.similar;
    expect(first.id).not.toBe(histogram.id);
    expect(first).toMatchObject({ canEdit: expect.any(Boolean), revision: expect.any(String) });
    expect(first.score).toBeGreaterThan(0.3);
    expect(first.reasons).toEqual(expect.arrayContaining(['uses matplotlib']));
    for (const limit of ['0', '21', 'x']) {
      const response = await gallery.request(ann, {
        method: 'GET',
        url: `/api/notebooks/${histogram.id}/similar?limit=${limit}`
      });
      expect(response.statusCode).toBe(400);
    }
  });
});

describe('keeping vectors current', () => {
  it('follows a save that changes the packages, a metadata change and a delete', async () => {
    const seaborn = await create(
      carl,
      'Kernel density',
      'Densities of petal lengths',
      'import seaborn\nseaborn.kdeplot(petal_lengths)'
    );
    const other = await create(
      ann,
      'Quarterly ledger',
      'Ledger balances',
      'import pandas\nledger = pandas.read_excel(path)'
    );
    expect(titles(await similar(ann, seaborn.id))).not.toContain('Quarterly ledger');

    const saved = await gallery.request(ann, {
      method: 'PUT',
      url: `/api/notebooks/${other.id}`,
      payload: {
        notebook: sampleNotebook('Ledger balances', 'import seaborn\nseaborn.barplot(ledger_balances)'),
        baseRevision: other.revision
      }
    });
    expect(saved.statusCode).toBe(200);
    let found = (await similar(ann, seaborn.id)).similar.find((item: any) => item.id === other.id);
    expect(found.reasons).toContain('uses seaborn');
    expect((await similar(ann, other.id)).similar.every((item: any) => !item.reasons.includes('uses pandas'))).toBe(
      true
    );

    const patched = await gallery.request(ann, {
      method: 'PATCH',
      url: `/api/notebooks/${other.id}`,
      payload: { title: 'Petal ledger', tags: ['densities'] }
    });
    expect(patched.statusCode).toBe(200);
    found = (await similar(ann, seaborn.id)).similar.find((item: any) => item.id === other.id);
    expect(found.reasons).toEqual(expect.arrayContaining(['mentions petal', 'mentions densities']));
    await consistentVectors();

    const deleted = await gallery.request(ann, { method: 'DELETE', url: `/api/notebooks/${other.id}` });
    expect(deleted.statusCode).toBe(204);
    expect(titles(await similar(ann, seaborn.id))).not.toContain('Petal ledger');
    await consistentVectors();
  });
});

/** {@link expectConsistentVectors} on the test gallery's own database. */
async function consistentVectors(): Promise<void> {
  const database = galleryDatabase(gallery);
  try {
    await expectConsistentVectors(database);
  } finally {
    await database.close();
  }
}

it('lists nothing for a notebook with no terms, or sharing none', async () => {
  const empty = await create(ann, 'A', '', 'x = 1');
  expect(await similar(ann, empty.id)).toEqual({ similar: [], alsoOpened: [] });
  const lonely = await create(ann, 'Quokka census', 'Counting quokkas', 'quokkas = count_quokkas()');
  expect((await similar(ann, lonely.id)).similar).toEqual([]);
});

describe('people who opened this also opened', () => {
  it('lists what the openers of a notebook opened too, readable ones only, with full summaries', async () => {
    const open = async (token: string, id: string): Promise<void> => {
      const response = await gallery.request(token, {
        method: 'POST',
        url: `/api/notebooks/${id}/activity`,
        payload: { kind: 'open' }
      });
      expect(response.statusCode).toBe(204);
    };
    const course = await create(ann, 'Course week one', 'Loading data', 'import pandas as pd');
    const followUp = await create(ann, 'Course week two', 'Cleaning data', 'import pandas as pd');
    const hidden = await create(bob, 'Bob private notes', 'Notes', 'x = 1', { visibility: 'private' });
    await open(bob, course.id);
    await open(bob, followUp.id);
    await open(bob, hidden.id);
    await open(carl, course.id);
    await open(carl, followUp.id);

    const reply = await similar(ann, course.id);
    expect(reply.alsoOpened.map((item: { title: string }) => item.title)).toEqual(['Course week two']);
    expect(reply.alsoOpened[0]).toMatchObject({ id: followUp.id, opens: 2, canEdit: true });
    expect(reply.alsoOpened[0].health.status).toBe('unknown');
    // Bob may read his own notebook, so it shows for him, after the one two openers share.
    const bobs = await similar(bob, course.id);
    expect(bobs.alsoOpened.map((item: { title: string }) => item.title)).toEqual([
      'Course week two',
      'Bob private notes'
    ]);
  });
});

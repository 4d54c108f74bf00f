import { createHash } from 'node:crypto';
import { gallerySql } from '../helpers/backendSql';
import { startTestGallery, SETUP_TIMEOUT_MS, type ITestGallery } from '../helpers/testGallery';

/* POST /api/notebooks/:id/health: who may report, what a report may hold, and the health it adds up to. */

const DAY = 86_400_000;
const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

/** A notebook with one code cell per source, ids c0, c1, ...; `note` varies only the markdown. */
function notebook(codes: string[], note = 'About this notebook'): Record<string, unknown> {
  return {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: {
      kernelspec: { name: 'python3', display_name: 'Python 3', language: 'python' },
      language_info: { name: 'python', version: '3.11.4' }
    },
    cells: [
      { cell_type: 'markdown', id: 'intro', metadata: {}, source: note },
      ...codes.map((source, i) => ({
        cell_type: 'code',
        id: `c${i}`,
        metadata: {},
        execution_count: null,
        source,
        outputs: []
      }))
    ]
  };
}

const CODE = ['import pandas as pd', 'df = pd.DataFrame({"a": [1, 2]})', 'df.describe()'];

/** Every cell of CODE with a status: ok up to `failAt` (which fails), not run after it. */
function cells(failAt = -1, codes = CODE) {
  const ran = failAt < 0 ? codes : codes.slice(0, failAt + 1);
  return ran.map((source, i) => ({ id: `c${i}`, sourceHash: sha256(source), status: i === failAt ? 'error' : 'ok' }));
}

let clock = Date.parse('2026-06-01T00:00:00.000Z');
let gallery: ITestGallery;
let ann: string;
let bob: string;
let cid: string;

beforeAll(async () => {
  gallery = await startTestGallery({ 'health-stale-days': '30' }, undefined, { now: () => clock });
  ann = await gallery.login('ann');
  bob = await gallery.login('bob');
  cid = await gallery.login('cid');
}, SETUP_TIMEOUT_MS);

afterAll(() => gallery.close());

async function create(token: string, visibility = 'public', codes = CODE) {
  const created = await gallery.request(token, {
    method: 'POST',
    url: '/api/notebooks',
    payload: { notebook: notebook(codes), title: 'Pandas basics', visibility }
  });
  expect(created.statusCode).toBe(201);
  return created.json() as { id: string; revision: string };
}

function report(token: string | null, id: string, payload: Record<string, unknown>) {
  return gallery.request(token, { method: 'POST', url: `/api/notebooks/${id}/health`, payload });
}

async function health(id: string) {
  const response = await gallery.request(ann, { method: 'GET', url: `/api/notebooks/${id}` });
  expect(response.statusCode).toBe(200);
  return response.json().health as Record<string, unknown>;
}

it('starts unknown, and a complete run by a reader makes a notebook healthy with its runs counted', async () => {
  const { id, revision } = await create(ann);
  expect(await health(id)).toEqual({ status: 'unknown', score: null, runs: 0, lastRunAt: null, lastSuccessAt: null });
  const reply = await report(bob, id, { revision, cells: cells(), total: 3 });
  expect(reply.statusCode).toBe(204);
  const now = new Date(clock).toISOString();
  expect(await health(id)).toEqual({
    status: 'healthy',
    score: 2 / 3,
    runs: 1,
    lastRunAt: now,
    lastSuccessAt: now
  });
  const listed = await gallery.request(ann, { method: 'GET', url: '/api/notebooks' });
  const item = listed.json().items.find((one: { id: string }) => one.id === id);
  expect(item.runs).toBe(1);
  expect(item.health.status).toBe('healthy');
  expect(
    await gallerySql(gallery, 'SELECT runs, health_score FROM notebook_stats WHERE notebook_id = ?', [id])
  ).toEqual([{ runs: 1, health_score: 2 / 3 }]);
});

it("replaces a reporter's earlier report on the same revision, so reporting again adds no evidence", async () => {
  const { id, revision } = await create(ann);
  for (let i = 0; i < 3; i++) {
    expect((await report(bob, id, { revision, cells: cells(), total: 3 })).statusCode).toBe(204);
  }
  expect(await health(id)).toMatchObject({ runs: 1, score: 2 / 3 });
  expect((await report(bob, id, { revision, cells: cells(0), total: 3 })).statusCode).toBe(204);
  expect(await health(id)).toMatchObject({ status: 'unhealthy', runs: 1, score: 1 / 3 });
  expect((await report(cid, id, { revision, cells: cells(), total: 3 })).statusCode).toBe(204);
  expect(await health(id)).toMatchObject({ runs: 2, score: 0.5, status: 'healthy' });
});

it('becomes stale when no complete successful run was reported within the configured days', async () => {
  const { id, revision } = await create(ann);
  await report(bob, id, { revision, cells: cells(), total: 3 });
  const start = clock;
  try {
    clock = start + 29 * DAY;
    expect((await health(id)).status).toBe('healthy');
    clock = start + 31 * DAY;
    expect((await health(id)).status).toBe('stale');
    await report(cid, id, { revision, cells: cells(), total: 3 });
    expect((await health(id)).status).toBe('healthy');
  } finally {
    clock = start;
  }
});

it('keeps the health across a save that changes no code, and starts over on the new code of one that does', async () => {
  const { id, revision } = await create(ann);
  await report(bob, id, { revision, cells: cells(), total: 3 });
  const prose = await gallery.request(ann, {
    method: 'PUT',
    url: `/api/notebooks/${id}`,
    payload: { notebook: notebook(CODE, 'Better words'), baseRevision: revision }
  });
  expect(prose.statusCode).toBe(200);
  expect(prose.json().health).toMatchObject({ status: 'healthy', score: 2 / 3 });
  const code = await gallery.request(ann, {
    method: 'PUT',
    url: `/api/notebooks/${id}`,
    payload: { notebook: notebook([...CODE, 'df.plot()'], 'Better words'), baseRevision: prose.json().revision }
  });
  expect(code.statusCode).toBe(200);
  // The old run counts a quarter now (two revisions behind) and says nothing about the new code running through.
  expect(code.json().health).toMatchObject({ status: 'unknown', score: (0.25 + 1) / 2.25, runs: 1 });
});

it('needs a login and read access: 401 for anonymous callers, 404 for a private notebook of someone else', async () => {
  const { id, revision } = await create(ann, 'private');
  const body = { revision, cells: cells(), total: 3 };
  expect((await report(null, id, body)).statusCode).toBe(401);
  const hidden = await report(bob, id, body);
  expect(hidden.statusCode).toBe(404);
  expect(hidden.json().error).toBe('NOTEBOOK_NOT_FOUND');
  expect((await report(ann, id, body)).statusCode).toBe(204);
  expect((await report(bob, 'no-such-notebook', body)).statusCode).toBe(404);
});

it('answers 404 REVISION_NOT_FOUND for a revision the notebook does not have', async () => {
  const { id } = await create(ann);
  // Another notebook's revision (same content made in the same second would be the very same commit).
  const other = await create(ann, 'public', ['print("other")']);
  for (const revision of ['f'.repeat(40), other.revision]) {
    const reply = await report(bob, id, { revision, cells: cells(), total: 3 });
    expect(reply.statusCode).toBe(404);
    expect(reply.json().error).toBe('REVISION_NOT_FOUND');
  }
});

it('rejects outputs, unknown fields, bad hashes and more than 2000 cells, and a report on no cell of the revision', async () => {
  const { id, revision } = await create(ann);
  const [first] = cells();
  const rejected = [
    { revision, cells: [{ ...first, outputs: [{ output_type: 'stream', text: 'secret' }] }], total: 3 },
    { revision, cells: [first], total: 3, outputs: [] },
    { revision, cells: [{ ...first, sourceHash: 'ABC' }], total: 3 },
    { revision, cells: [{ ...first, status: 'skipped' }], total: 3 },
    { revision, cells: [], total: 3 },
    { revision, cells: Array.from({ length: 2001 }, () => first), total: 3 },
    { revision, cells: [first] },
    { revision, cells: [{ ...first, sourceHash: sha256('edited code') }], total: 3 }
  ];
  for (const body of rejected) {
    const reply = await report(bob, id, body);
    expect([reply.statusCode, reply.json().error]).toEqual([400, 'VALIDATION_FAILED']);
  }
  expect(await health(id)).toMatchObject({ runs: 0, status: 'unknown' });
  // 2000 cells is the limit, and the cells beyond the revision's own are ignored.
  const many = await report(bob, id, { revision, cells: Array.from({ length: 2000 }, () => first), total: 3 });
  expect(many.statusCode).toBe(204);
  expect(await health(id)).toMatchObject({ runs: 1, status: 'unknown' });
});

it('sorts the list by health and by runs, notebooks without reports last, page by page', async () => {
  const dan = await gallery.login('dan');
  const codes = [['print("good")'], ['print("bad")'], ['print("unrun")']];
  const made: { id: string; revision: string }[] = [];
  for (const code of codes) {
    made.push(await create(dan, 'public', code));
  }
  const [goodNb, badNb, unrunNb] = made;
  for (const token of [bob, cid]) {
    await report(token, goodNb.id, { revision: goodNb.revision, cells: cells(-1, codes[0]), total: 1 });
  }
  await report(bob, badNb.id, { revision: badNb.revision, cells: cells(0, codes[1]), total: 1 });
  for (const sort of ['health', 'runs']) {
    const ids: string[] = [];
    let cursor: string | null = null;
    do {
      const query: string = `/api/notebooks?owner=dan&sort=${sort}&limit=1${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
      const page = await gallery.request(ann, { method: 'GET', url: query });
      expect(page.statusCode).toBe(200);
      ids.push(...page.json().items.map((item: { id: string }) => item.id));
      cursor = page.json().nextCursor;
    } while (cursor);
    expect([sort, ids]).toEqual([sort, [goodNb.id, badNb.id, unrunNb.id]]);
  }
});

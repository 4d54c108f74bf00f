import { fixtureJson, sampleNotebook } from '../helpers/fixtures';
import { fsck, git } from '../helpers/git';
import { startTestGallery, type ITestGallery, SETUP_TIMEOUT_MS } from '../helpers/testGallery';

let gallery: ITestGallery;
let ann: string;
let bob: string;
let carl: string;

beforeEach(async () => {
  gallery = await startTestGallery({ 'default-visibility': 'public' });
  [ann, bob, carl] = await Promise.all([gallery.login('ann'), gallery.login('bob'), gallery.login('carl')]);
}, SETUP_TIMEOUT_MS);

afterEach(async () => {
  await gallery.close();
});

async function create(token: string, notebook: unknown, extra: Record<string, unknown> = {}) {
  const response = await gallery.request(token, {
    method: 'POST',
    url: '/api/notebooks',
    payload: { notebook, title: 'History', ...extra }
  });
  expect(response.statusCode).toBe(201);
  return response.json() as { id: string; revision: string };
}

function save(token: string, id: string, payload: Record<string, unknown>) {
  return gallery.request(token, { method: 'PUT', url: `/api/notebooks/${id}`, payload });
}

async function content(id: string, revision?: string) {
  const query = revision ? `?revision=${revision}` : '';
  return (await gallery.request(ann, { method: 'GET', url: `/api/notebooks/${id}/content${query}` })).json();
}

async function revisions(id: string) {
  return (await gallery.request(ann, { method: 'GET', url: `/api/notebooks/${id}/revisions` })).json().items;
}

function sources(notebook: { cells: { source: string | string[] }[] }): string[] {
  return notebook.cells.map(cell => (Array.isArray(cell.source) ? cell.source.join('') : cell.source));
}

/** Lets bob save revisions of ann's notebook. */
async function shareWithBob(id: string): Promise<void> {
  const response = await gallery.request(ann, {
    method: 'PUT',
    url: `/api/notebooks/${id}/sharing`,
    payload: { visibility: 'public', group: null, shares: [{ kind: 'user', name: 'bob', role: 'editor' }] }
  });
  expect(response.statusCode).toBe(200);
}

describe('GET /api/notebooks/:id/diff', () => {
  it('compares the latest revision with the one before by default, and any two revisions on request', async () => {
    const first = await create(ann, sampleNotebook('# Title'));
    const second = (
      await save(ann, first.id, {
        notebook: sampleNotebook('# Better title'),
        baseRevision: first.revision
      })
    ).json();

    const latest = await gallery.request(bob, { method: 'GET', url: `/api/notebooks/${first.id}/diff` });
    expect(latest.statusCode).toBe(200);
    const body = latest.json();
    expect(body.from).toEqual({ revision: first.revision, number: 1 });
    expect(body.to).toEqual({ revision: second.revision, number: 2 });
    expect(body.diff.summary).toMatchObject({ modified: 1, unchanged: 1, added: 0, removed: 0 });
    const intro = body.diff.cells.find((cell: { id: string }) => cell.id === 'intro');
    expect(intro.status).toBe('modified');
    expect(intro.source).toEqual([
      expect.objectContaining({ op: 'removed', text: '# Title' }),
      expect.objectContaining({ op: 'added', text: '# Better title' })
    ]);

    const backwards = await gallery.request(bob, {
      method: 'GET',
      url: `/api/notebooks/${first.id}/diff?from=${second.revision}&to=${first.revision}`
    });
    expect(backwards.statusCode).toBe(200);
    expect(backwards.json().from.number).toBe(2);
    expect(backwards.json().to.number).toBe(1);
  });

  it('compares the first revision with an empty notebook (from: null)', async () => {
    const first = await create(ann, sampleNotebook('# Title'));
    const response = await gallery.request(ann, {
      method: 'GET',
      url: `/api/notebooks/${first.id}/diff?to=${first.revision}`
    });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ from: null, parent: null, parentHidden: false });
    expect(response.json().diff.summary).toMatchObject({ added: 2, modified: 0, removed: 0 });
  });

  it("compares a fork's first revision with the parent's revision it was made from", async () => {
    const week1 = await create(ann, sampleNotebook('# Week 1', 'print(1)'), { title: 'Week 1' });
    // ann saves on after bob forked: bob's change is still measured against what he forked.
    const parentV2 = (
      await save(ann, week1.id, { notebook: sampleNotebook('# Week 1, revised'), baseRevision: week1.revision })
    ).json();
    expect(parentV2.revisionNumber).toBe(2);
    const fork = await create(bob, sampleNotebook('# Week 1', 'print(2)'), {
      title: 'My week 1',
      parent: { id: week1.id, revision: week1.revision }
    });
    const diff = async (token: string) => {
      const response = await gallery.request(token, { method: 'GET', url: `/api/notebooks/${fork.id}/diff` });
      expect(response.statusCode).toBe(200);
      return response.json();
    };
    const body = await diff(carl);
    expect(body.from).toBeNull();
    expect(body.parent).toEqual({
      id: week1.id,
      title: 'Week 1',
      owner: 'ann',
      ownerKind: 'user',
      revision: week1.revision,
      number: 1
    });
    expect(body.parentHidden).toBe(false);
    // Only bob's change, not "2 new cells".
    expect(body.diff.summary).toMatchObject({ added: 0, removed: 0, modified: 1, unchanged: 1 });

    // Asked for explicitly, `from` stays what was asked; a notebook that is no fork has no parent.
    const own = await gallery.request(ann, {
      method: 'GET',
      url: `/api/notebooks/${week1.id}/diff?to=${week1.revision}`
    });
    expect(own.json()).toMatchObject({ from: null, parent: null, parentHidden: false });

    // Hidden from carl (or deleted): an empty notebook, and the reply says why.
    const hide = await gallery.request(ann, {
      method: 'PATCH',
      url: `/api/notebooks/${week1.id}`,
      payload: { visibility: 'private' }
    });
    expect(hide.statusCode).toBe(200);
    const hidden = await diff(carl);
    expect(hidden).toMatchObject({ from: null, parent: null, parentHidden: true });
    expect(hidden.diff.summary).toMatchObject({ added: 2, modified: 0 });
    const removed = await gallery.request(ann, { method: 'DELETE', url: `/api/notebooks/${week1.id}` });
    expect(removed.statusCode).toBeLessThan(300);
    expect(await diff(ann)).toMatchObject({ from: null, parent: null, parentHidden: true });
  });

  it('answers 404 REVISION_NOT_FOUND for an unknown revision and for a revision of another notebook', async () => {
    const one = await create(ann, sampleNotebook('one'));
    const other = await create(ann, sampleNotebook('other'));
    for (const query of [`to=${'0'.repeat(40)}`, `from=nope`, `from=${other.revision}`, `to=${other.revision}`]) {
      const response = await gallery.request(ann, { method: 'GET', url: `/api/notebooks/${one.id}/diff?${query}` });
      expect([query, response.statusCode, response.json().error]).toEqual([query, 404, 'REVISION_NOT_FOUND']);
    }
  });

  it('answers 404 NOTEBOOK_NOT_FOUND for a notebook the caller may not read', async () => {
    const secret = await create(ann, sampleNotebook('secret'), { visibility: 'private' });
    const response = await gallery.request(bob, { method: 'GET', url: `/api/notebooks/${secret.id}/diff` });
    expect(response.statusCode).toBe(404);
    expect(response.json().error).toBe('NOTEBOOK_NOT_FOUND');
  });
});

describe('POST /api/notebooks/:id/restore', () => {
  it('saves the old revision again as a new revision and keeps the history', async () => {
    const first = await create(ann, sampleNotebook('# Original'));
    await save(ann, first.id, { notebook: sampleNotebook('# Changed'), baseRevision: first.revision });

    const response = await gallery.request(ann, {
      method: 'POST',
      url: `/api/notebooks/${first.id}/restore`,
      payload: { revision: first.revision }
    });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ revisionNumber: 3, changed: true, merged: false });
    expect(await content(first.id)).toEqual(await content(first.id, first.revision));
    const history = await revisions(first.id);
    expect(history.map((r: { number: number; message: string }) => [r.number, r.message])).toEqual([
      [3, 'Restored revision 1'],
      [2, 'Update History'],
      [1, 'Create History']
    ]);
    const repo = gallery.repo(first.id);
    expect(git(repo, 'rev-list', '--count', 'main')).toBe('3');
    expect(fsck(repo).status).toBe(0);
  });

  it('takes a message, and makes no commit when the revision equals the latest', async () => {
    const first = await create(ann, sampleNotebook('# Original'));
    const same = await gallery.request(ann, {
      method: 'POST',
      url: `/api/notebooks/${first.id}/restore`,
      payload: { revision: first.revision, message: 'Back to the start' }
    });
    expect(same.statusCode).toBe(200);
    expect(same.json()).toMatchObject({ revisionNumber: 1, changed: false, merged: false });

    const second = (
      await save(ann, first.id, { notebook: sampleNotebook('# New'), baseRevision: first.revision })
    ).json();
    const restored = await gallery.request(ann, {
      method: 'POST',
      url: `/api/notebooks/${first.id}/restore`,
      payload: { revision: first.revision, message: 'Back to the start' }
    });
    expect(restored.json()).toMatchObject({ revisionNumber: 3, changed: true });
    expect((await revisions(first.id))[0].message).toBe('Back to the start');
    expect(second.revisionNumber).toBe(2);
  });

  it('needs edit (403 for a reader, 404 when unreadable), and a revision of this notebook', async () => {
    const first = await create(ann, sampleNotebook('# Original'));
    const secret = await create(ann, sampleNotebook('secret'), { visibility: 'private' });
    const restore = (token: string, id: string, revision: string) =>
      gallery.request(token, { method: 'POST', url: `/api/notebooks/${id}/restore`, payload: { revision } });
    expect((await restore(bob, first.id, first.revision)).statusCode).toBe(403);
    expect((await restore(bob, secret.id, secret.revision)).json().error).toBe('NOTEBOOK_NOT_FOUND');
    const foreign = await restore(ann, first.id, secret.revision);
    expect([foreign.statusCode, foreign.json().error]).toEqual([404, 'REVISION_NOT_FOUND']);
    expect(
      (
        await gallery.request(null, {
          method: 'POST',
          url: `/api/notebooks/${first.id}/restore`,
          payload: { revision: first.revision }
        })
      ).statusCode
    ).toBe(401);
    expect(await revisions(first.id)).toHaveLength(1);
  });
});

describe('PUT /api/notebooks/:id with merge: true', () => {
  it('merges a stale save that changed other cells and commits both changes as one new revision', async () => {
    const first = await create(ann, sampleNotebook('# Intro', 'x = 1'));
    await shareWithBob(first.id);
    const annSave = (
      await save(ann, first.id, {
        notebook: sampleNotebook('# Intro by ann', 'x = 1'),
        baseRevision: first.revision
      })
    ).json();

    const response = await save(bob, first.id, {
      notebook: sampleNotebook('# Intro', 'x = 2'),
      baseRevision: first.revision,
      message: 'Bob changes x',
      merge: true
    });
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body).toMatchObject({
      merged: true,
      changed: true,
      revisionNumber: 3,
      mergedWith: { revision: annSave.revision, number: 2, author: 'ann' }
    });
    expect(sources(body.notebook)).toEqual(['# Intro by ann', 'x = 2']);
    expect(body.notebook.cells[1].outputs).toEqual([]);
    expect(sources(await content(first.id))).toEqual(['# Intro by ann', 'x = 2']);
    const latest = (await revisions(first.id))[0];
    expect(latest).toMatchObject({ revision: body.revision, author: 'bob' });
    expect(latest.message).toBe(`Bob changes x (merged with revision 2 by ann, ${annSave.revision.slice(0, 12)})`);
    const repo = gallery.repo(first.id);
    expect(git(repo, 'rev-parse', 'main')).toBe(body.revision);
    expect(git(repo, 'rev-parse', 'main^')).toBe(annSave.revision);
    expect(fsck(repo).status).toBe(0);
  });

  it('answers conflicting changes with 409 REVISION_CONFLICT, the current revision and the conflicts; nothing is committed', async () => {
    const first = await create(ann, sampleNotebook('# Intro', 'x = 1'));
    await shareWithBob(first.id);
    const annSave = (
      await save(ann, first.id, {
        notebook: sampleNotebook('# Ann’s intro', 'x = 1'),
        baseRevision: first.revision
      })
    ).json();

    const response = await save(bob, first.id, {
      notebook: sampleNotebook('# Bob’s intro', 'x = 1'),
      baseRevision: first.revision,
      merge: true
    });
    expect(response.statusCode).toBe(409);
    const body = response.json();
    expect(body).toMatchObject({ error: 'REVISION_CONFLICT', currentRevision: annSave.revision });
    expect(body.message).toMatch(/choose a version for each conflict/);
    expect(body.conflicts).toEqual([
      expect.objectContaining({
        kind: 'source',
        cellId: 'intro',
        base: '# Intro',
        local: '# Bob’s intro',
        remote: '# Ann’s intro'
      })
    ]);
    expect(await revisions(first.id)).toHaveLength(2);
    expect(git(gallery.repo(first.id), 'rev-parse', 'main')).toBe(annSave.revision);
  });

  it('keeps the plain 409 (no conflicts) without merge, and for a base that is no revision of the notebook', async () => {
    const first = await create(ann, sampleNotebook('# Intro', 'x = 1'));
    const other = await create(ann, sampleNotebook('# Other'));
    const annSave = (
      await save(ann, first.id, {
        notebook: sampleNotebook('# Intro by ann', 'x = 1'),
        baseRevision: first.revision
      })
    ).json();
    for (const payload of [
      { notebook: sampleNotebook('# Intro', 'x = 2'), baseRevision: first.revision },
      { notebook: sampleNotebook('# Intro', 'x = 2'), baseRevision: other.revision, merge: true }
    ]) {
      const response = await save(ann, first.id, payload);
      expect(response.statusCode).toBe(409);
      expect(response.json()).toMatchObject({ error: 'REVISION_CONFLICT', currentRevision: annSave.revision });
      expect(response.json()).not.toHaveProperty('conflicts');
    }
    expect(await revisions(first.id)).toHaveLength(2);
  });

  it('saves normally (merged: false) when the base is the latest revision', async () => {
    const first = await create(ann, sampleNotebook('# Intro'));
    const response = await save(ann, first.id, {
      notebook: sampleNotebook('# Next'),
      baseRevision: first.revision,
      merge: true
    });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ merged: false, changed: true, revisionNumber: 2 });
    expect(response.json()).not.toHaveProperty('notebook');
  });

  it('merges notebooks whose cells have no ids (nbformat 4.4), matching cells by content', async () => {
    const withoutIds = (intro: string, code: string) => ({
      nbformat: 4,
      nbformat_minor: 4,
      metadata: {},
      cells: [
        { cell_type: 'markdown', metadata: {}, source: [intro] },
        { cell_type: 'code', metadata: {}, execution_count: null, outputs: [], source: [code] }
      ]
    });
    const first = await create(ann, withoutIds('# Intro', 'x = 1'));
    await shareWithBob(first.id);
    await save(ann, first.id, { notebook: withoutIds('# Intro, edited', 'x = 1'), baseRevision: first.revision });
    const response = await save(bob, first.id, {
      notebook: withoutIds('# Intro', 'x = 1\ny = 2'),
      baseRevision: first.revision,
      merge: true
    });
    expect(response.statusCode).toBe(200);
    expect(response.json().merged).toBe(true);
    const merged = await content(first.id);
    expect(sources(merged)).toEqual(['# Intro, edited', 'x = 1\ny = 2']);
    expect(merged.nbformat_minor).toBe(4);
    expect(merged.cells.every((cell: object) => !('id' in cell))).toBe(true);
  });

  it('merges a real nbformat fixture edited on both sides', async () => {
    const original = fixtureJson('nbformat/test4.5.ipynb');
    const first = await create(ann, original);
    await shareWithBob(first.id);
    const stored = await content(first.id);
    const annVersion = structuredClone(stored);
    annVersion.cells[0].source = ['# Edited by ann\n', ...[].concat(annVersion.cells[0].source)];
    const bobVersion = structuredClone(stored);
    const last = bobVersion.cells.length - 1;
    bobVersion.cells[last].source = 'print("bob")';
    await save(ann, first.id, { notebook: annVersion, baseRevision: first.revision });
    const response = await save(bob, first.id, { notebook: bobVersion, baseRevision: first.revision, merge: true });
    expect(response.statusCode).toBe(200);
    const merged = await content(first.id);
    expect(sources(merged)[0]).toMatch(/^# Edited by ann\n/);
    expect(sources(merged)[last]).toBe('print("bob")');
  });
});

describe('GET /api/notebooks/:id/lineage', () => {
  it('shows the parent and the forks, only as far as the caller may read them', async () => {
    const original = await create(ann, sampleNotebook('original'));
    const parent = { id: original.id, revision: original.revision };
    const bobFork = await create(bob, sampleNotebook('bob fork'), { parent, title: 'Bob fork' });
    const carlFork = await create(carl, sampleNotebook('carl fork'), {
      parent,
      title: 'Carl fork',
      visibility: 'private'
    });
    const lineage = async (token: string, id: string) =>
      (await gallery.request(token, { method: 'GET', url: `/api/notebooks/${id}/lineage` })).json();

    expect(await lineage(ann, original.id)).toEqual({
      parent: null,
      parentHidden: false,
      forks: [{ id: bobFork.id, title: 'Bob fork', owner: 'bob', revision: original.revision }]
    });
    expect((await lineage(carl, original.id)).forks.map((fork: { id: string }) => fork.id)).toEqual([
      carlFork.id,
      bobFork.id
    ]);
    expect(await lineage(carl, bobFork.id)).toEqual({
      parent: { id: original.id, title: 'History', owner: 'ann', revision: original.revision },
      parentHidden: false,
      forks: []
    });

    const hide = await gallery.request(ann, {
      method: 'PATCH',
      url: `/api/notebooks/${original.id}`,
      payload: { visibility: 'private' }
    });
    expect(hide.statusCode).toBe(200);
    expect(await lineage(carl, bobFork.id)).toEqual({ parent: null, parentHidden: true, forks: [] });
    const denied = await gallery.request(bob, { method: 'GET', url: `/api/notebooks/${carlFork.id}/lineage` });
    expect(denied.statusCode).toBe(404);
  });
});

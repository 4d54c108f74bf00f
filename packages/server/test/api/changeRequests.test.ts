import { sampleNotebook } from '../helpers/fixtures';
import { fsck, git } from '../helpers/git';
import { startTestGallery, type ITestGallery, SETUP_TIMEOUT_MS } from '../helpers/testGallery';

let gallery: ITestGallery;
let ann: string;
let bob: string;
let carl: string;

beforeEach(async () => {
  // ann owns the notebooks; bob and carl may read the public ones but not edit them.
  gallery = await startTestGallery({ 'default-visibility': 'public' });
  [ann, bob, carl] = await Promise.all([gallery.login('ann'), gallery.login('bob'), gallery.login('carl')]);
}, SETUP_TIMEOUT_MS);

afterEach(async () => {
  await gallery.close();
});

async function create(notebook: unknown, extra: Record<string, unknown> = {}) {
  const response = await gallery.request(ann, {
    method: 'POST',
    url: '/api/notebooks',
    payload: { notebook, title: 'Course notes', ...extra }
  });
  expect(response.statusCode).toBe(201);
  return response.json() as { id: string; revision: string };
}

function propose(token: string, id: string, notebook: unknown, baseRevision: string, message = 'Fix the intro') {
  return gallery.request(token, {
    method: 'POST',
    url: `/api/notebooks/${id}/change-requests`,
    payload: { notebook, baseRevision, message }
  });
}

function call(token: string, method: 'GET' | 'POST' | 'PATCH', url: string, payload?: Record<string, unknown>) {
  return gallery.request(token, { method, url, ...(payload ? { payload } : {}) });
}

async function content(id: string) {
  return (await call(ann, 'GET', `/api/notebooks/${id}/content`)).json();
}

async function revisions(id: string) {
  return (await call(ann, 'GET', `/api/notebooks/${id}/revisions`)).json().items;
}

function sources(notebook: { cells: { source: string | string[] }[] }): string[] {
  return notebook.cells.map(cell => (Array.isArray(cell.source) ? cell.source.join('') : cell.source));
}

describe('proposing a change', () => {
  it('stores the proposal as a git commit on refs/change-requests/<id>, based on the given revision', async () => {
    const notebook = await create(sampleNotebook('# Intro'));
    const response = await propose(bob, notebook.id, sampleNotebook('# Better intro'), notebook.revision);
    expect(response.statusCode).toBe(201);
    const request = response.json();
    expect(request).toMatchObject({
      notebookId: notebook.id,
      notebookTitle: 'Course notes',
      proposer: 'bob',
      message: 'Fix the intro',
      baseRevision: notebook.revision,
      status: 'open',
      decidedAt: null,
      decidedBy: null,
      comment: null,
      acceptedRevision: null,
      canDecide: false
    });
    const repo = gallery.repo(notebook.id);
    const ref = `refs/change-requests/${request.id}`;
    expect(git(repo, 'rev-parse', `${ref}^`)).toBe(notebook.revision);
    expect(git(repo, 'log', '-1', '--format=%an %s', ref)).toBe('bob Fix the intro');
    expect(JSON.parse(git(repo, 'show', `${ref}:notebook.ipynb`)).cells[1].outputs).toEqual([]);
    expect(git(repo, 'rev-parse', 'main')).toBe(notebook.revision);
    expect(fsck(repo).status).toBe(0);

    const proposed = await call(bob, 'GET', `/api/notebooks/${notebook.id}/change-requests/${request.id}/content`);
    expect(proposed.statusCode).toBe(200);
    expect(proposed.headers['content-type']).toMatch(/application\/x-ipynb\+json/);
    expect(sources(proposed.json())).toEqual(['# Better intro', 'print(1)']);
  });

  it('answers 404 for a notebook the caller may not read, and checks the revision and the notebook', async () => {
    const secret = await create(sampleNotebook('secret'), { visibility: 'private' });
    const open = await create(sampleNotebook('open'));
    const hidden = await propose(bob, secret.id, sampleNotebook('mine'), secret.revision);
    expect([hidden.statusCode, hidden.json().error]).toEqual([404, 'NOTEBOOK_NOT_FOUND']);
    const foreign = await propose(bob, open.id, sampleNotebook('mine'), secret.revision);
    expect([foreign.statusCode, foreign.json().error]).toEqual([404, 'REVISION_NOT_FOUND']);
    const broken = await propose(bob, open.id, { nbformat: 4, cells: 'none' }, open.revision);
    expect(broken.statusCode).toBe(400);
    const anonymous = await gallery.request(null, {
      method: 'POST',
      url: `/api/notebooks/${open.id}/change-requests`,
      payload: { notebook: sampleNotebook('x'), baseRevision: open.revision, message: 'm' }
    });
    expect(anonymous.statusCode).toBe(401);
    expect((await call(ann, 'GET', `/api/notebooks/${open.id}/change-requests`)).json().items).toEqual([]);
  });
});

describe('seeing change requests', () => {
  it('shows all of a notebook’s requests to its editors, and only their own to other readers', async () => {
    const notebook = await create(sampleNotebook('# Intro'));
    const fromBob = (await propose(bob, notebook.id, sampleNotebook('bob'), notebook.revision)).json();
    const fromCarl = (await propose(carl, notebook.id, sampleNotebook('carl'), notebook.revision)).json();
    const list = async (token: string, query = '') =>
      (await call(token, 'GET', `/api/notebooks/${notebook.id}/change-requests${query}`)).json().items;

    const forAnn = await list(ann);
    expect(forAnn.map((r: { id: string }) => r.id)).toEqual([fromCarl.id, fromBob.id]);
    expect(forAnn.every((r: { canDecide: boolean }) => r.canDecide)).toBe(true);
    expect((await list(bob)).map((r: { id: string }) => r.id)).toEqual([fromBob.id]);
    expect(await list(ann, '?status=declined')).toEqual([]);

    const detail = await call(ann, 'GET', `/api/notebooks/${notebook.id}/change-requests/${fromBob.id}`);
    expect(detail.statusCode).toBe(200);
    expect(detail.json()).toMatchObject({ id: fromBob.id, canDecide: true });
    expect(detail.json().diff.summary).toMatchObject({ modified: 1, unchanged: 1 });
    const other = await call(carl, 'GET', `/api/notebooks/${notebook.id}/change-requests/${fromBob.id}`);
    expect([other.statusCode, other.json().error]).toEqual([404, 'CHANGE_REQUEST_NOT_FOUND']);
    const otherContent = await call(carl, 'GET', `/api/notebooks/${notebook.id}/change-requests/${fromBob.id}/content`);
    expect(otherContent.statusCode).toBe(404);
  });

  it('lists across notebooks: the proposer’s own, and the review queue of notebooks the caller edits', async () => {
    const first = await create(sampleNotebook('first'), { title: 'First' });
    const second = await create(sampleNotebook('second'), { title: 'Second' });
    const a = (await propose(bob, first.id, sampleNotebook('a'), first.revision)).json();
    const b = (await propose(bob, second.id, sampleNotebook('b'), second.revision)).json();
    const c = (await propose(carl, second.id, sampleNotebook('c'), second.revision)).json();
    const ids = async (token: string, query: string) =>
      (await call(token, 'GET', `/api/change-requests${query}`)).json().items.map((r: { id: string }) => r.id);

    expect(await ids(bob, '?role=proposer')).toEqual([b.id, a.id]);
    expect(await ids(bob, '?role=reviewer')).toEqual([]);
    expect(await ids(ann, '?role=reviewer')).toEqual([c.id, b.id, a.id]);
    expect(await ids(ann, '?role=proposer')).toEqual([]);
    expect(await ids(carl, '')).toEqual([c.id]);

    await call(ann, 'POST', `/api/notebooks/${second.id}/change-requests/${b.id}/decline`, { comment: 'No thanks' });
    expect(await ids(ann, '?role=reviewer&status=open')).toEqual([c.id, a.id]);
    const mine = (await call(bob, 'GET', '/api/change-requests?role=proposer&status=declined')).json().items;
    expect(mine).toEqual([
      expect.objectContaining({ id: b.id, notebookTitle: 'Second', status: 'declined', comment: 'No thanks' })
    ]);

    // A proposer who can no longer read the notebook no longer sees the request (nor its title).
    const hide = await call(ann, 'PATCH', `/api/notebooks/${first.id}`, { visibility: 'private' });
    expect(hide.statusCode).toBe(200);
    expect(await ids(bob, '?role=proposer')).toEqual([b.id]);

    // Deleting a notebook removes its change requests.
    const removed = await gallery.request(ann, { method: 'DELETE', url: `/api/notebooks/${second.id}` });
    expect(removed.statusCode).toBe(204);
    expect(await ids(ann, '?role=reviewer')).toEqual([a.id]);
  });
});

describe('accepting a change request', () => {
  it('makes a new revision authored by the proposer, as a merge of the proposal commit', async () => {
    const notebook = await create(sampleNotebook('# Intro'));
    const request = (await propose(bob, notebook.id, sampleNotebook('# Better intro'), notebook.revision)).json();
    const url = `/api/notebooks/${notebook.id}/change-requests/${request.id}`;

    expect((await call(bob, 'POST', `${url}/accept`, {})).statusCode).toBe(403);
    const response = await call(ann, 'POST', `${url}/accept`, { comment: 'Thanks!' });
    expect(response.statusCode).toBe(200);
    const saved = response.json();
    expect(saved).toMatchObject({ revisionNumber: 2, changed: true, merged: false });
    expect(sources(await content(notebook.id))).toEqual(['# Better intro', 'print(1)']);
    expect((await revisions(notebook.id))[0]).toMatchObject({ revision: saved.revision, author: 'bob' });

    const repo = gallery.repo(notebook.id);
    expect(git(repo, 'log', '-1', '--format=%an|%cn|%P', 'main')).toBe(
      `bob|ann|${notebook.revision} ${git(repo, 'rev-parse', `refs/change-requests/${request.id}`)}`
    );
    expect(fsck(repo).status).toBe(0);

    const closed = (await call(bob, 'GET', url)).json();
    expect(closed).toMatchObject({
      status: 'accepted',
      decidedBy: 'ann',
      comment: 'Thanks!',
      acceptedRevision: saved.revision,
      canDecide: false
    });
    const again = await call(ann, 'POST', `${url}/accept`, {});
    expect([again.statusCode, again.json().error]).toEqual([409, 'CHANGE_REQUEST_CLOSED']);
    expect(await revisions(notebook.id)).toHaveLength(2);
  });

  it('merges three-way when the notebook moved on since the request’s base', async () => {
    const notebook = await create(sampleNotebook('# Intro', 'x = 1'));
    const request = (await propose(bob, notebook.id, sampleNotebook('# Intro', 'x = 2'), notebook.revision)).json();
    const moved = (
      await gallery.request(ann, {
        method: 'PUT',
        url: `/api/notebooks/${notebook.id}`,
        payload: { notebook: sampleNotebook('# Intro by ann', 'x = 1'), baseRevision: notebook.revision }
      })
    ).json();

    const response = await call(ann, 'POST', `/api/notebooks/${notebook.id}/change-requests/${request.id}/accept`, {});
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({
      merged: true,
      revisionNumber: 3,
      mergedWith: { revision: moved.revision, number: 2, author: 'ann' }
    });
    expect(sources(response.json().notebook)).toEqual(['# Intro by ann', 'x = 2']);
    expect(sources(await content(notebook.id))).toEqual(['# Intro by ann', 'x = 2']);
    expect((await revisions(notebook.id))[0].author).toBe('bob');
  });

  it('answers 409 with the conflicts and the way forward when the merge conflicts; the request stays open', async () => {
    const notebook = await create(sampleNotebook('# Intro'));
    const request = (await propose(bob, notebook.id, sampleNotebook('# Bob’s intro'), notebook.revision)).json();
    const moved = (
      await gallery.request(ann, {
        method: 'PUT',
        url: `/api/notebooks/${notebook.id}`,
        payload: { notebook: sampleNotebook('# Ann’s intro'), baseRevision: notebook.revision }
      })
    ).json();
    const url = `/api/notebooks/${notebook.id}/change-requests/${request.id}`;

    const response = await call(ann, 'POST', `${url}/accept`, {});
    expect(response.statusCode).toBe(409);
    const body = response.json();
    expect(body).toMatchObject({ error: 'REVISION_CONFLICT', currentRevision: moved.revision });
    expect(body.message).toMatch(/ask bob to submit it again from the latest revision/);
    expect(body.conflicts).toEqual([expect.objectContaining({ kind: 'source', cellId: 'intro' })]);
    expect(await revisions(notebook.id)).toHaveLength(2);
    expect((await call(ann, 'GET', url)).json().status).toBe('open');
  });
});

describe('accepting a proposal equal to the latest revision', () => {
  it('settles the request without a commit', async () => {
    const notebook = await create(sampleNotebook('# Intro'));
    const request = (await propose(bob, notebook.id, sampleNotebook('# Intro'), notebook.revision)).json();
    const url = `/api/notebooks/${notebook.id}/change-requests/${request.id}`;
    const response = await call(ann, 'POST', `${url}/accept`, {});
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ changed: false, merged: false, revision: notebook.revision });
    expect((await call(bob, 'GET', url)).json()).toMatchObject({
      status: 'accepted',
      acceptedRevision: notebook.revision
    });
    expect(await revisions(notebook.id)).toHaveLength(1);
  });
});

describe('admins', () => {
  it('may decide change requests of notebooks they could not otherwise edit, and that is audited', async () => {
    const ada = await gallery.login('ada', { admin: true });
    const notebook = await create(sampleNotebook('# Intro'));
    const first = (await propose(bob, notebook.id, sampleNotebook('# One'), notebook.revision)).json();
    const second = (await propose(bob, notebook.id, sampleNotebook('# Two'), notebook.revision)).json();
    const url = (id: string) => `/api/notebooks/${notebook.id}/change-requests/${id}`;
    expect((await call(ada, 'POST', `${url(first.id)}/decline`, {})).statusCode).toBe(200);
    expect((await call(ada, 'POST', `${url(second.id)}/accept`, {})).statusCode).toBe(200);
    const log = (await call(ada, 'GET', '/api/admin/audit')).json().items;
    expect(log.map((entry: { action: string; target: string }) => [entry.action, entry.target])).toEqual([
      ['change-request.accept', notebook.id],
      ['change-request.decline', notebook.id]
    ]);
  });
});

describe('declining and withdrawing', () => {
  it('declines with a comment, for those who may edit only', async () => {
    const notebook = await create(sampleNotebook('# Intro'));
    const request = (await propose(bob, notebook.id, sampleNotebook('# Nope'), notebook.revision)).json();
    const url = `/api/notebooks/${notebook.id}/change-requests/${request.id}`;
    expect((await call(bob, 'POST', `${url}/decline`, {})).statusCode).toBe(403);
    expect((await call(carl, 'POST', `${url}/decline`, {})).statusCode).toBe(404);

    const response = await call(ann, 'POST', `${url}/decline`, { comment: 'Out of scope' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ status: 'declined', comment: 'Out of scope', decidedBy: 'ann' });
    expect(await revisions(notebook.id)).toHaveLength(1);
    const withdraw = await call(bob, 'POST', `${url}/withdraw`);
    expect([withdraw.statusCode, withdraw.json().error]).toEqual([409, 'CHANGE_REQUEST_CLOSED']);
  });

  it('lets only the proposer withdraw', async () => {
    const notebook = await create(sampleNotebook('# Intro'));
    const request = (await propose(bob, notebook.id, sampleNotebook('# Mine'), notebook.revision)).json();
    const url = `/api/notebooks/${notebook.id}/change-requests/${request.id}`;
    expect((await call(carl, 'POST', `${url}/withdraw`)).json().error).toBe('CHANGE_REQUEST_NOT_FOUND');
    const byOwner = await call(ann, 'POST', `${url}/withdraw`);
    expect([byOwner.statusCode, byOwner.json().error]).toEqual([403, 'FORBIDDEN']);

    const response = await call(bob, 'POST', `${url}/withdraw`);
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ status: 'withdrawn', decidedBy: 'bob' });
    const accept = await call(ann, 'POST', `${url}/accept`, {});
    expect(accept.statusCode).toBe(409);
    expect((await call(ann, 'GET', `/api/notebooks/${notebook.id}/change-requests/nope`)).statusCode).toBe(404);
  });
});

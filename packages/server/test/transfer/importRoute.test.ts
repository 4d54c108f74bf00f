import * as fs from 'node:fs';
import * as git from 'isomorphic-git';
import { repositoryPath } from '../../src/storage/repositoryLayout';
import { sampleNotebook } from '../helpers/fixtures';
import { SETUP_TIMEOUT_MS, startTestGallery, type ITestGallery } from '../helpers/testGallery';

let gallery: ITestGallery;
let admin: string;
let user: string;

beforeAll(async () => {
  gallery = await startTestGallery();
  admin = await gallery.login('root', { admin: true });
  user = await gallery.login('ann');
}, SETUP_TIMEOUT_MS);

afterAll(async () => {
  await gallery.close();
});

function revision(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    origin: 'folder:/srv/notebooks',
    sourceKey: 'a.ipynb',
    metadata: {
      title: 'A',
      description: '',
      tags: ['x'],
      visibility: 'private',
      owner: 'ann',
      group: null,
      ownedByGroup: false
    },
    revisionKey: 'k1',
    notebook: sampleNotebook('# A'),
    authorName: 'Ann',
    authorEmail: 'ann@example.org',
    username: 'ann',
    date: '2020-01-02T03:04:05.000Z',
    message: 'Import a.ipynb',
    ...overrides
  };
}

const post = (token: string, payload: Record<string, unknown>) =>
  gallery.request(token, { method: 'POST', url: '/api/admin/import/revisions', payload });

describe('POST /api/admin/import/revisions', () => {
  it('creates the notebook for an admin, then skips the same revision and adds the next', async () => {
    const created = await post(admin, revision());
    expect(created.statusCode).toBe(200);
    expect(created.json()).toEqual({ notebookId: expect.any(String), status: 'created' });
    const id = created.json().notebookId as string;

    expect((await post(admin, revision())).json()).toEqual({ notebookId: id, status: 'skipped' });
    const next = await post(admin, revision({ revisionKey: 'k2', notebook: sampleNotebook('# A', 'print(2)') }));
    expect(next.json()).toEqual({ notebookId: id, status: 'applied' });

    const revisions = await gallery.request(user, { method: 'GET', url: `/api/notebooks/${id}/revisions` });
    expect(revisions.json().items.map((r: { author: string; createdAt: string }) => [r.author, r.createdAt])).toEqual([
      ['ann', '2020-01-02T03:04:05.000Z'],
      ['ann', '2020-01-02T03:04:05.000Z']
    ]);
  });

  it('keeps the id an archive wanted when it is free and shaped like a gallery id, and makes a new one otherwise', async () => {
    const wanted = 'Wanted_id-012345';
    const first = await post(admin, revision({ sourceKey: 'w1', wantedId: wanted }));
    expect(first.json()).toEqual({ notebookId: wanted, status: 'created' });
    const taken = await post(admin, revision({ sourceKey: 'w2', wantedId: wanted }));
    expect(taken.json().notebookId).not.toBe(wanted);
    const escaping = await post(admin, revision({ sourceKey: 'w3', wantedId: '../../../etc/xx' }));
    expect(escaping.statusCode).toBe(400);
    // In process (import --data-dir) no schema stands between an archive and the service: it ignores such an id.
    const caller = { user: { username: 'root', isAdmin: true }, groups: new Map() };
    const inProcess = await gallery.app.gallery.imports.applyRevision(caller, {
      ...(revision({ sourceKey: 'w4' }) as any),
      wantedId: '../../../etc/xx'
    });
    expect(inProcess.notebookId).toMatch(/^[A-Za-z0-9_-]{16}$/);
  });

  it('refuses a user who is not an admin with 403, and anyone without a login with 401', async () => {
    const refused = await post(user, revision({ sourceKey: 'b.ipynb' }));
    expect(refused.statusCode).toBe(403);
    expect(refused.json()).toEqual({ error: 'FORBIDDEN', message: 'Only admins may import notebooks' });
    const anonymous = await gallery.app.inject({
      method: 'POST',
      url: '/api/admin/import/revisions',
      payload: revision()
    });
    expect(anonymous.statusCode).toBe(401);
  });

  it("writes a merge with the source's committer and second parent, and refuses a second parent the repository lacks", async () => {
    const created = await post(admin, revision({ sourceKey: 'm.ipynb' }));
    const id = created.json().notebookId as string;
    const head = (await gallery.request(user, { url: `/api/notebooks/${id}` })).json().revision as string;
    const proposed = await gallery.request(user, {
      method: 'POST',
      url: `/api/notebooks/${id}/change-requests`,
      payload: { notebook: sampleNotebook('# A', 'print(3)'), baseRevision: head, message: 'Print three' }
    });
    expect(proposed.statusCode).toBe(201);
    // The API does not show a proposal's commit; its ref does.
    const proposal = await git.resolveRef({
      fs,
      gitdir: repositoryPath(gallery.dataDir, id),
      ref: `refs/change-requests/${proposed.json().id}`
    });
    expect(proposal).toMatch(/^[0-9a-f]{40}$/);

    const badParent = await post(admin, revision({ sourceKey: 'm.ipynb', revisionKey: 'm2', mergeParent: 'HEAD~1' }));
    expect(badParent.statusCode).toBe(400);
    expect(badParent.json()).toMatchObject({ error: 'VALIDATION_FAILED', field: 'mergeParent' });
    const missing = await post(
      admin,
      revision({
        sourceKey: 'm.ipynb',
        revisionKey: 'm2',
        notebook: sampleNotebook('# A', 'print(3)'),
        mergeParent: 'a'.repeat(40)
      })
    );
    expect(missing.statusCode).toBe(400);
    expect(missing.json().message).toContain(`The merge parent aaaaaaa is not a commit of this notebook's repository`);
    const firstMerge = await post(admin, revision({ sourceKey: 'm-new.ipynb', mergeParent: proposal }));
    expect(firstMerge.statusCode).toBe(400);
    expect(firstMerge.json().message).toContain('cannot be a merge');

    const merged = await post(
      admin,
      revision({
        sourceKey: 'm.ipynb',
        revisionKey: 'm2',
        notebook: sampleNotebook('# A', 'print(3)'),
        mergeParent: proposal,
        committer: { name: 'Rev Iewer', email: 'rev@example.org', date: '2021-05-06T07:08:09.000Z' }
      })
    );
    expect(merged.json()).toEqual({ notebookId: id, status: 'applied' });
    const latest = (await gallery.request(user, { url: `/api/notebooks/${id}` })).json().revision as string;
    const commit = await git.readCommit({ fs, gitdir: repositoryPath(gallery.dataDir, id), oid: latest });
    expect(commit.commit.parent).toEqual([head, proposal]);
    expect(commit.commit.author).toMatchObject({ name: 'Ann', email: 'ann@example.org', timestamp: 1577934245 });
    expect(commit.commit.committer).toMatchObject({
      name: 'Rev Iewer',
      email: 'rev@example.org',
      timestamp: 1620284889
    });
  });

  it('answers typed errors: a body off the schema, an unknown owner, a notebook that is not nbformat 4', async () => {
    const badBody = await post(admin, revision({ date: 'yesterday' }));
    expect(badBody.statusCode).toBe(400);
    expect(badBody.json()).toMatchObject({ error: 'VALIDATION_FAILED', field: 'date' });

    const unknownOwner = await post(admin, revision({ sourceKey: 'c.ipynb', username: 'nobody' }));
    expect(unknownOwner.statusCode).toBe(400);
    expect(unknownOwner.json().message).toContain('The author "nobody" has no account here');

    const notebook = await post(
      admin,
      revision({ sourceKey: 'd.ipynb', notebook: { nbformat: 4, nbformat_minor: 5, metadata: {}, cells: 'no' } })
    );
    expect(notebook.statusCode).toBe(400);
    expect(notebook.json()).toMatchObject({ error: 'INVALID_NOTEBOOK', path: 'cells' });
  });
});

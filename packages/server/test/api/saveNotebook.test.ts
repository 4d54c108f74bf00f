import * as fs from 'node:fs';
import { fixtureJson, fixtureText, sampleNotebook } from '../helpers/fixtures';
import { fsck, git, repositoryIds } from '../helpers/git';
import { startTestGallery, type ITestGallery, SETUP_TIMEOUT_MS } from '../helpers/testGallery';

let gallery: ITestGallery;
let ann: string;
let bob: string;

beforeEach(async () => {
  // These tests are about saving and listing, not permissions: every notebook is visible to every user.
  gallery = await startTestGallery({ 'default-visibility': 'public' });
  ann = await gallery.login('ann');
  bob = await gallery.login('bob');
}, SETUP_TIMEOUT_MS);

afterEach(async () => {
  await gallery.close();
});

async function create(token: string, notebook: unknown, extra: Record<string, unknown> = {}) {
  return gallery.request(token, {
    method: 'POST',
    url: '/api/notebooks',
    payload: { notebook, title: 'Test', ...extra }
  });
}

async function revisionCount(id: string): Promise<number> {
  const response = await gallery.request(ann, { method: 'GET', url: `/api/notebooks/${id}/revisions` });
  return response.json().items.length;
}

describe('creating a notebook', () => {
  it('commits the stripped notebook to a bare repository that stock git accepts', async () => {
    const original = fixtureJson('nbformat/test4.5.ipynb');
    expect(original.cells.some((cell: any) => cell.outputs?.length)).toBe(true);

    const response = await create(ann, original, {
      title: '  LaTeX test  ',
      description: 'from nbformat',
      tags: ['latex', 'Demo', 'demo'],
      message: 'First upload'
    });

    expect(response.statusCode).toBe(201);
    const saved = response.json();
    expect(saved).toMatchObject({
      title: 'LaTeX test',
      description: 'from nbformat',
      tags: ['latex', 'Demo'],
      owner: 'ann',
      revisionNumber: 1,
      parent: null,
      canEdit: true,
      changed: true
    });
    expect(saved.id).toMatch(/^[A-Za-z0-9_-]{16}$/);
    const repo = gallery.repo(saved.id);
    expect(git(repo, 'rev-parse', 'main')).toBe(saved.revision);
    expect(git(repo, 'log', '--format=%an <%ae>|%s', 'main')).toBe(
      'ann <ann@users.noreply.notebook-gallery>|First upload'
    );
    expect(fsck(repo).status).toBe(0);
    const committed = JSON.parse(git(repo, 'show', 'main:notebook.ipynb'));
    for (const cell of committed.cells) {
      if (cell.cell_type === 'code') {
        expect(cell.outputs).toEqual([]);
        expect(cell.execution_count).toBeNull();
      }
    }
    expect(committed.cells.map((cell: any) => cell.id)).toEqual(original.cells.map((cell: any) => cell.id));
  });

  it('serves the committed bytes as application/x-ipynb+json, ending in a newline like Jupyter writes', async () => {
    const saved = (await create(ann, fixtureJson('nbformat/test4.5.ipynb'))).json();
    const response = await gallery.request(bob, { method: 'GET', url: `/api/notebooks/${saved.id}/content` });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^application\/x-ipynb\+json/);
    expect(response.body).toBe(git(gallery.repo(saved.id), 'show', 'main:notebook.ipynb') + '\n');
    expect(response.body.startsWith('{\n "cells": [\n')).toBe(true);
  });

  it('keeps notebook and cell metadata keys it does not know about', async () => {
    const notebook = sampleNotebook('hello');
    notebook.metadata.custom_key = { nested: [1, 2, { deep: true }] };
    notebook.cells[0].metadata.my_extension = { keep: 'me' };
    const saved = (await create(ann, notebook)).json();
    const content = (await gallery.request(ann, { method: 'GET', url: `/api/notebooks/${saved.id}/content` })).json();
    expect(content.metadata.custom_key).toEqual({ nested: [1, 2, { deep: true }] });
    expect(content.cells[0].metadata.my_extension).toEqual({ keep: 'me' });
  });

  it('accepts nbformat 4.0 without cell ids as it is', async () => {
    const saved = (await create(ann, fixtureJson('nbformat/test4.ipynb'))).json();
    const content = (await gallery.request(ann, { method: 'GET', url: `/api/notebooks/${saved.id}/content` })).json();
    expect(content.nbformat_minor).toBe(0);
    expect(content.cells.every((cell: any) => cell.id === undefined)).toBe(true);
  });

  it('gives nbformat 4.5 cells without ids fresh unique ids', async () => {
    const saved = (await create(ann, fixtureJson('nbformat/v4_5_no_cell_id.ipynb'))).json();
    const content = (await gallery.request(ann, { method: 'GET', url: `/api/notebooks/${saved.id}/content` })).json();
    const ids = content.cells.map((cell: any) => cell.id);
    expect(ids.every((id: unknown) => typeof id === 'string' && /^[A-Za-z0-9_-]{1,64}$/.test(id as string))).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('records the parent when saving a copy, and rejects a parent that does not exist', async () => {
    const original = (await create(ann, sampleNotebook('original'))).json();
    const copy = await create(bob, sampleNotebook('copy'), {
      parent: { id: original.id, revision: original.revision }
    });
    expect(copy.statusCode).toBe(201);
    expect(copy.json().parent).toEqual({ id: original.id, revision: original.revision });

    const missing = await create(bob, sampleNotebook('copy'), {
      parent: { id: original.id, revision: 'f'.repeat(40) }
    });
    expect(missing.statusCode).toBe(404);
    expect(missing.json().error).toBe('REVISION_NOT_FOUND');
    expect(repositoryIds(gallery.dataDir)).toHaveLength(2);
  });
});

describe('bad input is refused with a clear 4xx and changes nothing', () => {
  let existing: { id: string; revision: string };

  beforeEach(async () => {
    existing = (await create(ann, sampleNotebook('existing'))).json();
  });

  async function expectNothingChanged(): Promise<void> {
    expect(repositoryIds(gallery.dataDir)).toEqual([existing.id]);
    expect(await revisionCount(existing.id)).toBe(1);
    expect(git(gallery.repo(existing.id), 'rev-list', '--count', 'main')).toBe('1');
  }

  const cases: [string, () => unknown, string, RegExp][] = [
    ['JSON that is not a notebook', () => ({ hello: 'world' }), 'NOT_A_NOTEBOOK', /not a Jupyter notebook/],
    [
      'an nbformat 3 notebook',
      () => fixtureJson('nbformat/test3.ipynb'),
      'UNSUPPORTED_NBFORMAT',
      /too old.*nbconvert --to notebook --nbformat 4/s
    ],
    ['duplicate cell ids', () => fixtureJson('nbformat/invalid_unique_cell_id.ipynb'), 'DUPLICATE_CELL_ID', /dup/],
    ['an invalid cell id', () => fixtureJson('nbformat/invalid_cell_id.ipynb'), 'INVALID_CELL_ID', /illegal_chars/]
  ];

  it.each(cases)('%s, on create and on update', async (_name, notebook, code, message) => {
    const created = await create(ann, notebook());
    expect(created.statusCode).toBe(400);
    expect(created.json()).toMatchObject({ error: code, message: expect.stringMatching(message) });
    expect(typeof created.json().path).toBe('string');

    const updated = await gallery.request(ann, {
      method: 'PUT',
      url: `/api/notebooks/${existing.id}`,
      payload: { notebook: notebook(), baseRevision: existing.revision }
    });
    expect(updated.statusCode).toBe(400);
    expect(updated.json().error).toBe(code);
    await expectNothingChanged();
  });

  it('a body that is not JSON', async () => {
    for (const [method, url] of [
      ['POST', '/api/notebooks'],
      ['PUT', `/api/notebooks/${existing.id}`]
    ] as const) {
      const response = await gallery.request(ann, {
        method,
        url,
        headers: { 'content-type': 'application/json' },
        payload: fixtureText('nbstripout/test_invalid_json.ipynb')
      });
      expect(response.statusCode).toBe(400);
      expect(response.json().error).toBe('INVALID_JSON');
    }
    await expectNothingChanged();
  });

  it('fields that fail the schema, with a sentence saying which', async () => {
    const response = await create(ann, sampleNotebook('x'), { title: '' });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ error: 'VALIDATION_FAILED', message: expect.stringMatching(/title/) });
    const missing = await gallery.request(ann, {
      method: 'PUT',
      url: `/api/notebooks/${existing.id}`,
      payload: { notebook: sampleNotebook('x') }
    });
    expect(missing.json()).toMatchObject({
      error: 'VALIDATION_FAILED',
      message: expect.stringMatching(/baseRevision/)
    });
    await expectNothingChanged();
  });

  it('says in a sentence which listing limit a save broke, with the limit and the length, never ajv’s text', async () => {
    const cases: Array<[Record<string, unknown>, string, string]> = [
      [{ title: 'T'.repeat(231) }, 'The title is too long: at most 200 characters (it has 231).', 'title'],
      [
        { tags: Array.from({ length: 23 }, (_, index) => `tag${index}`) },
        'Too many tags: at most 20 (there are 23).',
        'tags'
      ],
      [{ tags: ['ok', 'x'.repeat(61)] }, 'Tag 2 is too long: at most 50 characters (it has 61).', 'tags[1]'],
      [
        { description: 'd'.repeat(5001) },
        'The description is too long: at most 5000 characters (it has 5001).',
        'description'
      ],
      [{ visibility: 'everyone' }, 'The visibility must be "private", "group" or "public".', 'visibility'],
      [{ colour: 'red' }, 'The request body has a field the gallery does not know: "colour".', 'colour']
    ];
    for (const [extra, message, field] of cases) {
      const response = await create(ann, sampleNotebook('x'), extra);
      expect(response.statusCode).toBe(400);
      expect(response.json()).toEqual({ error: 'VALIDATION_FAILED', message, field });
    }
    const patch = await gallery.request(ann, {
      method: 'PATCH',
      url: `/api/notebooks/${existing.id}`,
      payload: { title: '   ' }
    });
    expect(patch.json()).toEqual({
      error: 'VALIDATION_FAILED',
      message: 'The title must not be only spaces.',
      field: 'title'
    });
    const query = await gallery.request(ann, { method: 'GET', url: '/api/notebooks?limit=500' });
    expect(query.json()).toMatchObject({ message: 'The query parameter "limit" must be at most 100.', field: 'limit' });
    await expectNothingChanged();
  });

  it('unknown notebook ids and revisions give 404', async () => {
    const unknown = 'AAAAAAAAAAAAAAAA';
    for (const [method, url] of [
      ['GET', `/api/notebooks/${unknown}`],
      ['GET', `/api/notebooks/${unknown}/content`],
      ['GET', `/api/notebooks/${unknown}/revisions`],
      ['DELETE', `/api/notebooks/${unknown}`]
    ] as const) {
      const response = await gallery.request(ann, { method, url });
      expect(response.statusCode).toBe(404);
      expect(response.json().error).toBe('NOTEBOOK_NOT_FOUND');
    }
    const put = await gallery.request(ann, {
      method: 'PUT',
      url: `/api/notebooks/${unknown}`,
      payload: { notebook: sampleNotebook('x'), baseRevision: existing.revision }
    });
    expect(put.json().error).toBe('NOTEBOOK_NOT_FOUND');
    const revision = await gallery.request(ann, {
      method: 'GET',
      url: `/api/notebooks/${existing.id}/content?revision=${'0'.repeat(40)}`
    });
    expect(revision.statusCode).toBe(404);
    expect(revision.json().error).toBe('REVISION_NOT_FOUND');
    await expectNothingChanged();
  });

  it('unknown routes give 404 NOT_FOUND', async () => {
    const response = await gallery.request(ann, { method: 'GET', url: '/api/nope' });
    expect(response.statusCode).toBe(404);
    expect(response.json().error).toBe('NOT_FOUND');
  });
});

describe('a body over the configured limit', () => {
  it('gets 413 PAYLOAD_TOO_LARGE saying the limit in MB and bytes, and creates nothing', async () => {
    const small = await startTestGallery({ 'body-limit': '1MiB' });
    try {
      const token = await small.login('ann');
      const big = sampleNotebook('x'.repeat(1.5 * 1024 * 1024));
      const response = await small.request(token, {
        method: 'POST',
        url: '/api/notebooks',
        payload: { notebook: big, title: 'Too big' }
      });
      expect(response.statusCode).toBe(413);
      expect(response.json()).toEqual({
        error: 'PAYLOAD_TOO_LARGE',
        message:
          'The request body is larger than this gallery accepts: at most 1 MB (1048576 bytes), and this one has 1.5 MB. ' +
          'Notebooks are uploaded without their outputs but with their attachments (images pasted into Markdown ' +
          'cells): make large images smaller, remove them, or link to them instead.',
        limitBytes: 1048576
      });
      expect(repositoryIds(small.dataDir)).toEqual([]);
      // Clients can check before they upload.
      const config = await small.app.inject({ method: 'GET', url: '/api/auth/config' });
      expect(config.json().uploadLimitBytes).toBe(1048576);
    } finally {
      await small.close();
    }
  });
});

describe('updating a notebook', () => {
  let saved: { id: string; revision: string };

  beforeEach(async () => {
    saved = (await create(ann, sampleNotebook('v1'))).json();
  });

  async function put(token: string, notebook: unknown, baseRevision: string, message?: string) {
    return gallery.request(token, {
      method: 'PUT',
      url: `/api/notebooks/${saved.id}`,
      payload: { notebook, baseRevision, ...(message ? { message } : {}) }
    });
  }

  it('commits a new revision on top of the previous one', async () => {
    const response = await put(ann, sampleNotebook('v2'), saved.revision, 'Second draft');
    expect(response.statusCode).toBe(200);
    const second = response.json();
    expect(second).toMatchObject({ revisionNumber: 2, changed: true });
    const repo = gallery.repo(saved.id);
    expect(git(repo, 'log', '--format=%H %P|%s', 'main').split('\n')).toEqual([
      `${second.revision} ${saved.revision}|Second draft`,
      `${saved.revision} |Create Test`
    ]);
    expect(fsck(repo).status).toBe(0);

    const revisions = (
      await gallery.request(ann, { method: 'GET', url: `/api/notebooks/${saved.id}/revisions` })
    ).json();
    expect(revisions.items.map((r: any) => [r.number, r.revision, r.author, r.message])).toEqual([
      [2, second.revision, 'ann', 'Second draft'],
      [1, saved.revision, 'ann', 'Create Test']
    ]);
    const old = await gallery.request(ann, {
      method: 'GET',
      url: `/api/notebooks/${saved.id}/content?revision=${saved.revision}`
    });
    expect(old.json().cells[0].source).toEqual(['v1']);
  });

  it('uses "Update <title>" when no message is given', async () => {
    await put(ann, sampleNotebook('v2'), saved.revision);
    expect(git(gallery.repo(saved.id), 'log', '-1', '--format=%s', 'main')).toBe('Update Test');
  });

  it('makes no commit when only outputs or execution counts changed', async () => {
    const rerun = sampleNotebook('v1');
    rerun.cells[1].execution_count = 42;
    rerun.cells[1].outputs = [{ output_type: 'stream', name: 'stdout', text: ['different\n'] }];
    const response = await put(ann, rerun, saved.revision);
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ changed: false, revision: saved.revision, revisionNumber: 1 });
    expect(git(gallery.repo(saved.id), 'rev-list', '--count', 'main')).toBe('1');
    expect(await revisionCount(saved.id)).toBe(1);
  });

  it('answers a stale baseRevision with 409 REVISION_CONFLICT and the current revision', async () => {
    const second = (await put(ann, sampleNotebook('v2'), saved.revision)).json();
    const stale = await put(ann, sampleNotebook('v3 from an old copy'), saved.revision);
    expect(stale.statusCode).toBe(409);
    expect(stale.json()).toMatchObject({ error: 'REVISION_CONFLICT', currentRevision: second.revision });
    expect(stale.json().message).toMatch(/latest revision/);
    expect(git(gallery.repo(saved.id), 'rev-list', '--count', 'main')).toBe('2');
  });

  it('serialises concurrent saves to one notebook: exactly one wins per base revision', async () => {
    const results = await Promise.all(
      Array.from({ length: 5 }, (_, i) => put(ann, sampleNotebook(`racer ${i}`), saved.revision))
    );
    expect(results.map(r => r.statusCode).sort()).toEqual([200, 409, 409, 409, 409]);
    expect(git(gallery.repo(saved.id), 'rev-list', '--count', 'main')).toBe('2');
  });

  it('lets only the owner or an admin save, change metadata or delete', async () => {
    const forbidden = [
      await put(bob, sampleNotebook('bob was here'), saved.revision),
      await gallery.request(bob, { method: 'PATCH', url: `/api/notebooks/${saved.id}`, payload: { title: 'Mine' } }),
      await gallery.request(bob, { method: 'DELETE', url: `/api/notebooks/${saved.id}` })
    ];
    for (const response of forbidden) {
      expect(response.statusCode).toBe(403);
      expect(response.json()).toMatchObject({ error: 'FORBIDDEN', message: expect.stringMatching(/ann/) });
    }
    const summary = (await gallery.request(bob, { method: 'GET', url: `/api/notebooks/${saved.id}` })).json();
    expect(summary).toMatchObject({ title: 'Test', revisionNumber: 1, canEdit: false });

    const admin = await gallery.login('root', { admin: true });
    const adminSave = await put(admin, sampleNotebook('fixed by admin'), saved.revision);
    expect(adminSave.statusCode).toBe(200);
    expect(adminSave.json()).toMatchObject({ owner: 'ann', canEdit: true, revisionNumber: 2 });
    expect(git(gallery.repo(saved.id), 'log', '-1', '--format=%an', 'main')).toBe('root');
  });

  it('changes title, description and tags with PATCH without a commit', async () => {
    const response = await gallery.request(ann, {
      method: 'PATCH',
      url: `/api/notebooks/${saved.id}`,
      payload: { title: 'Renamed', tags: ['one', 'two'] }
    });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({
      title: 'Renamed',
      tags: ['one', 'two'],
      description: '',
      revisionNumber: 1
    });
    expect(git(gallery.repo(saved.id), 'rev-list', '--count', 'main')).toBe('1');
  });

  it('deletes by moving the repository to the trash', async () => {
    const response = await gallery.request(ann, { method: 'DELETE', url: `/api/notebooks/${saved.id}` });
    expect(response.statusCode).toBe(204);
    expect((await gallery.request(ann, { method: 'GET', url: `/api/notebooks/${saved.id}` })).statusCode).toBe(404);
    expect(repositoryIds(gallery.dataDir)).toEqual([]);
    const trashed = fs.readdirSync(`${gallery.dataDir}/trash`);
    expect(trashed).toHaveLength(1);
    expect(git(`${gallery.dataDir}/trash/${trashed[0]}`, 'rev-parse', 'main')).toBe(saved.revision);
  });
});

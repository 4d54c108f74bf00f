import { FakeGallery, clientFor, summary } from './helpers';

describe('GalleryClient: history and change requests', () => {
  it('restores a revision with its message and reads the merged-save reply', async () => {
    const gallery = new FakeGallery().on('POST', '/api/notebooks/nb%201/restore', {
      status: 200,
      body: { ...summary({ revisionNumber: 4 }), changed: true, merged: false }
    });
    const { client } = clientFor(gallery);
    const saved = await client.restoreRevision('nb 1', { revision: 'abc', message: 'Restored version 1' });
    expect(saved.revisionNumber).toBe(4);
    expect(gallery.sent[0].body).toEqual({ revision: 'abc', message: 'Restored version 1' });
    expect(gallery.sent[0].authorization).toBe('Bearer session-token');
  });

  it('asks for a diff with only the revisions given', async () => {
    const gallery = new FakeGallery().on('GET', '/api/notebooks/nb-1/diff', { status: 200, body: {} });
    const { client } = clientFor(gallery);
    await client.getRevisionDiff('nb-1');
    await client.getRevisionDiff('nb-1', { from: 'a', to: 'b' });
    expect(gallery.sent.map(request => new URL(request.url).search)).toEqual(['', '?from=a&to=b']);
  });

  it('sends an accept or decline without a comment as an empty body, and withdraws', async () => {
    const path = '/api/notebooks/nb-1/change-requests/cr%2F1';
    const gallery = new FakeGallery()
      .on('POST', `${path}/accept`, { status: 200, body: {} })
      .on('POST', `${path}/decline`, { status: 200, body: {} })
      .on('POST', `${path}/withdraw`, { status: 200, body: {} });
    const { client } = clientFor(gallery);
    await client.acceptChangeRequest('nb-1', 'cr/1');
    await client.declineChangeRequest('nb-1', 'cr/1', 'Not now');
    await client.withdrawChangeRequest('nb-1', 'cr/1');
    expect(gallery.sent.map(request => [request.path.split('/').pop(), request.body])).toEqual([
      ['accept', {}],
      ['decline', { comment: 'Not now' }],
      ['withdraw', {}]
    ]);
  });

  it('turns a refusal into the server’s message', async () => {
    const gallery = new FakeGallery().on('POST', '/api/notebooks/nb-1/restore', {
      status: 404,
      body: { error: 'REVISION_NOT_FOUND', message: 'Notebook nb-1 has no revision abc.' }
    });
    const { client } = clientFor(gallery);
    await expect(client.restoreRevision('nb-1', { revision: 'abc' })).rejects.toMatchObject({
      code: 'REVISION_NOT_FOUND',
      status: 404,
      message: 'Notebook nb-1 has no revision abc.'
    });
  });
});

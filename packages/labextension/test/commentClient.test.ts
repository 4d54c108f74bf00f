import { ErrorCode } from '@notebook-gallery/core';
import { GalleryError } from '../src/galleryError';
import { comment, inboxEvent, REVISION } from './commentFixtures';
import { FakeGallery, clientFor } from './helpers';

const params = (url: string) => Object.fromEntries(new URL(url).searchParams);

describe('GalleryClient comment calls', () => {
  it('lists, creates, edits, resolves, reopens and deletes comments on their routes', async () => {
    const list = { revision: REVISION, threads: [], outdated: [] };
    const created = comment('c 1', 'cell-1');
    const gallery = new FakeGallery()
      .on('GET', '/api/notebooks/nb%201/comments', { status: 200, body: list })
      .on('POST', '/api/notebooks/nb%201/comments', { status: 201, body: created })
      .on('PATCH', '/api/comments/c%201', { status: 200, body: { ...created, body: 'better' } })
      .on('POST', '/api/comments/c%201/resolve', { status: 200, body: { ...created, resolved: true } })
      .on('POST', '/api/comments/c%201/reopen', { status: 200, body: created })
      .on('DELETE', '/api/comments/c%201', { status: 204 });
    const { client } = clientFor(gallery);

    expect(await client.listComments('nb 1')).toEqual(list);
    const request = { body: 'Why @alice?', anchor: { cellId: 'cell-1', revision: REVISION } };
    expect(await client.createComment('nb 1', request)).toEqual(created);
    expect((await client.editComment('c 1', 'better')).body).toBe('better');
    expect((await client.setCommentResolved('c 1', true)).resolved).toBe(true);
    expect((await client.setCommentResolved('c 1', false)).resolved).toBe(false);
    await client.deleteComment('c 1');

    expect(gallery.sent.map(sent => [sent.method, sent.path, sent.body])).toEqual([
      ['GET', '/api/notebooks/nb%201/comments', undefined],
      ['POST', '/api/notebooks/nb%201/comments', request],
      ['PATCH', '/api/comments/c%201', { body: 'better' }],
      ['POST', '/api/comments/c%201/resolve', undefined],
      ['POST', '/api/comments/c%201/reopen', undefined],
      ['DELETE', '/api/comments/c%201', undefined]
    ]);
    expect(gallery.sent.every(sent => sent.authorization === 'Bearer session-token')).toBe(true);
  });

  it('rejects with the server’s code and sentence, so the panel can show why', async () => {
    const gallery = new FakeGallery()
      .on('POST', '/api/notebooks/nb-1/comments', {
        status: 400,
        body: { error: 'INVALID_ANCHOR', message: 'Notebook nb-1 has no cell "zz" at revision rrr' }
      })
      .on('GET', '/api/notebooks/nb-1/comments', {
        status: 404,
        body: { error: ErrorCode.NOTEBOOK_NOT_FOUND, message: 'No notebook with id nb-1' }
      })
      .on('PATCH', '/api/comments/c1', 'network-error');
    const { client } = clientFor(gallery);

    await expect(client.createComment('nb-1', { body: 'x', anchor: { cellId: 'zz' } })).rejects.toMatchObject({
      code: 'INVALID_ANCHOR',
      status: 400,
      message: 'Notebook nb-1 has no cell "zz" at revision rrr'
    });
    const gone = await client.listComments('nb-1').catch(error => error);
    expect(GalleryError.is(gone, ErrorCode.NOTEBOOK_NOT_FOUND)).toBe(true);
    await expect(client.editComment('c1', 'y')).rejects.toMatchObject({
      code: ErrorCode.NETWORK_ERROR,
      message: expect.stringContaining('could not be reached')
    });
  });
});

describe('GalleryClient inbox calls', () => {
  it('lists events with paging, counts unread, marks read and mutes', async () => {
    const page = { items: [inboxEvent('e1')], nextCursor: 'next' };
    const gallery = new FakeGallery()
      .on('GET', '/api/inbox', { status: 200, body: page })
      .on('GET', '/api/inbox/unread-count', { status: 200, body: { unread: 4 } })
      .on('POST', '/api/inbox/read', { status: 204 })
      .on('PUT', '/api/notebooks/nb%201/mute', { status: 200, body: { muted: true } })
      .on('DELETE', '/api/notebooks/nb%201/mute', { status: 200, body: { muted: false } });
    const { client } = clientFor(gallery);

    expect(await client.listInbox({ unread: true, limit: 5, cursor: 'abc' })).toEqual(page);
    expect(await client.unreadCount()).toBe(4);
    await client.markInboxRead({ all: true });
    await client.markInboxRead({ ids: ['e1'] });
    expect(await client.setMuted('nb 1', true)).toEqual({ muted: true });
    expect(await client.setMuted('nb 1', false)).toEqual({ muted: false });

    expect(gallery.sent.map(sent => [sent.method, sent.path, params(sent.url), sent.body])).toEqual([
      ['GET', '/api/inbox', { unread: 'true', limit: '5', cursor: 'abc' }, undefined],
      ['GET', '/api/inbox/unread-count', {}, undefined],
      ['POST', '/api/inbox/read', {}, { all: true }],
      ['POST', '/api/inbox/read', {}, { ids: ['e1'] }],
      ['PUT', '/api/notebooks/nb%201/mute', {}, undefined],
      ['DELETE', '/api/notebooks/nb%201/mute', {}, undefined]
    ]);
  });

  it('says to log in first instead of asking the server while logged out', async () => {
    const gallery = new FakeGallery();
    const { client } = clientFor(gallery, { loggedIn: false });
    await expect(client.unreadCount()).rejects.toMatchObject({ code: ErrorCode.UNAUTHORIZED });
    expect(gallery.sent).toEqual([]);
  });
});

import { ErrorCode, type INotebookListItem } from '@notebook-gallery/core';
import { GalleryModel } from '../src/services/galleryModel';
import { FakeGallery, clientFor, summary } from './helpers';

function item(id: string): INotebookListItem {
  return summary({ id, title: `Notebook ${id}` });
}

/** Resolves once the model reaches `status`. */
function settled(model: GalleryModel, status: string): Promise<void> {
  return new Promise(resolve => {
    const check = (): void => {
      if (model.status === status) {
        model.stateChanged.disconnect(check);
        resolve();
      }
    };
    model.stateChanged.connect(check);
    check();
  });
}

describe('GalleryModel', () => {
  it('lists nothing and asks nothing while logged out', async () => {
    const gallery = new FakeGallery();
    const { client } = clientFor(gallery, { loggedIn: false });
    const model = new GalleryModel(client);
    await model.refresh();
    expect(model.status).toBe('idle');
    expect(model.items).toEqual([]);
    expect(gallery.sent).toHaveLength(0);
  });

  it('searches, filters and loads the next page with the server’s cursor', async () => {
    const gallery = new FakeGallery().on('GET', '/api/notebooks', request =>
      new URL(request.url).searchParams.get('cursor') === 'page-2'
        ? { status: 200, body: { items: [item('c')], nextCursor: null } }
        : { status: 200, body: { items: [item('a'), item('b')], nextCursor: 'page-2' } }
    );
    const { client } = clientFor(gallery);
    const model = new GalleryModel(client, { pageSize: 2 });
    await model.setFilter({ query: '  sales ' });
    await model.setFilter({ scope: 'mine' });
    expect(model.items.map(i => i.id)).toEqual(['a', 'b']);
    expect(model.hasMore).toBe(true);
    await model.loadMore();
    expect(model.items.map(i => i.id)).toEqual(['a', 'b', 'c']);
    expect(model.hasMore).toBe(false);
    const last = new URL(gallery.sent[gallery.sent.length - 1].url).searchParams;
    expect(Object.fromEntries(last)).toEqual({ q: 'sales', scope: 'mine', limit: '2', cursor: 'page-2' });
  });

  it('shows the answer to the newest search, not a slower older one', async () => {
    const answers: Array<() => void> = [];
    const gallery = new FakeGallery();
    const { client } = clientFor(gallery);
    jest.spyOn(client, 'listNotebooks').mockImplementation(
      query =>
        new Promise(resolve => {
          answers.push(() => resolve({ items: [item(query?.q ?? 'all')], nextCursor: null }));
        })
    );
    const model = new GalleryModel(client);
    const older = model.setFilter({ query: 'old' });
    const newer = model.setFilter({ query: 'new' });
    answers[1]();
    await newer;
    answers[0]();
    await older;
    expect(model.items.map(i => i.id)).toEqual(['new']);
  });

  it('shows the server’s message when listing fails, and recovers on refresh', async () => {
    let fail = true;
    const gallery = new FakeGallery().on('GET', '/api/notebooks', () =>
      fail
        ? { status: 500, body: { error: ErrorCode.INTERNAL_ERROR, message: 'The search index is rebuilding.' } }
        : { status: 200, body: { items: [item('a')], nextCursor: null } }
    );
    const { client } = clientFor(gallery);
    const model = new GalleryModel(client);
    await model.refresh();
    expect(model.status).toBe('error');
    expect(model.error?.message).toBe('The search index is rebuilding.');
    fail = false;
    await model.refresh();
    expect(model.status).toBe('ready');
    expect(model.error).toBeNull();
  });

  it('goes quiet instead of showing an error when the login expired (the login form explains)', async () => {
    const gallery = new FakeGallery().on('GET', '/api/notebooks', {
      status: 401,
      body: { error: ErrorCode.UNAUTHORIZED, message: 'Your login has expired.' }
    });
    const { client } = clientFor(gallery);
    const model = new GalleryModel(client);
    await model.refresh();
    await settled(model, 'idle');
    expect(model.error).toBeNull();
    expect(model.items).toEqual([]);
  });

  it('reloads when the user logs in', async () => {
    const gallery = new FakeGallery()
      .on('POST', '/api/auth/login', {
        status: 200,
        body: { token: 'jwt', user: { username: 'alice', isAdmin: false } }
      })
      .on('POST', '/api/tokens', {
        status: 201,
        body: { id: 't', token: 's', name: 'n', kind: 'session', createdAt: 'x', lastUsedAt: null, expiresAt: null }
      })
      .on('GET', '/api/notebooks', { status: 200, body: { items: [item('a')], nextCursor: null } });
    const { client } = clientFor(gallery, { loggedIn: false });
    const model = new GalleryModel(client);
    const ready = settled(model, 'ready');
    await client.login('alice', 'pw');
    await ready;
    expect(model.items.map(i => i.id)).toEqual(['a']);
  });
});

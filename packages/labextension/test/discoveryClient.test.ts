import { GalleryModel } from '../src/services/galleryModel';
import { FakeGallery, clientFor, listed, summary } from './helpers';

const params = (url: string) => Object.fromEntries(new URL(url).searchParams);

describe('GalleryClient discovery calls', () => {
  it('stars, unstars and records activity on the notebook routes', async () => {
    const gallery = new FakeGallery()
      .on('PUT', '/api/notebooks/n%201/star', { status: 200, body: { starred: true, stars: 3 } })
      .on('DELETE', '/api/notebooks/n%201/star', { status: 200, body: { starred: false, stars: 2 } })
      .on('POST', '/api/notebooks/n%201/activity', { status: 204 });
    const { client } = clientFor(gallery);

    expect(await client.starNotebook('n 1')).toEqual({ starred: true, stars: 3 });
    expect(await client.unstarNotebook('n 1')).toEqual({ starred: false, stars: 2 });
    await client.recordActivity('n 1', 'view');

    expect(gallery.sent.map(request => [request.method, request.path, request.body])).toEqual([
      ['PUT', '/api/notebooks/n%201/star', undefined],
      ['DELETE', '/api/notebooks/n%201/star', undefined],
      ['POST', '/api/notebooks/n%201/activity', { kind: 'view' }]
    ]);
    expect(gallery.sent.every(request => request.authorization === 'Bearer session-token')).toBe(true);
  });

  it('asks for facets, tag suggestions and similar notebooks with their query parameters', async () => {
    const facets = { tags: [{ value: 'maps', count: 2 }], owners: [], languages: [] };
    const gallery = new FakeGallery()
      .on('GET', '/api/notebooks/facets', { status: 200, body: facets })
      .on('GET', '/api/tags', { status: 200, body: { items: [{ tag: 'maps', count: 2 }] } })
      .on('GET', '/api/notebooks/n1/similar', { status: 200, body: { similar: [], alsoOpened: [] } })
      .on('GET', '/api/notebooks', { status: 200, body: { items: [], nextCursor: null } });
    const { client } = clientFor(gallery);

    expect(await client.getFacets({ q: 'sales', starred: true })).toEqual(facets);
    expect(await client.suggestTags('ma', 8)).toEqual([{ tag: 'maps', count: 2 }]);
    expect(await client.getSimilar('n1', 5)).toEqual({ similar: [], alsoOpened: [] });
    await client.listNotebooks({ q: 'sales', sort: 'stars', starred: false });

    expect(gallery.sent.map(request => [request.path, params(request.url)])).toEqual([
      ['/api/notebooks/facets', { q: 'sales', starred: 'true' }],
      ['/api/tags', { prefix: 'ma', limit: '8' }],
      ['/api/notebooks/n1/similar', { limit: '5' }],
      // `starred: false` is the same as leaving it out.
      ['/api/notebooks', { q: 'sales', sort: 'stars' }]
    ]);
  });
});

describe('GalleryModel discovery state', () => {
  it('lists with the sort and the starred filter, and loads the facets of the same search', async () => {
    const facets = { tags: [{ value: 'maps', count: 1 }], owners: [{ value: 'alice', count: 1 }], languages: [] };
    const gallery = new FakeGallery()
      .on('GET', '/api/notebooks', { status: 200, body: { items: [summary()], nextCursor: null } })
      .on('GET', '/api/notebooks/facets', { status: 200, body: facets });
    const { client } = clientFor(gallery);
    const model = new GalleryModel(client);

    await model.setFilter({ query: 'sales', starred: true, sort: 'trending' });
    await new Promise(resolve => setTimeout(resolve, 0));

    expect(params(gallery.requests('GET', '/api/notebooks')[0].url)).toEqual({
      q: 'sales',
      starred: 'true',
      sort: 'trending',
      limit: '50'
    });
    expect(params(gallery.requests('GET', '/api/notebooks/facets')[0].url)).toEqual({ q: 'sales', starred: 'true' });
    expect(model.starred).toBe(true);
    expect(model.sort).toBe('trending');
    expect(model.facets).toEqual(facets);
  });

  it('keeps listing when the gallery has no facets route', async () => {
    const gallery = new FakeGallery()
      .on('GET', '/api/notebooks', { status: 200, body: { items: [summary()], nextCursor: null } })
      .on('GET', '/api/notebooks/facets', { status: 404, body: { error: 'NOT_FOUND', message: 'Route not found' } });
    const model = new GalleryModel(clientFor(gallery).client);
    const answered = listed(model);
    void model.refresh();
    await answered;
    expect(model.status).toBe('ready');
    expect(model.items).toHaveLength(1);
    expect(model.facets).toBeNull();
  });

  it('stars a notebook and updates its item in place, keeping the order', async () => {
    const gallery = new FakeGallery()
      .on('GET', '/api/notebooks', {
        status: 200,
        body: {
          items: [summary({ id: 'a', stars: 1 }), summary({ id: 'b', title: 'Other', stars: 4 })],
          nextCursor: null
        }
      })
      .on('GET', '/api/notebooks/facets', { status: 200, body: { tags: [], owners: [], languages: [] } })
      .on('PUT', '/api/notebooks/b/star', { status: 200, body: { starred: true, stars: 5 } });
    const model = new GalleryModel(clientFor(gallery).client);
    await model.refresh();
    const before = model.items;

    expect(await model.setStarred('b', true)).toEqual({ starred: true, stars: 5 });

    expect(model.items).not.toBe(before);
    expect(model.items.map(item => [item.id, item.starred, item.stars])).toEqual([
      ['a', false, 1],
      ['b', true, 5]
    ]);
    expect(gallery.requests('GET', '/api/notebooks')).toHaveLength(1);
  });
});

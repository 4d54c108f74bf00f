import { SETUP_TIMEOUT_MS } from '../helpers/testGallery';
import { startSignalWorld, type ISignalWorld } from './signalWorld';

let world: ISignalWorld;
let ann: string;
let bob: string;
let ids: string[];
let secret: string;

beforeAll(async () => {
  world = await startSignalWorld({ 'default-visibility': 'public' });
  ann = await world.gallery.login('ann');
  bob = await world.gallery.login('bob');
  ids = [];
  for (let i = 0; i < 7; i++) {
    ids.push(await world.create(ann, `Notebook ${i}`));
  }
  secret = await world.create(ann, 'Secret', { visibility: 'private' });
}, SETUP_TIMEOUT_MS);

afterAll(async () => {
  await world.gallery.close();
});

const star = (token: string | null, id: string, status = 200) =>
  world.call(token, { method: 'PUT', url: `/api/notebooks/${id}/star` }, status);
const unstar = (token: string | null, id: string, status = 200) =>
  world.call(token, { method: 'DELETE', url: `/api/notebooks/${id}/star` }, status);
const summary = (token: string, id: string) => world.call(token, { method: 'GET', url: `/api/notebooks/${id}` }, 200);

describe('stars', () => {
  it('stars and unstars idempotently, counting each user once', async () => {
    const id = ids[0];
    expect(await star(bob, id)).toEqual({ starred: true, stars: 1 });
    expect(await star(bob, id)).toEqual({ starred: true, stars: 1 });
    expect(await star(ann, id)).toEqual({ starred: true, stars: 2 });
    expect(await summary(bob, id)).toMatchObject({ stars: 2, starred: true });
    expect(await unstar(bob, id)).toEqual({ starred: false, stars: 1 });
    expect(await unstar(bob, id)).toEqual({ starred: false, stars: 1 });
    expect(await summary(bob, id)).toMatchObject({ stars: 1, starred: false });
    expect(await summary(ann, id)).toMatchObject({ stars: 1, starred: true });
    expect(await unstar(ann, id)).toEqual({ starred: false, stars: 0 });
  });

  it('gives new notebooks zero counts and no star', async () => {
    expect(await summary(ann, ids[6])).toMatchObject({
      stars: 0,
      starred: false,
      views: 0,
      downloads: 0,
      opens: 0,
      trending: 0
    });
  });

  it('lists only what the caller starred with starred=true, page by page, with starred set', async () => {
    const starredByBob = [ids[1], ids[2], ids[4], ids[5], ids[6]];
    for (const id of starredByBob) {
      await star(bob, id);
    }
    await star(ann, ids[3]);
    const items = await world.walk(bob, 'starred=true&limit=2&sort=title');
    expect(items.map(item => item.id).sort()).toEqual([...starredByBob].sort());
    expect(items.every(item => item.starred === true)).toBe(true);
    const annItems = await world.walk(ann, 'starred=true');
    expect(annItems.map(item => item.id)).toEqual([ids[3]]);
    const all = await world.walk(bob, 'limit=3');
    expect(
      all
        .filter(item => item.starred)
        .map(item => item.id)
        .sort()
    ).toEqual([...starredByBob].sort());
    expect(await world.walk(bob, 'starred=true&q=notebook')).toHaveLength(5);
    for (const id of starredByBob) {
      await unstar(bob, id);
    }
    await unstar(ann, ids[3]);
  });

  it('answers anonymous callers 401 and unreadable or unknown notebooks 404', async () => {
    expect((await star(null, ids[0], 401)).error).toBe('UNAUTHORIZED');
    expect((await unstar(null, ids[0], 401)).error).toBe('UNAUTHORIZED');
    expect((await star(bob, secret, 404)).error).toBe('NOTEBOOK_NOT_FOUND');
    expect((await unstar(bob, secret, 404)).error).toBe('NOTEBOOK_NOT_FOUND');
    expect((await star(bob, 'no-such-notebook', 404)).error).toBe('NOTEBOOK_NOT_FOUND');
    expect(await summary(ann, secret)).toMatchObject({ stars: 0 });
  });

  it(
    'finds nothing starred for an anonymous caller when anonymous reading is on',
    async () => {
      const open = await startSignalWorld({ 'default-visibility': 'public', 'anonymous-read': 'true' });
      try {
        const token = await open.gallery.login('cat');
        const id = await open.create(token, 'Public one');
        await open.call(token, { method: 'PUT', url: `/api/notebooks/${id}/star` }, 200);
        expect(await open.walk(null, 'starred=true')).toEqual([]);
        expect((await open.walk(null, '')).map(item => [item.stars, item.starred])).toEqual([[1, false]]);
      } finally {
        await open.gallery.close();
      }
    },
    SETUP_TIMEOUT_MS
  );
});

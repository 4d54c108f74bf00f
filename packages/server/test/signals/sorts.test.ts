import { gallerySql } from '../helpers/backendSql';
import { SETUP_TIMEOUT_MS } from '../helpers/testGallery';
import { startSignalWorld, type ISignalWorld } from './signalWorld';

let world: ISignalWorld;
let ids: string[];
let tokens: string[];
let bobsPrivate: string;

/** Per notebook (by index): stars, views, runs and health score (null: no evidence); ties on purpose. */
const SIGNALS: [stars: number, views: number, runs: number, health: number | null][] = [
  [2, 1, 0, null],
  [0, 3, 5, 0.5],
  [2, 0, 5, 0],
  [1, 3, 0, null],
  [3, 2, 9, 1],
  [0, 0, 0, 0.5],
  [1, 1, 2, null]
];

beforeAll(async () => {
  world = await startSignalWorld({ 'default-visibility': 'public' });
  tokens = [];
  for (const name of ['ann', 'bob', 'cat']) {
    tokens.push(await world.gallery.login(name));
  }
  ids = [];
  for (const [index, [stars, views, runs, health]] of SIGNALS.entries()) {
    const id = await world.create(tokens[0], `Sorted ${index}`);
    ids.push(id);
    for (let i = 0; i < stars; i++) {
      await world.call(tokens[i], { method: 'PUT', url: `/api/notebooks/${id}/star` }, 200);
    }
    for (let i = 0; i < views; i++) {
      await world.call(
        tokens[i],
        { method: 'POST', url: `/api/notebooks/${id}/activity`, payload: { kind: 'view' } },
        204
      );
    }
    // Health reports write these (another part of the server); here they are set as it would.
    await gallerySql(world.gallery, 'UPDATE notebook_stats SET runs = ?, health_score = ? WHERE notebook_id = ?', [
      runs,
      health,
      id
    ]);
  }
  bobsPrivate = await world.create(tokens[1], 'Private to bob', { visibility: 'private' });
}, SETUP_TIMEOUT_MS);

afterAll(async () => {
  await world.gallery.close();
});

/** The notebooks ordered by a signal, descending, NULL last, ties by id descending. */
function expected(column: 0 | 1 | 2 | 3): string[] {
  const key = (index: number) => SIGNALS[index][column] ?? -1;
  return SIGNALS.map((_, index) => index)
    .sort((a, b) => key(b) - key(a) || (ids[b] < ids[a] ? -1 : 1))
    .map(index => ids[index]);
}

describe('signal sorts', () => {
  it.each([
    ['stars', 0],
    ['views', 1],
    ['runs', 2],
    ['health', 3]
  ] as const)('walks every readable notebook once sorted by %s, over several pages', async (sort, column) => {
    for (const limit of [1, 2, 3]) {
      const items = await world.walk(tokens[0], `sort=${sort}&limit=${limit}`);
      expect(items.map(item => item.id)).toEqual(expected(column));
    }
  });

  it('reports the counts it sorts by', async () => {
    const items = await world.walk(tokens[0], 'sort=stars');
    expect(items.map(item => [item.stars, item.views])).toEqual(
      expected(0).map(id => SIGNALS[ids.indexOf(id)].slice(0, 2))
    );
  });

  it('sorts by trending with the never-used last, ties by id', async () => {
    const items = await world.walk(tokens[0], 'sort=trending&limit=2');
    const unused = SIGNALS.map((_, index) => index).filter(index => SIGNALS[index][1] === 0);
    expect(items.slice(-unused.length).map(item => item.id)).toEqual(
      unused
        .map(index => ids[index])
        .sort()
        .reverse()
    );
    expect(items).toHaveLength(SIGNALS.length);
  });

  it('sorts a search by a signal, and keeps the private notebook of another user out', async () => {
    const items = await world.walk(tokens[0], 'q=sorted&sort=stars&limit=2');
    expect(items.map(item => item.id)).toEqual(expected(0));
    const bobs = (await world.walk(tokens[1], 'sort=runs&limit=2')).map(item => item.id);
    expect(bobs.filter(id => id !== bobsPrivate)).toEqual(expected(2));
    expect(bobs).toContain(bobsPrivate);
    expect((await world.walk(tokens[2], 'sort=health&limit=2')).map(item => item.id)).toEqual(expected(3));
  });

  it('refuses a cursor of another sort', async () => {
    const first = await world.call(tokens[0], { method: 'GET', url: '/api/notebooks?sort=stars&limit=1' }, 200);
    const reply = await world.call(
      tokens[0],
      { method: 'GET', url: `/api/notebooks?sort=views&limit=1&cursor=${encodeURIComponent(first.nextCursor)}` },
      400
    );
    expect(reply.error).toBe('VALIDATION_FAILED');
  });
});

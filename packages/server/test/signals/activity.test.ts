import { SETUP_TIMEOUT_MS } from '../helpers/testGallery';
import { HOUR_MS, startSignalWorld, type ISignalWorld } from './signalWorld';

let world: ISignalWorld;
let ann: string;
let bob: string;
let cat: string;

beforeAll(async () => {
  world = await startSignalWorld({ 'default-visibility': 'public' });
  ann = await world.gallery.login('ann');
  bob = await world.gallery.login('bob');
  cat = await world.gallery.login('cat');
}, SETUP_TIMEOUT_MS);

afterAll(async () => {
  await world.gallery.close();
});

const activity = (token: string | null, id: string, kind: unknown, status = 204) =>
  world.call(token, { method: 'POST', url: `/api/notebooks/${id}/activity`, payload: { kind } }, status);
const summary = (id: string) => world.call(ann, { method: 'GET', url: `/api/notebooks/${id}` }, 200);

describe('activity', () => {
  it('counts a user once per notebook and kind within an hour', async () => {
    const id = await world.create(ann, 'Counted');
    await activity(bob, id, 'view');
    world.clock.now += 59 * 60_000;
    await activity(bob, id, 'view');
    await activity(bob, id, 'open');
    await activity(bob, id, 'download');
    await activity(cat, id, 'view');
    expect(await summary(id)).toMatchObject({ views: 2, opens: 1, downloads: 1 });
    // An hour after the first counted view (not after the repeat) the next one counts.
    world.clock.now += 60_000;
    await activity(bob, id, 'view');
    await activity(bob, id, 'open');
    expect(await summary(id)).toMatchObject({ views: 3, opens: 1, downloads: 1 });
    world.clock.now += HOUR_MS;
    await activity(bob, id, 'open');
    expect(await summary(id)).toMatchObject({ views: 3, opens: 2, downloads: 1 });
  });

  it('ranks recent use above the same use long ago, and reports a decaying score', async () => {
    const old = await world.create(ann, 'Used long ago');
    const recent = await world.create(ann, 'Used lately');
    const unused = await world.create(ann, 'Never used');
    for (const token of [bob, cat]) {
      await activity(token, old, 'open');
    }
    world.clock.now += 14 * 24 * HOUR_MS;
    for (const token of [bob, cat]) {
      await activity(token, recent, 'open');
    }
    // The server's summary decays with the real clock from the stored key; two half-lives of the test clock
    // separate the two notebooks' events, so the old one is worth a quarter of the recent one.
    const [oldScore, recentScore] = [(await summary(old)).trending, (await summary(recent)).trending];
    expect(oldScore / recentScore).toBeCloseTo(0.25, 6);
    const ranked = (await world.walk(ann, 'sort=trending&limit=1')).map(item => item.id);
    expect(ranked.indexOf(recent)).toBeLessThan(ranked.indexOf(old));
    expect(ranked.indexOf(old)).toBeLessThan(ranked.indexOf(unused));
    expect(ranked.slice(-1)).toEqual([unused]);
    expect(ranked).toHaveLength(new Set(ranked).size);
  });

  it('adds up decayed events: three old opens lose to two new ones, one open two half-lives later does not', async () => {
    const a = await world.create(ann, 'Three old opens');
    const b = await world.create(ann, 'Two new opens');
    for (const token of [ann, bob, cat]) {
      await activity(token, a, 'open');
    }
    world.clock.now += 7 * 24 * HOUR_MS;
    for (const token of [ann, bob]) {
      await activity(token, b, 'open');
    }
    // a: 9 decayed by one half-life = 4.5 < b: 6.
    let ranked = (await world.walk(ann, 'sort=trending&limit=2')).map(item => item.id);
    expect(ranked.indexOf(b)).toBeLessThan(ranked.indexOf(a));
    world.clock.now += 2 * HOUR_MS;
    for (const token of [ann, bob, cat]) {
      await activity(token, a, 'view');
    }
    // a: 4.5 + 3 = 7.5 now beats b's 6 (both decayed alike over the two hours).
    ranked = (await world.walk(ann, 'sort=trending&limit=2')).map(item => item.id);
    expect(ranked.indexOf(a)).toBeLessThan(ranked.indexOf(b));
  });

  it('refuses anonymous callers, unknown and unreadable notebooks, and unknown kinds', async () => {
    const id = await world.create(ann, 'Checked');
    const secret = await world.create(ann, 'Private', { visibility: 'private' });
    expect((await activity(null, id, 'view', 401)).error).toBe('UNAUTHORIZED');
    expect((await activity(bob, 'no-such-notebook', 'view', 404)).error).toBe('NOTEBOOK_NOT_FOUND');
    expect((await activity(bob, secret, 'open', 404)).error).toBe('NOTEBOOK_NOT_FOUND');
    expect((await activity(bob, id, 'run', 400)).error).toBe('VALIDATION_FAILED');
    expect(
      (
        await world.call(
          bob,
          { method: 'POST', url: `/api/notebooks/${id}/activity`, payload: { kind: 'view', extra: 1 } },
          400
        )
      ).error
    ).toBe('VALIDATION_FAILED');
    expect(await summary(id)).toMatchObject({ views: 0, opens: 0, downloads: 0, trending: 0 });
    expect(await summary(secret)).toMatchObject({ views: 0, opens: 0, downloads: 0, trending: 0 });
  });
});

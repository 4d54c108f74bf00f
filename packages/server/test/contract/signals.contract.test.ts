import type { IActivityEvent } from '../../src/repositories/signalRepository';
import { POSTGRES_START_TIMEOUT_MS } from '../helpers/postgresCluster';
import { BACKENDS } from '../helpers/repositoryBackends';
import { addUsers, newNotebook, openNotebookBackend, type INotebookBackend } from './notebookBackends';

const HOUR_MS = 3600_000;
const T0 = Date.parse('2026-03-01T12:00:00.000Z');

/** A view (or other kind) by `username` at `at`, counted once an hour; each counted event adds 1 to the trending key. */
function event(username: string, at: number, kind: IActivityEvent['kind'] = 'view'): IActivityEvent {
  return {
    notebookId: 'nb',
    username,
    kind,
    at,
    windowMs: HOUR_MS,
    nextTrendingKey: current => (current ?? 0) + 1
  };
}

/*
 * ISignalRepository's stars and counted activity on both backends, with the same assertions, including what two
 * replicas doing the same thing at once must give. Facets, tags and "also opened" read through the permission rule
 * and are tested with the listing.
 */
describe.each(BACKENDS)('signal repository on %s', backend => {
  let b: INotebookBackend;
  const people = Array.from({ length: 10 }, (_, i) => `user${i}`);

  beforeEach(async () => {
    b = await openNotebookBackend(backend);
    await addUsers(b, 'ann', 'bob', 'Zoe', 'amy', ...people);
    await b.notebooks.insert(newNotebook('nb', 'ann'));
    await b.notebooks.insert(newNotebook('other', 'ann'));
  }, POSTGRES_START_TIMEOUT_MS);

  afterEach(async () => {
    await b?.close();
  });

  it('stars and unstars idempotently, answering the count afterwards', async () => {
    expect(await b.signals.setStar('nb', 'bob', true, '2026-03-01T00:00:00.000Z')).toBe(1);
    expect(await b.signals.setStar('nb', 'bob', true, '2026-03-02T00:00:00.000Z')).toBe(1);
    expect(await b.signals.setStar('nb', 'amy', true, '2026-03-03T00:00:00.000Z')).toBe(2);
    expect(await b.signals.setStar('nb', 'bob', false, '2026-03-04T00:00:00.000Z')).toBe(1);
    expect(await b.signals.setStar('nb', 'bob', false, '2026-03-05T00:00:00.000Z')).toBe(1);
    expect(await b.signals.setStar('other', 'bob', false, '2026-03-05T00:00:00.000Z')).toBe(0);
    expect((await b.notebooks.find('nb', 'amy'))?.signals).toMatchObject({ stars: 1, starred: true });
    expect((await b.notebooks.find('other'))?.signals.stars).toBe(0);
  });

  it('lists who starred oldest first, the first star’s time kept, ties by name in byte order', async () => {
    expect(await b.signals.listStars('nb')).toEqual([]);
    await b.signals.setStar('nb', 'bob', true, '2026-03-02T00:00:00.000Z');
    await b.signals.setStar('nb', 'amy', true, '2026-03-01T00:00:00.000Z');
    await b.signals.setStar('nb', 'Zoe', true, '2026-03-01T00:00:00.000Z');
    await b.signals.setStar('nb', 'bob', true, '2026-03-09T00:00:00.000Z');
    expect(await b.signals.listStars('nb')).toEqual([
      { username: 'Zoe', at: '2026-03-01T00:00:00.000Z' },
      { username: 'amy', at: '2026-03-01T00:00:00.000Z' },
      { username: 'bob', at: '2026-03-02T00:00:00.000Z' }
    ]);
  });

  it('counts each kind once per window per person, and moves the trending key with each counted event', async () => {
    expect(await b.signals.recordActivity(event('bob', T0))).toBe(true);
    expect(await b.signals.recordActivity(event('bob', T0 + HOUR_MS - 1))).toBe(false);
    expect(await b.signals.recordActivity(event('amy', T0 + 1))).toBe(true);
    expect(await b.signals.recordActivity(event('bob', T0 + 1, 'download'))).toBe(true);
    // The window runs from the last counted event, not the last attempt.
    expect(await b.signals.recordActivity(event('bob', T0 + HOUR_MS))).toBe(true);
    expect(await b.signals.recordActivity(event('bob', T0 + HOUR_MS + 5))).toBe(false);
    const seen: (number | null)[] = [];
    await b.signals.recordActivity({
      ...event('Zoe', T0),
      nextTrendingKey: current => {
        seen.push(current);
        return 42.5;
      }
    });
    expect(seen).toEqual([4]);
    expect((await b.notebooks.find('nb'))?.signals).toMatchObject({
      views: 4,
      downloads: 1,
      opens: 0,
      trendingKey: 42.5
    });
    expect((await b.notebooks.find('other'))?.signals).toMatchObject({ views: 0, trendingKey: null });
  });

  it('counts openers once each, whatever the window', async () => {
    expect(await b.signals.openerCount('nb')).toBe(0);
    await b.signals.recordActivity(event('bob', T0, 'open'));
    await b.signals.recordActivity(event('bob', T0 + 2 * HOUR_MS, 'open'));
    await b.signals.recordActivity(event('amy', T0, 'open'));
    await b.signals.recordActivity(event('Zoe', T0, 'view'));
    expect(await b.signals.openerCount('nb')).toBe(2);
    expect(await b.signals.openerCount('other')).toBe(0);
    expect((await b.notebooks.find('nb'))?.signals.opens).toBe(3);
  });

  it('counts a view once when two replicas record it at the same moment', async () => {
    const replica = b.replica();
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) => (i % 2 ? replica : b).signals.recordActivity(event('bob', T0)))
    );
    expect(results.filter(Boolean)).toHaveLength(1);
    expect((await b.notebooks.find('nb'))?.signals).toMatchObject({ views: 1, trendingKey: 1 });
  });

  it('loses no count or trending step when many people view through two replicas at once', async () => {
    const replica = b.replica();
    const results = await Promise.all(
      people.map((name, i) => (i % 2 ? replica : b).signals.recordActivity(event(name, T0)))
    );
    expect(results.every(Boolean)).toBe(true);
    expect((await b.notebooks.find('nb'))?.signals).toMatchObject({ views: 10, trendingKey: 10 });
  });

  it('keeps the star count exact when two replicas star and unstar at once', async () => {
    const replica = b.replica();
    await Promise.all(
      people.flatMap((name, i) => [
        b.signals.setStar('nb', name, true, '2026-03-01T00:00:00.000Z'),
        replica.signals.setStar('nb', name, true, '2026-03-01T00:00:01.000Z'),
        ...(i < 3 ? [replica.signals.setStar('other', name, true, '2026-03-01T00:00:00.000Z')] : [])
      ])
    );
    expect((await b.notebooks.find('nb'))?.signals.stars).toBe(10);
    expect((await b.signals.listStars('nb')).length).toBe(10);
    expect((await b.notebooks.find('other'))?.signals.stars).toBe(3);
    await Promise.all(people.map((name, i) => (i % 2 ? replica : b).signals.setStar('nb', name, false, 'x')));
    expect((await b.notebooks.find('nb'))?.signals.stars).toBe(0);
  });
});

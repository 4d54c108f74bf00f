import type { NotebookSort } from '@notebook-gallery/core';
import { backendForTests, BACKENDS } from '../helpers/repositoryBackends';
import { allPages, callerOf, listingGallery, type IGalleryNotebook, type IListingGallery } from './listingGallery';

/*
 * Browsing, forks, facets, tag suggestions and "also opened" over both backends, with the same assertions: what a
 * reader may see, in which order, page after page. Ids and titles mix cases and punctuation on purpose: PostgreSQL's
 * test clusters sort text with an ICU English collation, so a query that forgets SQLite's byte order fails here.
 */

const alice = callerOf('alice');
const bob = callerOf('bob');
const dave = callerOf('dave');
const admin = callerOf('admin', true);
const anonymous = callerOf(null);

/** Who may read what: bob is a member of `team`, dave of `other`; alice owns all but bob's and the group's. */
const ACCESS: IGalleryNotebook[] = [
  { id: 'pub', title: 'Public', owner: 'alice', updatedAt: '2026-02-09T00:00:00.000Z', tags: ['Plot', 'maps'] },
  {
    id: 'priv',
    title: 'Private',
    owner: 'alice',
    visibility: 'private',
    updatedAt: '2026-02-08T00:00:00.000Z',
    tags: ['plot']
  },
  {
    id: 'toBob',
    title: 'Shared with bob',
    owner: 'alice',
    visibility: 'private',
    shares: [{ kind: 'user', name: 'bob', role: 'reader' }],
    updatedAt: '2026-02-07T00:00:00.000Z',
    tags: ['plot']
  },
  {
    id: 'toTeam',
    title: 'Shared with the team',
    owner: 'alice',
    visibility: 'private',
    shares: [{ kind: 'group', name: 'team', role: 'reader' }],
    updatedAt: '2026-02-06T00:00:00.000Z'
  },
  {
    id: 'teamVis',
    title: 'Team visible',
    owner: 'alice',
    visibility: 'group',
    group: 'team',
    updatedAt: '2026-02-05T00:00:00.000Z'
  },
  {
    id: 'otherVis',
    title: 'Other visible',
    owner: 'alice',
    visibility: 'group',
    group: 'other',
    updatedAt: '2026-02-04T00:00:00.000Z'
  },
  {
    id: 'teamOwned',
    title: 'Team owned',
    owner: 'alice',
    ownerKind: 'group',
    group: 'team',
    visibility: 'private',
    updatedAt: '2026-02-03T00:00:00.000Z',
    tags: ['Énergie']
  },
  {
    id: 'bobs',
    title: 'Bob private',
    owner: 'bob',
    visibility: 'private',
    updatedAt: '2026-02-02T00:00:00.000Z',
    tags: ['PLOT']
  }
];

/** Sort keys with ties and NULLs, ids and titles whose byte order differs from a language's. */
const SORTED: IGalleryNotebook[] = [
  {
    id: 'aaa',
    title: 'apple',
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-05T00:00:00.000Z',
    stats: { stars: 2, views: 1 }
  },
  {
    id: 'BBB',
    title: 'Banana',
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-05T00:00:00.000Z',
    stats: { stars: 2, views: 3, healthScore: 0.5, trendingKey: 1.5, runs: 4 }
  },
  {
    id: 'ccc',
    title: 'cherry',
    createdAt: '2026-01-02T00:00:00.000Z',
    updatedAt: '2026-01-04T00:00:00.000Z',
    stats: { views: 3, healthScore: 0.5 }
  },
  {
    id: 'DDD',
    title: 'Éclair',
    createdAt: '2026-01-02T00:00:00.000Z',
    updatedAt: '2026-01-04T00:00:00.000Z',
    stats: { stars: 5, trendingKey: 2, runs: 4 }
  },
  {
    id: '_ee',
    title: 'Apple',
    createdAt: '2026-01-03T00:00:00.000Z',
    updatedAt: '2026-01-03T00:00:00.000Z',
    stats: { healthScore: 0.9, trendingKey: 1.5 }
  },
  {
    id: '-ff',
    title: 'zebra',
    createdAt: '2026-01-03T00:00:00.000Z',
    updatedAt: '2026-01-03T00:00:00.000Z',
    stats: { stars: 2, runs: 1 }
  },
  { id: 'Zgg', title: 'apple', createdAt: '2026-01-03T00:00:00.000Z', updatedAt: '2026-01-03T00:00:00.000Z' }
].map(notebook => ({ ...notebook, owner: 'carol' }));

/** SQLite's byte order for ASCII and BMP text: UTF-16 code units compare as UTF-8 bytes do. */
function byteOrder(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The order each sort must give SORTED, computed apart from any database: key, then id, both in byte order. */
function expectedOrder(sort: Exclude<NotebookSort, 'relevance'>): string[] {
  const key = (notebook: IGalleryNotebook): string | number => {
    const stats = notebook.stats ?? {};
    switch (sort) {
      case 'updated':
        return notebook.updatedAt ?? '';
      case 'created':
        return notebook.createdAt ?? '';
      case 'title':
        return notebook.title.replace(/[A-Z]/g, letter => letter.toLowerCase());
      case 'stars':
        return stats.stars ?? 0;
      case 'views':
        return stats.views ?? 0;
      case 'runs':
        return stats.runs ?? 0;
      case 'health':
        return stats.healthScore ?? -1;
      case 'trending':
        return stats.trendingKey ?? -1;
    }
  };
  const descending = sort !== 'title';
  return [...SORTED]
    .sort((a, b) => {
      const ka = key(a);
      const kb = key(b);
      const order = typeof ka === 'number' && typeof kb === 'number' ? ka - kb : byteOrder(String(ka), String(kb));
      const tie = order !== 0 ? order : byteOrder(a.id, b.id);
      return descending ? -tie : tie;
    })
    .map(notebook => notebook.id);
}

describe.each(BACKENDS)('the notebook listing on %s', backend => {
  const opened = backendForTests(backend, listingGallery, async gallery => {
    for (const user of ['alice', 'bob', 'carol', 'dave', 'admin']) {
      await gallery.addUser(user);
    }
    await gallery.addGroup('team', { bob: 'member', carol: 'owner' });
    await gallery.addGroup('other', { dave: 'member' });
    for (const notebook of ACCESS) {
      await gallery.addNotebook(notebook);
    }
  });

  const ids = async (caller = bob, request: Partial<Parameters<IListingGallery['reads']['list']>[1]> = {}) =>
    (await opened.repos.reads.list(caller, { limit: 50, ...request })).records.map(record => record.id);

  describe('the read rule', () => {
    it('lists what each caller may read and nothing else, newest first', async () => {
      expect(await ids(anonymous)).toEqual(['pub']);
      expect(await ids(bob)).toEqual(['pub', 'toBob', 'toTeam', 'teamVis', 'teamOwned', 'bobs']);
      expect(await ids(dave)).toEqual(['pub', 'otherVis']);
      // A group-owned notebook is the group's: its creator reads it only as a member.
      expect(await ids(alice)).toEqual(['pub', 'priv', 'toBob', 'toTeam', 'teamVis', 'otherVis']);
      expect(await ids(admin)).toEqual(ACCESS.map(notebook => notebook.id));
    });

    it('narrows to a scope, inside the read rule', async () => {
      expect(await ids(bob, { scope: 'mine' })).toEqual(['bobs']);
      expect(await ids(bob, { scope: 'shared' })).toEqual(['toBob', 'toTeam']);
      expect(await ids(bob, { scope: 'group' })).toEqual(['teamVis', 'teamOwned']);
      expect(await ids(bob, { scope: 'public' })).toEqual(['pub']);
      expect(await ids(anonymous, { scope: 'mine' })).toEqual([]);
      expect(await ids(admin, { scope: 'group' })).toEqual([]);
    });

    it("filters by tag in any ASCII case, by owner as listed, and by the caller's stars", async () => {
      expect(await ids(bob, { tag: 'plot' })).toEqual(['pub', 'toBob', 'bobs']);
      expect(await ids(admin, { tag: 'PLOT' })).toEqual(['pub', 'priv', 'toBob', 'bobs']);
      // SQLite's NOCASE folds ASCII only: É is not é.
      expect(await ids(admin, { tag: 'énergie' })).toEqual([]);
      expect(await ids(admin, { tag: 'Énergie' })).toEqual(['teamOwned']);
      expect(await ids(admin, { owner: 'team' })).toEqual(['teamOwned']);
      expect(await ids(admin, { owner: 'bob' })).toEqual(['bobs']);
      await opened.repos.star('priv', 'bob');
      await opened.repos.star('toBob', 'bob');
      // bob starred a notebook he can no longer read: it stays hidden.
      expect(await ids(bob, { starred: true })).toEqual(['toBob']);
      expect(await ids(anonymous, { starred: true })).toEqual([]);
      const page = await opened.repos.reads.list(bob, { limit: 50, tag: 'plot' });
      expect(page.records.find(record => record.id === 'toBob')?.signals.starred).toBe(true);
      expect(page.records.find(record => record.id === 'pub')?.signals.starred).toBe(false);
    });
  });

  describe('sorting and paging', () => {
    beforeAll(async () => {
      await opened.repos.addUser('zoe');
      for (const notebook of SORTED) {
        await opened.repos.addNotebook(notebook);
      }
    });

    const SORTS = ['updated', 'created', 'title', 'stars', 'views', 'runs', 'health', 'trending'] as const;

    it.each(SORTS)('sorts by %s with ties broken by id in byte order, page after page', async sort => {
      const request = { owner: 'carol', sort, limit: 50 };
      expect(await ids(bob, request)).toEqual(expectedOrder(sort));
      expect(await allPages(opened.repos.reads, bob, { ...request, limit: 2 })).toEqual(expectedOrder(sort));
    });

    it('refuses a cursor issued for another sort', async () => {
      const page = await opened.repos.reads.list(bob, { owner: 'carol', sort: 'title', limit: 2 });
      expect(page.nextCursor).not.toBeNull();
      await expect(
        opened.repos.reads.list(bob, { owner: 'carol', sort: 'stars', limit: 2, cursor: page.nextCursor ?? '' })
      ).rejects.toMatchObject({ code: 'VALIDATION_FAILED', statusCode: 400 });
    });
  });

  describe('forks', () => {
    beforeAll(async () => {
      await opened.repos.addNotebook({
        id: 'f1',
        title: 'fork 1',
        owner: 'carol',
        parent: 'pub',
        createdAt: '2026-03-01T00:00:00.000Z'
      });
      await opened.repos.addNotebook({
        id: 'F2',
        title: 'fork 2',
        owner: 'carol',
        parent: 'pub',
        createdAt: '2026-03-02T00:00:00.000Z'
      });
      await opened.repos.addNotebook({
        id: 'f3',
        title: 'fork 3',
        owner: 'carol',
        parent: 'pub',
        createdAt: '2026-03-02T00:00:00.000Z'
      });
      await opened.repos.addNotebook({
        id: 'f4',
        title: 'fork 4',
        owner: 'carol',
        parent: 'pub',
        visibility: 'private',
        createdAt: '2026-03-03T00:00:00.000Z'
      });
    });

    it('lists the copies the caller may read, newest first, ties by id in byte order', async () => {
      expect((await opened.repos.reads.listForks(bob, 'pub')).map(record => record.id)).toEqual(['f3', 'F2', 'f1']);
      expect((await opened.repos.reads.listForks(callerOf('carol'), 'pub')).map(record => record.id)).toEqual([
        'f4',
        'f3',
        'F2',
        'f1'
      ]);
      expect(await opened.repos.reads.listForks(bob, 'priv')).toEqual([]);
    });
  });

  describe('facets and tag suggestions', () => {
    it('counts tags (any ASCII case, first spelling in byte order), owners and languages over what the caller reads', async () => {
      const facets = await opened.repos.reads.facets(bob, { scope: 'shared' });
      expect(facets).toEqual({
        tags: [{ value: 'plot', count: 1 }],
        owners: [{ value: 'alice', count: 2 }],
        languages: [{ value: 'python', count: 2 }]
      });
      const all = await opened.repos.reads.facets(bob, {});
      expect(all.tags).toEqual([
        { value: 'PLOT', count: 3 },
        { value: 'maps', count: 1 },
        { value: 'Énergie', count: 1 }
      ]);
      expect(all.owners[0]).toEqual({ value: 'carol', count: 10 });
      expect(all.owners.slice(1)).toEqual([
        { value: 'alice', count: 4 },
        { value: 'bob', count: 1 },
        { value: 'team', count: 1 }
      ]);
    });

    it('counts only the matches of a search', async () => {
      const facets = await opened.repos.reads.facets(admin, { q: 'banana' });
      expect(facets.owners).toEqual([{ value: 'carol', count: 1 }]);
      expect(await opened.repos.reads.facets(admin, { q: '-' })).toEqual({ tags: [], owners: [], languages: [] });
    });

    it('suggests readable tags by prefix in any ASCII case, most used first, with % and _ as plain characters', async () => {
      expect(await opened.repos.reads.tags(bob, 'pl', 10)).toEqual([{ tag: 'PLOT', count: 3 }]);
      expect(await opened.repos.reads.tags(anonymous, 'P', 10)).toEqual([{ tag: 'Plot', count: 1 }]);
      expect(await opened.repos.reads.tags(admin, '', 10)).toEqual([
        { tag: 'PLOT', count: 4 },
        { tag: 'maps', count: 1 },
        { tag: 'Énergie', count: 1 }
      ]);
      expect(await opened.repos.reads.tags(admin, 'é', 10)).toEqual([]);
      expect(await opened.repos.reads.tags(admin, '%', 10)).toEqual([]);
      expect(await opened.repos.reads.tags(admin, 'p_', 10)).toEqual([]);
      expect(await opened.repos.reads.tags(admin, '', 1)).toEqual([{ tag: 'PLOT', count: 4 }]);
    });
  });

  describe('also opened', () => {
    beforeAll(async () => {
      await opened.repos.open('pub', 'bob', '2026-04-01T00:00:00.000Z');
      await opened.repos.open('pub', 'dave', '2026-04-01T00:00:00.000Z');
      await opened.repos.open('aaa', 'bob', '2026-04-02T00:00:00.000Z');
      await opened.repos.open('aaa', 'dave', '2026-04-02T00:00:00.000Z');
      await opened.repos.open('BBB', 'bob', '2026-04-03T00:00:00.000Z');
      await opened.repos.open('ccc', 'dave', '2026-04-03T00:00:00.000Z');
      await opened.repos.open('priv', 'bob', '2026-04-04T00:00:00.000Z');
      await opened.repos.open('priv', 'dave', '2026-04-04T00:00:00.000Z');
    });

    it('ranks by how many openers share, then the latest open, then id, and leaves out what the caller cannot read', async () => {
      expect((await opened.repos.reads.alsoOpened(bob, 'pub', 10)).map(record => record.id)).toEqual([
        'aaa',
        'BBB',
        'ccc'
      ]);
      expect((await opened.repos.reads.alsoOpened(admin, 'pub', 10)).map(record => record.id)).toEqual([
        'priv',
        'aaa',
        'BBB',
        'ccc'
      ]);
      expect((await opened.repos.reads.alsoOpened(admin, 'pub', 2)).map(record => record.id)).toEqual(['priv', 'aaa']);
      expect(await opened.repos.reads.alsoOpened(bob, 'f1', 10)).toEqual([]);
    });
  });
});

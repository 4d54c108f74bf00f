import type { ICaller } from '../../src/auth/permissions';
import type { PgDatabase } from '../../src/db/postgres/pgDatabase';
import { PgNotebookRepository } from '../../src/repositories/postgres/pgNotebookRepository';
import { PgSignalRepository } from '../../src/repositories/postgres/pgSignalRepository';
import { BACKENDS } from '../helpers/repositoryBackends';
import { POSTGRES_START_TIMEOUT_MS } from '../helpers/postgresCluster';
import {
  addGroup,
  addRevision,
  addUsers,
  newNotebook,
  openNotebookBackend,
  type INotebookBackend
} from './notebookBackends';

/*
 * INotebookRepository on both backends, with the same assertions: what the API shows of a notebook (records, heads,
 * revisions, tags, shares, ownership) and what deleting one takes with it. `list` and `listForks` read through the
 * permission rule and are tested with the listing.
 */
describe.each(BACKENDS)('notebook repository on %s', backend => {
  let b: INotebookBackend;

  beforeEach(async () => {
    b = await openNotebookBackend(backend);
    await addUsers(b, 'ann', 'bob', 'Zed', 'amy');
    await addGroup(b, 'lab', { ann: 'owner' });
  }, POSTGRES_START_TIMEOUT_MS);

  afterEach(async () => {
    await b?.close();
  });

  it('inserts a notebook with its tags in their order, first revision and zero signals, and finds it', async () => {
    const seq = await b.notebooks.insert(
      newNotebook('nb1', 'ann', { title: 'Fourier', tags: ['zeta', 'Alpha', 'beta'], parent: null })
    );
    expect(seq).toBeGreaterThan(0);
    const record = await b.notebooks.find('nb1');
    expect(record).toEqual({
      seq,
      id: 'nb1',
      title: 'Fourier',
      description: 'About nb1',
      tags: ['zeta', 'Alpha', 'beta'],
      owner: 'ann',
      ownerKind: 'user',
      visibility: 'public',
      group: null,
      shares: [],
      createdAt: '2026-02-01T10:00:00.000Z',
      updatedAt: '2026-02-01T10:00:00.000Z',
      headSha: 'sha-nb1-1',
      headBlobSha: 'blob-nb1-1',
      revisionCount: 1,
      parent: null,
      signals: {
        stars: 0,
        starred: false,
        views: 0,
        downloads: 0,
        opens: 0,
        runs: 0,
        trendingKey: null,
        healthScore: null
      }
    });
    expect(await b.notebooks.find('missing')).toBeUndefined();
    expect(await b.notebooks.headOf('nb1')).toBe('sha-nb1-1');
    expect(await b.notebooks.headOf('missing')).toBeUndefined();
  });

  it('gives each insert a larger seq, and keeps a fork’s parent', async () => {
    const first = await b.notebooks.insert(newNotebook('nb1', 'ann'));
    const second = await b.notebooks.insert(
      newNotebook('nb2', 'bob', { parent: { id: 'nb1', revision: 'sha-nb1-1' } })
    );
    const third = await b.notebooks.insert(newNotebook('nb3', 'bob', { parent: { id: 'nb1', revision: 'sha-nb1-1' } }));
    expect(second).toBeGreaterThan(first);
    expect(third).toBeGreaterThan(second);
    expect((await b.notebooks.find('nb2'))?.parent).toEqual({ id: 'nb1', revision: 'sha-nb1-1' });
    expect(await b.notebooks.countForks('nb1')).toBe(2);
    expect(await b.notebooks.countForks('nb2')).toBe(0);
  });

  it('finds many in the order asked, leaving out missing ids, with whether the viewer starred each', async () => {
    for (const id of ['a', 'b', 'c']) {
      await b.notebooks.insert(newNotebook(id, 'ann'));
    }
    await b.signals.setStar('b', 'bob', true, '2026-02-02T00:00:00.000Z');
    const found = await b.notebooks.findMany(['c', 'missing', 'a', 'b'], 'bob');
    expect(found.map(record => [record.id, record.signals.starred, record.signals.stars])).toEqual([
      ['c', false, 0],
      ['a', false, 0],
      ['b', true, 1]
    ]);
    expect((await b.notebooks.findMany(['b'])).map(record => record.signals.starred)).toEqual([false]);
    expect(await b.notebooks.findMany([])).toEqual([]);
    expect((await b.notebooks.find('b', 'bob'))?.signals.starred).toBe(true);
  });

  it('lists every head oldest first, a group-owned notebook under its group with the user who made it so', async () => {
    await b.notebooks.insert(newNotebook('z-first', 'ann', { title: 'First' }));
    await b.notebooks.insert(
      newNotebook('a-second', 'ann', { title: 'Second', ownerKind: 'group', group: 'lab', visibility: 'group' })
    );
    const heads = await b.notebooks.listHeads();
    expect(heads.map(({ seq: _seq, ...head }) => head)).toEqual([
      { id: 'z-first', title: 'First', owner: 'ann', ownerUser: 'ann', headSha: 'sha-z-first-1', revisionCount: 1 },
      { id: 'a-second', title: 'Second', owner: 'lab', ownerUser: 'ann', headSha: 'sha-a-second-1', revisionCount: 1 }
    ]);
    expect(heads[0].seq).toBeLessThan(heads[1].seq);
    expect((await b.notebooks.find('a-second'))?.owner).toBe('lab');
  });

  it('tells whether a title is taken, exactly as spelled', async () => {
    await b.notebooks.insert(newNotebook('nb1', 'ann', { title: 'Café Data' }));
    expect(await b.notebooks.existsWithTitle('Café Data')).toBe(true);
    expect(await b.notebooks.existsWithTitle('café data')).toBe(false);
    expect(await b.notebooks.existsWithTitle('Cafe Data')).toBe(false);
  });

  it('records revisions as the new head and lists them newest first, with and without blobs', async () => {
    await b.notebooks.insert(newNotebook('nb1', 'ann'));
    for (const number of [2, 3]) {
      await b.notebooks.addRevision('nb1', {
        number,
        sha: `sha-${number}`,
        blobSha: `blob-${number}`,
        author: 'bob',
        message: `Save ${number}`,
        createdAt: `2026-02-0${number}T10:00:00.000Z`
      });
    }
    const record = await b.notebooks.find('nb1');
    expect(record).toMatchObject({
      headSha: 'sha-3',
      headBlobSha: 'blob-3',
      revisionCount: 3,
      createdAt: '2026-02-01T10:00:00.000Z',
      updatedAt: '2026-02-03T10:00:00.000Z'
    });
    expect(await b.notebooks.listRevisions('nb1')).toEqual([
      { revision: 'sha-3', number: 3, author: 'bob', message: 'Save 3', createdAt: '2026-02-03T10:00:00.000Z' },
      { revision: 'sha-2', number: 2, author: 'bob', message: 'Save 2', createdAt: '2026-02-02T10:00:00.000Z' },
      { revision: 'sha-nb1-1', number: 1, author: 'ann', message: 'First', createdAt: '2026-02-01T10:00:00.000Z' }
    ]);
    const stored = await b.notebooks.listStoredRevisions('nb1');
    expect(stored.map(revision => [revision.number, revision.blobSha])).toEqual([
      [3, 'blob-3'],
      [2, 'blob-2'],
      [1, 'blob-nb1-1']
    ]);
    expect(await b.notebooks.findRevision('nb1', 'sha-2')).toEqual({
      revision: 'sha-2',
      number: 2,
      author: 'bob',
      message: 'Save 2',
      createdAt: '2026-02-02T10:00:00.000Z',
      blobSha: 'blob-2'
    });
    expect(await b.notebooks.findRevision('nb1', 'sha-9')).toBeUndefined();
    expect(await b.notebooks.revisionByNumber('nb1', 1)).toMatchObject({
      revision: 'sha-nb1-1',
      blobSha: 'blob-nb1-1'
    });
    expect(await b.notebooks.revisionByNumber('nb1', 4)).toBeUndefined();
    expect(await b.notebooks.listRevisions('missing')).toEqual([]);
  });

  it('refuses a revision number given twice, leaving the head as it was', async () => {
    await b.notebooks.insert(newNotebook('nb1', 'ann'));
    const again = { number: 1, sha: 'other', blobSha: 'other', author: 'bob', message: 'x', createdAt: '2026-03-01' };
    await expect(b.notebooks.addRevision('nb1', again)).rejects.toMatchObject({ message: expect.any(String) });
    expect(await b.notebooks.headOf('nb1')).toBe('sha-nb1-1');
  });

  it('forgets revisions whose commits are gone but keeps the count, so no number is given twice', async () => {
    await b.notebooks.insert(newNotebook('nb1', 'ann'));
    await addRevision(b, 'nb1', 2);
    await addRevision(b, 'nb1', 3);
    await b.notebooks.forgetRevisions('nb1', [2, 3]);
    await b.notebooks.forgetRevisions('nb1', []);
    expect((await b.notebooks.listRevisions('nb1')).map(revision => revision.number)).toEqual([1]);
    expect((await b.notebooks.find('nb1'))?.revisionCount).toBe(3);
  });

  it('replaces title and description, and the tags only when given', async () => {
    await b.notebooks.insert(newNotebook('nb1', 'ann', { tags: ['one', 'two'] }));
    await b.notebooks.updateMetadata('nb1', { title: 'New', description: 'Changed' }, '2026-03-01T00:00:00.000Z');
    expect(await b.notebooks.find('nb1')).toMatchObject({
      title: 'New',
      description: 'Changed',
      tags: ['one', 'two'],
      updatedAt: '2026-03-01T00:00:00.000Z'
    });
    await b.notebooks.updateMetadata(
      'nb1',
      { title: 'New', description: 'Changed', tags: ['three', 'One'] },
      '2026-03-02T00:00:00.000Z'
    );
    expect((await b.notebooks.find('nb1'))?.tags).toEqual(['three', 'One']);
    await b.notebooks.updateMetadata('nb1', { title: 'New', description: 'Changed', tags: [] }, '2026-03-03');
    expect((await b.notebooks.find('nb1'))?.tags).toEqual([]);
  });

  it('replaces shares, users before groups and each by name in byte order', async () => {
    await b.notebooks.insert(newNotebook('nb1', 'ann', { visibility: 'private' }));
    await b.notebooks.replaceShares('nb1', [
      { kind: 'group', name: 'lab', role: 'reader' },
      { kind: 'user', name: 'amy', role: 'editor' },
      { kind: 'user', name: 'Zed', role: 'reader' }
    ]);
    expect((await b.notebooks.find('nb1'))?.shares).toEqual([
      { kind: 'user', name: 'Zed', role: 'reader' },
      { kind: 'user', name: 'amy', role: 'editor' },
      { kind: 'group', name: 'lab', role: 'reader' }
    ]);
    await b.notebooks.replaceShares('nb1', [{ kind: 'user', name: 'bob', role: 'reader' }]);
    expect((await b.notebooks.find('nb1'))?.shares).toEqual([{ kind: 'user', name: 'bob', role: 'reader' }]);
    await b.notebooks.replaceShares('nb1', []);
    expect((await b.notebooks.find('nb1'))?.shares).toEqual([]);
  });

  it('sets access and ownership', async () => {
    await b.notebooks.insert(newNotebook('nb1', 'ann'));
    await b.notebooks.setAccess('nb1', { visibility: 'group', group: 'lab' });
    expect(await b.notebooks.find('nb1')).toMatchObject({ visibility: 'group', group: 'lab', owner: 'ann' });
    await b.notebooks.setOwnership('nb1', { ownerKind: 'group', owner: 'bob', visibility: 'private', group: 'lab' });
    expect(await b.notebooks.find('nb1')).toMatchObject({
      ownerKind: 'group',
      owner: 'lab',
      visibility: 'private',
      group: 'lab'
    });
    expect((await b.notebooks.listHeads())[0]).toMatchObject({ owner: 'lab', ownerUser: 'bob' });
  });

  it('removes a notebook with everything that hangs off it, and nothing of another notebook', async () => {
    for (const id of ['gone', 'kept']) {
      await b.notebooks.insert(newNotebook(id, 'ann', { tags: ['t'] }));
      await addRevision(b, id, 2);
      await b.notebooks.replaceShares(id, [{ kind: 'user', name: 'bob', role: 'reader' }]);
      await b.signals.setStar(id, 'bob', true, '2026-02-03T00:00:00.000Z');
      await b.signals.recordActivity({
        notebookId: id,
        username: 'bob',
        kind: 'open',
        at: Date.parse('2026-02-04T00:00:00.000Z'),
        windowMs: 1000,
        nextTrendingKey: () => 1
      });
      await b.sql(
        'INSERT INTO comments (id, notebook_id, author, body, created_at) VALUES (?, ?, ?, ?, ?)',
        `comment-${id}`,
        id,
        'bob',
        'Nice',
        '2026-02-05T00:00:00.000Z'
      );
      await b.changeRequests.insert({
        id: `cr-${id}`,
        notebookId: id,
        proposer: 'bob',
        message: 'Fix',
        baseRevision: `sha-${id}-2`,
        commitSha: 'c',
        blobSha: 'b',
        createdAt: '2026-02-06T00:00:00.000Z'
      });
    }
    await b.notebooks.remove('gone');
    await b.notebooks.remove('never-existed');
    expect(await b.notebooks.find('gone')).toBeUndefined();
    expect(await b.notebooks.find('kept')).toMatchObject({ tags: ['t'], revisionCount: 2 });
    for (const table of [
      'notebook_tags',
      'notebook_shares',
      'revisions',
      'notebook_stars',
      'notebook_stats',
      'notebook_opens',
      'notebook_activity',
      'comments',
      'change_requests'
    ]) {
      const rows = await b.sql(`SELECT notebook_id FROM ${table} ORDER BY notebook_id`);
      expect([table, [...new Set(rows.map(row => row.notebook_id))]]).toEqual([table, ['kept']]);
    }
  });

  it('lets exactly one of two replicas insert the same notebook id at once', async () => {
    const replica = b.replica();
    const results = await Promise.allSettled([
      b.notebooks.insert(newNotebook('same', 'ann', { title: 'From one' })),
      replica.notebooks.insert(newNotebook('same', 'bob', { title: 'From two' }))
    ]);
    expect(results.map(result => result.status).sort()).toEqual(['fulfilled', 'rejected']);
    const record = await b.notebooks.find('same');
    const winner = results[0].status === 'fulfilled' ? 'From one' : 'From two';
    expect(record?.title).toBe(winner);
    expect((await b.notebooks.listRevisions('same')).length).toBe(1);
    expect(await b.sql('SELECT notebook_id FROM notebook_stats')).toEqual([{ notebook_id: 'same' }]);
  });
});

describe('notebook repository on postgres only', () => {
  let b: INotebookBackend;

  beforeEach(async () => {
    b = await openNotebookBackend('postgres');
    await addUsers(b, 'ann');
  }, POSTGRES_START_TIMEOUT_MS);

  afterEach(async () => {
    await b?.close();
  });

  // SQLite's insert relies on the caller's unit of work; on PostgreSQL the repository opens its own transaction, so
  // a replica's failed insert never leaves a notebook without its first revision or stats row.
  it('inserts all or nothing: a notebook whose tags cannot be stored leaves no row behind', async () => {
    await expect(
      b.notebooks.insert(newNotebook('half', 'ann', { tags: ['ok', null as unknown as string] }))
    ).rejects.toMatchObject({ message: expect.any(String) });
    expect(await b.notebooks.find('half')).toBeUndefined();
    expect(await b.sql('SELECT notebook_id FROM revisions')).toEqual([]);
  });

  it('joins the caller’s transaction: a later step that fails takes the insert and its revision back too', async () => {
    if (b.database.backend !== 'postgres') {
      throw new Error('postgres only');
    }
    const { pg } = b.database;
    await expect(
      pg.transaction(async () => {
        await b.notebooks.insert(newNotebook('undone', 'ann'));
        await addRevision(b, 'undone', 2);
        expect(await b.notebooks.headOf('undone')).toBe('sha-undone-2');
        throw new Error('the git write failed');
      })
    ).rejects.toThrow('the git write failed');
    expect(await b.notebooks.find('undone')).toBeUndefined();
    expect(await b.sql('SELECT notebook_id FROM notebook_stats')).toEqual([]);
  });
});

describe('the PostgreSQL notebook and signal repositories hand permission-filtered reads to the listing', () => {
  it('passes the caller and request through and returns what the listing answers', async () => {
    const calls: unknown[][] = [];
    const answer =
      <T>(name: string, value: T) =>
      async (...args: unknown[]): Promise<T> => {
        calls.push([name, ...args]);
        return value;
      };
    const page = { records: [], snippets: new Map(), nextCursor: 'next' };
    const db = {} as PgDatabase;
    const notebooks = new PgNotebookRepository(db, { list: answer('list', page), listForks: answer('listForks', []) });
    const signals = new PgSignalRepository(db, {
      facets: answer('facets', { tags: [], owners: [], languages: [] }),
      tags: answer('tags', [{ tag: 'x', count: 1 }]),
      alsoOpened: answer('alsoOpened', [])
    });
    const ann: ICaller = { user: { username: 'ann', isAdmin: false }, groups: new Map() };
    expect(await notebooks.list(ann, { limit: 5, q: 'fft' })).toBe(page);
    expect(await notebooks.listForks(ann, 'nb')).toEqual([]);
    expect(await signals.tags(ann, 'x', 3)).toEqual([{ tag: 'x', count: 1 }]);
    await signals.facets(ann, { scope: 'mine' });
    await signals.alsoOpened(ann, 'nb', 4);
    expect(calls).toEqual([
      ['list', ann, { limit: 5, q: 'fft' }],
      ['listForks', ann, 'nb'],
      ['tags', ann, 'x', 3],
      ['facets', ann, { scope: 'mine' }],
      ['alsoOpened', ann, 'nb', 4]
    ]);
  });
});

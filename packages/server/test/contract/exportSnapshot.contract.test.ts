import { PgDatabase } from '../../src/db/postgres/pgDatabase';
import type { IExportFilters } from '../../src/repositories/exportSnapshotRepository';
import { PgExportSnapshot } from '../../src/repositories/postgres/pgExportSnapshot';
import { POSTGRES_START_TIMEOUT_MS } from '../helpers/postgresCluster';
import { BACKENDS } from '../helpers/repositoryBackends';
import { addGroup, addUsers, newNotebook, openNotebookBackend, type INotebookBackend } from './notebookBackends';

const NO_FILTERS: IExportFilters = { owner: null, tag: null, group: null };

async function comment(
  b: INotebookBackend,
  id: string,
  notebookId: string,
  author: string,
  createdAt: string,
  parentId: string | null = null
): Promise<void> {
  await b.sql(
    'INSERT INTO comments (id, notebook_id, author, body, created_at, parent_id) VALUES (?, ?, ?, ?, ?, ?)',
    id,
    notebookId,
    author,
    `Body ${id}`,
    createdAt,
    parentId
  );
}

/*
 * IExportSnapshotRepository on both backends with the same assertions: which notebooks the filters select, in which
 * order everything comes, and which accounts and groups are named (never password hashes).
 */
describe.each(BACKENDS)('export snapshot on %s', backend => {
  let b: INotebookBackend;

  beforeEach(async () => {
    b = await openNotebookBackend(backend);
    await addUsers(b, 'ann', 'bob', 'Zoe', 'amy', 'hub-only', 'stranger');
    await b.sql('UPDATE users SET email = ? WHERE username = ?', 'ann@example.org', 'ann');
    await addGroup(b, 'lab', { bob: 'owner', amy: 'member' });
    await b.sql(
      "INSERT INTO group_members (group_name, username, role, source) VALUES ('lab', 'hub-only', 'member', 'hub')"
    );
    await b.notebooks.insert(newNotebook('b-second', 'ann', { tags: ['Physics', 'Été'] }));
    await b.notebooks.insert(newNotebook('a-first', 'ann', { ownerKind: 'group', group: 'lab', visibility: 'group' }));
    await b.notebooks.insert(
      newNotebook('Z-upper', 'bob', { tags: ['physics'], parent: { id: 'a-first', revision: 'r' } })
    );
    await b.notebooks.addRevision('b-second', {
      number: 2,
      sha: 'sha-b-2',
      blobSha: 'blob',
      author: 'Zoe',
      message: 'Second',
      createdAt: '2026-02-02T00:00:00.000Z'
    });
    await b.notebooks.replaceShares('b-second', [
      { kind: 'user', name: 'amy', role: 'reader' },
      { kind: 'group', name: 'lab', role: 'editor' },
      { kind: 'user', name: 'Zoe', role: 'editor' }
    ]);
    await b.signals.setStar('b-second', 'bob', true, '2026-02-03T00:00:00.000Z');
    await b.signals.setStar('b-second', 'Zoe', true, '2026-02-04T00:00:00.000Z');
    await comment(b, 'c-root', 'b-second', 'bob', '2026-02-06T00:00:00.000Z');
    // A reply dated before its root (clocks of two replicas) still comes after every root.
    await comment(b, 'c-reply', 'b-second', 'amy', '2026-02-05T00:00:00.000Z', 'c-root');
    await comment(b, 'B-root', 'b-second', 'bob', '2026-02-06T00:00:00.000Z');
    await b.changeRequests.insert({
      id: 'cr-2',
      notebookId: 'b-second',
      proposer: 'bob',
      message: 'Fix',
      baseRevision: 'sha-b-2',
      commitSha: 'commit-2',
      blobSha: 'blob-2',
      createdAt: '2026-02-07T00:00:00.000Z'
    });
    await b.changeRequests.decide('b-second', 'cr-2', {
      status: 'declined',
      decidedAt: '2026-02-08T00:00:00.000Z',
      decidedBy: 'ann',
      comment: 'No',
      acceptedRevision: null
    });
  }, POSTGRES_START_TIMEOUT_MS);

  afterEach(async () => {
    await b?.close();
  });

  it('exports every notebook sorted by id in byte order, with everything in its order', async () => {
    const notebooks = await b.exportSnapshot.readNotebooks(NO_FILTERS);
    expect(notebooks.map(notebook => notebook.id)).toEqual(['Z-upper', 'a-first', 'b-second']);
    const [upper, first, second] = notebooks;
    expect(upper).toMatchObject({ forkedFrom: { id: 'a-first', revision: 'r' }, tags: ['physics'], owner: 'bob' });
    expect(first).toMatchObject({ ownerKind: 'group', owner: 'ann', group: 'lab', visibility: 'group' });
    expect(first.groups).toEqual([
      {
        name: 'lab',
        createdAt: '2026-01-01T00:00:00.000Z',
        members: [
          { username: 'amy', role: 'member' },
          { username: 'bob', role: 'owner' }
        ]
      }
    ]);
    expect(first.users.map(user => user.username)).toEqual(['amy', 'ann', 'bob']);
    expect(second).toMatchObject({
      title: 'Notebook b-second',
      description: 'About b-second',
      tags: ['Physics', 'Été'],
      visibility: 'public',
      forkedFrom: null,
      createdAt: '2026-02-01T10:00:00.000Z',
      updatedAt: '2026-02-02T00:00:00.000Z'
    });
    expect(second.revisions).toEqual([
      { number: 1, commit: 'sha-b-second-1', author: 'ann', message: 'First', createdAt: '2026-02-01T10:00:00.000Z' },
      { number: 2, commit: 'sha-b-2', author: 'Zoe', message: 'Second', createdAt: '2026-02-02T00:00:00.000Z' }
    ]);
    expect(second.shares).toEqual([
      { kind: 'group', principal: 'lab', role: 'editor' },
      { kind: 'user', principal: 'Zoe', role: 'editor' },
      { kind: 'user', principal: 'amy', role: 'reader' }
    ]);
    expect(second.stars).toEqual([
      { username: 'Zoe', createdAt: '2026-02-04T00:00:00.000Z' },
      { username: 'bob', createdAt: '2026-02-03T00:00:00.000Z' }
    ]);
    expect(second.comments.map(entry => [entry.id, entry.parentId])).toEqual([
      ['B-root', null],
      ['c-root', null],
      ['c-reply', 'c-root']
    ]);
    expect(second.comments[0]).toEqual({
      id: 'B-root',
      author: 'bob',
      body: 'Body B-root',
      createdAt: '2026-02-06T00:00:00.000Z',
      editedAt: null,
      resolvedAt: null,
      resolvedBy: null,
      parentId: null,
      changeRequestId: null,
      cellId: null,
      revision: null,
      sourceHash: null,
      lineFrom: null,
      lineTo: null
    });
    expect(second.changeRequests).toEqual([
      {
        id: 'cr-2',
        proposer: 'bob',
        message: 'Fix',
        baseRevision: 'sha-b-2',
        commit: 'commit-2',
        status: 'declined',
        createdAt: '2026-02-07T00:00:00.000Z',
        decidedAt: '2026-02-08T00:00:00.000Z',
        decidedBy: 'ann',
        comment: 'No',
        acceptedRevision: null
      }
    ]);
    // Accounts named anywhere, sorted; name, email and creation only; members of shared groups too.
    expect(second.users).toEqual([
      { username: 'Zoe', email: null, createdAt: '2026-01-01T00:00:00.000Z' },
      { username: 'amy', email: null, createdAt: '2026-01-01T00:00:00.000Z' },
      { username: 'ann', email: 'ann@example.org', createdAt: '2026-01-01T00:00:00.000Z' },
      { username: 'bob', email: null, createdAt: '2026-01-01T00:00:00.000Z' }
    ]);
    expect(second.groups.map(group => group.name)).toEqual(['lab']);
  });

  it('selects by owner, by group and by tag in any ASCII case, combined with AND', async () => {
    const ids = async (filters: Partial<IExportFilters>) =>
      (await b.exportSnapshot.readNotebooks({ ...NO_FILTERS, ...filters })).map(notebook => notebook.id);
    expect(await ids({ owner: 'ann' })).toEqual(['b-second']);
    expect(await ids({ group: 'lab' })).toEqual(['a-first']);
    expect(await ids({ tag: 'PHYSICS' })).toEqual(['Z-upper', 'b-second']);
    expect(await ids({ tag: 'physics', owner: 'bob' })).toEqual(['Z-upper']);
    expect(await ids({ tag: 'Été' })).toEqual(['b-second']);
    // SQLite folds ASCII letters only: "É" and "é" stay different, on both backends.
    expect(await ids({ tag: 'été' })).toEqual([]);
    expect(await ids({ owner: 'stranger' })).toEqual([]);
  });
});

describe('export snapshot on postgres only', () => {
  let b: INotebookBackend;

  beforeEach(async () => {
    b = await openNotebookBackend('postgres');
    await addUsers(b, 'ann', 'bob');
    await b.notebooks.insert(newNotebook('a', 'ann'));
    await b.notebooks.insert(newNotebook('b', 'ann'));
  }, POSTGRES_START_TIMEOUT_MS);

  afterEach(async () => {
    await b?.close();
  });

  it('reads one snapshot: what another replica commits while the export runs is not in it', async () => {
    if (b.database.backend !== 'postgres') {
      throw new Error('postgres only');
    }
    const { pg, url } = b.database;
    const other = PgDatabase.connect(url);
    try {
      const query = pg.query.bind(pg);
      let queries = 0;
      // After the export's first statement (its choice of notebooks), another replica stars and renames one of them
      // and commits before the export reads that notebook's rows.
      pg.query = (async (text: string, values?: readonly unknown[]) => {
        const rows = await query(text, values);
        if (++queries === 2) {
          await other.execute("INSERT INTO notebook_stars VALUES ('b', 'bob', '2026-05-01T00:00:00.000Z')");
          await other.execute("UPDATE notebooks SET title = 'Renamed' WHERE id = 'b'");
          await other.execute("INSERT INTO notebook_tags VALUES ('b', 0, 'late')");
        }
        return rows;
      }) as PgDatabase['query'];
      const notebooks = await new PgExportSnapshot(pg).readNotebooks(NO_FILTERS);
      expect(queries).toBeGreaterThan(2);
      expect(notebooks.map(notebook => [notebook.id, notebook.title, notebook.stars, notebook.tags])).toEqual([
        ['a', 'Notebook a', [], []],
        ['b', 'Notebook b', [], []]
      ]);
      pg.query = query;
      const after = await new PgExportSnapshot(pg).readNotebooks(NO_FILTERS);
      expect(after[1]).toMatchObject({ title: 'Renamed', tags: ['late'], stars: [{ username: 'bob' }] });
    } finally {
      await other.close();
    }
  });
});

import type { ICaller } from '../../src/auth/permissions';
import type { IChangeRequestDecision, INewChangeRequest } from '../../src/repositories/changeRequestRepository';
import { POSTGRES_START_TIMEOUT_MS } from '../helpers/postgresCluster';
import { BACKENDS } from '../helpers/repositoryBackends';
import { addGroup, addUsers, newNotebook, openNotebookBackend, type INotebookBackend } from './notebookBackends';

const caller = (username: string | null, isAdmin = false): ICaller => ({
  user: username === null ? null : { username, isAdmin },
  groups: new Map()
});

function proposal(id: string, notebookId: string, proposer: string, createdAt: string): INewChangeRequest {
  return {
    id,
    notebookId,
    proposer,
    message: `Proposal ${id}`,
    baseRevision: `sha-${notebookId}-1`,
    commitSha: `commit-${id}`,
    blobSha: `blob-${id}`,
    createdAt
  };
}

const declined = (by: string): IChangeRequestDecision => ({
  status: 'declined',
  decidedAt: '2026-04-01T00:00:00.000Z',
  decidedBy: by,
  comment: 'Not now',
  acceptedRevision: null
});

/*
 * IChangeRequestRepository on both backends with the same assertions: records, order, the review queue through the
 * permission rule, counts, and a decision taken once even when two replicas take it at once.
 */
describe.each(BACKENDS)('change request repository on %s', backend => {
  let b: INotebookBackend;

  beforeEach(async () => {
    b = await openNotebookBackend(backend);
    await addUsers(b, 'ann', 'bob', 'cat', 'dan', 'eve');
    // dan edits the lab's notebooks, eve only reads them.
    await addGroup(b, 'lab', { dan: 'editor', eve: 'member' });
    await b.notebooks.insert(newNotebook('public', 'ann', { title: 'Public one' }));
    await b.notebooks.insert(newNotebook('private', 'ann', { visibility: 'private' }));
    await b.notebooks.insert(newNotebook('labs', 'cat', { visibility: 'group', group: 'lab' }));
    await b.notebooks.insert(newNotebook('shared', 'cat', { visibility: 'private' }));
    await b.notebooks.replaceShares('shared', [{ kind: 'user', name: 'bob', role: 'editor' }]);
  }, POSTGRES_START_TIMEOUT_MS);

  afterEach(async () => {
    await b?.close();
  });

  it('records a proposal as open and finds it with its notebook’s title', async () => {
    await b.changeRequests.insert(proposal('cr1', 'public', 'bob', '2026-03-01T00:00:00.000Z'));
    expect(await b.changeRequests.find('public', 'cr1')).toEqual({
      id: 'cr1',
      notebookId: 'public',
      notebookTitle: 'Public one',
      proposer: 'bob',
      message: 'Proposal cr1',
      baseRevision: 'sha-public-1',
      commitSha: 'commit-cr1',
      blobSha: 'blob-cr1',
      status: 'open',
      createdAt: '2026-03-01T00:00:00.000Z',
      decidedAt: null,
      decidedBy: null,
      comment: null,
      acceptedRevision: null
    });
    expect(await b.changeRequests.find('private', 'cr1')).toBeUndefined();
    expect(await b.changeRequests.find('public', 'nope')).toBeUndefined();
  });

  it('lists a notebook’s proposals newest first (ties by id in byte order), filtered by status and proposer', async () => {
    await b.changeRequests.insert(proposal('b-mid', 'public', 'bob', '2026-03-02T00:00:00.000Z'));
    await b.changeRequests.insert(proposal('a-old', 'public', 'cat', '2026-03-01T00:00:00.000Z'));
    await b.changeRequests.insert(proposal('Z-new', 'public', 'bob', '2026-03-03T00:00:00.000Z'));
    await b.changeRequests.insert(proposal('c-new', 'public', 'cat', '2026-03-03T00:00:00.000Z'));
    await b.changeRequests.insert(proposal('elsewhere', 'labs', 'bob', '2026-03-04T00:00:00.000Z'));
    await b.changeRequests.decide('public', 'b-mid', declined('ann'));
    const ids = async (filter: Parameters<INotebookBackend['changeRequests']['listForNotebook']>[1]) =>
      (await b.changeRequests.listForNotebook('public', filter)).map(request => request.id);
    expect(await ids({})).toEqual(['c-new', 'Z-new', 'b-mid', 'a-old']);
    expect(await ids({ status: 'open' })).toEqual(['c-new', 'Z-new', 'a-old']);
    expect(await ids({ proposer: 'bob' })).toEqual(['Z-new', 'b-mid']);
    expect(await ids({ status: 'declined', proposer: 'bob' })).toEqual(['b-mid']);
    expect(await ids({ status: 'accepted' })).toEqual([]);
  });

  it('decides an open proposal once: a second decision finds it closed', async () => {
    await b.changeRequests.insert(proposal('cr1', 'public', 'bob', '2026-03-01T00:00:00.000Z'));
    const accepted: IChangeRequestDecision = {
      status: 'accepted',
      decidedAt: '2026-03-05T00:00:00.000Z',
      decidedBy: 'ann',
      comment: 'Thanks',
      acceptedRevision: 'sha-accepted'
    };
    expect(await b.changeRequests.decide('public', 'cr1', accepted)).toBe(true);
    expect(await b.changeRequests.decide('public', 'cr1', declined('ann'))).toBe(false);
    expect(await b.changeRequests.decide('labs', 'cr1', declined('ann'))).toBe(false);
    expect(await b.changeRequests.find('public', 'cr1')).toMatchObject({
      status: 'accepted',
      decidedAt: '2026-03-05T00:00:00.000Z',
      decidedBy: 'ann',
      comment: 'Thanks',
      acceptedRevision: 'sha-accepted'
    });
  });

  it('lets exactly one of two replicas decide the same proposal at once', async () => {
    await b.changeRequests.insert(proposal('cr1', 'public', 'bob', '2026-03-01T00:00:00.000Z'));
    const replica = b.replica();
    const results = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        (i % 2 ? replica : b).changeRequests.decide('public', 'cr1', { ...declined(`decider${i}`) })
      )
    );
    expect(results.filter(Boolean)).toHaveLength(1);
    const winner = results.indexOf(true);
    expect((await b.changeRequests.find('public', 'cr1'))?.decidedBy).toBe(`decider${winner}`);
  });

  it('counts a proposer’s open proposals on one notebook and everywhere', async () => {
    expect(await b.changeRequests.countOpen('bob', 'public')).toEqual({ onNotebook: 0, total: 0 });
    await b.changeRequests.insert(proposal('cr1', 'public', 'bob', '2026-03-01T00:00:00.000Z'));
    await b.changeRequests.insert(proposal('cr2', 'public', 'bob', '2026-03-02T00:00:00.000Z'));
    await b.changeRequests.insert(proposal('cr3', 'labs', 'bob', '2026-03-03T00:00:00.000Z'));
    await b.changeRequests.insert(proposal('cr4', 'public', 'cat', '2026-03-04T00:00:00.000Z'));
    await b.changeRequests.decide('public', 'cr2', declined('ann'));
    expect(await b.changeRequests.countOpen('bob', 'public')).toEqual({ onNotebook: 1, total: 2 });
    expect(await b.changeRequests.countOpen('bob', 'private')).toEqual({ onNotebook: 0, total: 2 });
  });

  describe('across notebooks, through the permission rule', () => {
    beforeEach(async () => {
      await b.changeRequests.insert(proposal('on-public', 'public', 'bob', '2026-03-01T00:00:00.000Z'));
      await b.changeRequests.insert(proposal('on-private', 'private', 'bob', '2026-03-02T00:00:00.000Z'));
      await b.changeRequests.insert(proposal('on-labs', 'labs', 'eve', '2026-03-03T00:00:00.000Z'));
      await b.changeRequests.insert(proposal('on-shared', 'shared', 'eve', '2026-03-04T00:00:00.000Z'));
      await b.changeRequests.insert(proposal('by-dan', 'labs', 'dan', '2026-03-05T00:00:00.000Z'));
      await b.changeRequests.decide('labs', 'by-dan', declined('cat'));
    });

    const listed = async (
      who: ICaller,
      role: 'proposer' | 'reviewer' | 'any',
      status?: 'open' | 'declined'
    ): Promise<[string, boolean][]> =>
      (await b.changeRequests.listForCaller(who, role, status)).map(item => [item.record.id, item.callerMayEdit]);

    it('gives proposers theirs on notebooks they still read', async () => {
      // bob proposed on `private` while he could read it; he cannot now, so it is not listed.
      expect(await listed(caller('bob'), 'proposer')).toEqual([['on-public', false]]);
      expect(await listed(caller('eve'), 'proposer')).toEqual([['on-labs', false]]);
      expect(await listed(caller(null), 'proposer')).toEqual([]);
    });

    it('gives reviewers those on notebooks they may edit: owner, group editor, editor share', async () => {
      expect(await listed(caller('ann'), 'reviewer')).toEqual([
        ['on-private', true],
        ['on-public', true]
      ]);
      expect(await listed(caller('cat'), 'reviewer')).toEqual([
        ['by-dan', true],
        ['on-shared', true],
        ['on-labs', true]
      ]);
      expect(await listed(caller('dan'), 'reviewer')).toEqual([
        ['by-dan', true],
        ['on-labs', true]
      ]);
      expect(await listed(caller('bob'), 'reviewer')).toEqual([['on-shared', true]]);
      expect(await listed(caller('eve'), 'reviewer')).toEqual([]);
      expect(await listed(caller(null), 'reviewer')).toEqual([]);
    });

    it('gives both with `any`, filtered by status, and everything to an admin', async () => {
      expect(await listed(caller('bob'), 'any')).toEqual([
        ['on-shared', true],
        ['on-public', false]
      ]);
      expect(await listed(caller('dan'), 'any', 'open')).toEqual([['on-labs', true]]);
      expect(await listed(caller('dan'), 'any', 'declined')).toEqual([['by-dan', true]]);
      expect(await listed(caller('root', true), 'reviewer')).toEqual([
        ['by-dan', true],
        ['on-shared', true],
        ['on-labs', true],
        ['on-private', true],
        ['on-public', true]
      ]);
    });
  });

  it('goes with its notebook', async () => {
    await b.changeRequests.insert(proposal('cr1', 'public', 'bob', '2026-03-01T00:00:00.000Z'));
    await b.notebooks.remove('public');
    expect(await b.changeRequests.find('public', 'cr1')).toBeUndefined();
    expect(await b.changeRequests.countOpen('bob', 'public')).toEqual({ onNotebook: 0, total: 0 });
  });
});

import { SETUP_TIMEOUT_MS } from '../helpers/testGallery';
import { commentedNotebook, startCommentWorld, type ICommentWorld } from './commentWorld';

let world: ICommentWorld;
const tokens: Record<string, string> = {};

beforeAll(async () => {
  world = await startCommentWorld({ 'default-visibility': 'public' });
  for (const name of ['ann', 'bob', 'carl', 'dave', 'erin']) {
    tokens[name] = await world.gallery.login(name);
  }
}, SETUP_TIMEOUT_MS);

afterAll(async () => {
  await world.gallery.close();
});

const inbox = (name: string, query = '') => world.call(tokens[name], { method: 'GET', url: `/api/inbox${query}` }, 200);
const unread = async (name: string) =>
  (await world.call(tokens[name], { method: 'GET', url: '/api/inbox/unread-count' }, 200)).unread;
const readAll = (name: string) =>
  world.call(tokens[name], { method: 'POST', url: '/api/inbox/read', payload: { all: true } }, 204);

/** Each user's events about notebook `id`, as [kind, actor] pairs, newest first. */
async function eventsAbout(id: string, ...names: string[]): Promise<Record<string, [string, string][]>> {
  const result: Record<string, [string, string][]> = {};
  for (const name of names) {
    result[name] = (await inbox(name, '?limit=100')).items
      .filter((event: any) => event.notebookId === id)
      .map((event: any) => [event.kind, event.actor]);
  }
  return result;
}

describe('who hears of a comment', () => {
  it('tells the owner of a comment on their notebook, naming the notebook and the comment, never the actor', async () => {
    const { id } = await world.create(tokens.ann, { title: 'Fish counts' });
    const comment = await world.comment(tokens.bob, id, { body: 'Lovely plot' });
    const [event] = (await inbox('ann')).items;
    expect(event).toEqual({
      id: expect.any(String),
      kind: 'comment',
      notebookId: id,
      notebookTitle: 'Fish counts',
      actor: 'bob',
      commentId: comment.id,
      changeRequestId: null,
      revision: null,
      createdAt: expect.any(String),
      read: false
    });
    expect(await eventsAbout(id, 'bob', 'carl')).toEqual({ bob: [], carl: [] });
    await world.comment(tokens.ann, id, { body: 'My own note' });
    expect((await eventsAbout(id, 'ann')).ann).toEqual([['comment', 'bob']]);
  });

  it('tells the others in a thread of a reply, once each', async () => {
    const { id } = await world.create(tokens.ann);
    const root = await world.comment(tokens.bob, id, { body: 'Question' });
    await world.comment(tokens.carl, id, { body: 'Me too', parentId: root.id });
    await world.comment(tokens.bob, id, { body: 'Still waiting', parentId: root.id });
    expect(await eventsAbout(id, 'ann', 'bob', 'carl', 'dave')).toEqual({
      ann: [
        ['comment', 'bob'],
        ['comment', 'carl'],
        ['comment', 'bob']
      ],
      bob: [['reply', 'carl']],
      carl: [['reply', 'bob']],
      dave: []
    });
  });

  it('brings an @mention to the mentioned user, once, and to nobody who cannot read the notebook or does not exist', async () => {
    const { id } = await world.create(tokens.ann, { visibility: 'private' });
    await world.call(
      tokens.ann,
      {
        method: 'PUT',
        url: `/api/notebooks/${id}/sharing`,
        payload: { visibility: 'private', group: null, shares: [{ kind: 'user', name: 'bob', role: 'reader' }] }
      },
      200
    );
    const comment = await world.comment(tokens.bob, id, {
      body: 'Ask @ann and @carl and @nosuchuser, and @ann again. Not mail@example.org.'
    });
    expect(comment.mentions).toEqual(['ann', 'carl', 'nosuchuser']);
    expect(await eventsAbout(id, 'ann', 'carl')).toEqual({ ann: [['mention', 'bob']], carl: [] });

    const { id: open } = await world.create(tokens.ann);
    await world.comment(tokens.bob, open, { body: 'Thoughts, @carl?' });
    expect(await eventsAbout(open, 'ann', 'carl', 'dave')).toEqual({
      ann: [['comment', 'bob']],
      carl: [['mention', 'bob']],
      dave: []
    });
  });

  it('answers a mention of someone who exists exactly like one of someone who does not', async () => {
    const { id } = await world.create(tokens.ann, { visibility: 'private' });
    const real = await world.comment(tokens.ann, id, { body: 'cc @dave' });
    const fake = await world.comment(tokens.ann, id, { body: 'cc @davy' });
    const shape = (comment: any) => ({
      ...comment,
      id: '',
      createdAt: '',
      body: '',
      mentions: comment.mentions.length
    });
    expect(shape(real)).toEqual(shape(fake));
    expect((await eventsAbout(id, 'dave')).dave).toEqual([]);
  });
});

describe('read, unread and mute', () => {
  it('counts unread events, marks some or all read, and ignores ids of other users’ events', async () => {
    await readAll('erin');
    const { id } = await world.create(tokens.erin);
    for (const body of ['one', 'two', 'three']) {
      await world.comment(tokens.bob, id, { body });
    }
    expect(await unread('erin')).toBe(3);
    const items = (await inbox('erin', '?unread=true')).items;
    expect(items.map((event: any) => event.read)).toEqual([false, false, false]);
    await world.call(tokens.bob, { method: 'POST', url: '/api/inbox/read', payload: { ids: [items[0].id] } }, 204);
    expect(await unread('erin')).toBe(3);
    await world.call(tokens.erin, { method: 'POST', url: '/api/inbox/read', payload: { ids: [items[0].id] } }, 204);
    expect(await unread('erin')).toBe(2);
    expect((await inbox('erin', '?unread=true')).items.map((event: any) => event.id)).toEqual([
      items[1].id,
      items[2].id
    ]);
    expect((await inbox('erin')).items[0]).toMatchObject({ id: items[0].id, read: true });
    await readAll('erin');
    expect(await unread('erin')).toBe(0);
  });

  it('pages newest first with a cursor', async () => {
    const { id } = await world.create(tokens.dave);
    for (let i = 0; i < 5; i++) {
      await world.comment(tokens.bob, id, { body: `note ${i}` });
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: any = await inbox('dave', `?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.items.map((event: any) => event.id));
      cursor = page.nextCursor;
    } while (cursor !== null);
    expect(seen.length).toBeGreaterThanOrEqual(5);
    expect([...seen].sort((a, b) => Number(b) - Number(a))).toEqual(seen);
    expect(new Set(seen).size).toBe(seen.length);
    const bad = await world.call(tokens.dave, { method: 'GET', url: '/api/inbox?cursor=nonsense' }, 400);
    expect(bad).toMatchObject({ error: 'VALIDATION_FAILED', field: 'cursor' });
  });

  it('brings nothing from a muted notebook until it is unmuted', async () => {
    const { id } = await world.create(tokens.ann);
    const mute = (method: 'PUT' | 'DELETE') =>
      world.call(tokens.ann, { method, url: `/api/notebooks/${id}/mute` }, 200);
    expect(await mute('PUT')).toEqual({ muted: true });
    expect(await mute('PUT')).toEqual({ muted: true });
    await world.comment(tokens.bob, id, { body: 'Unheard, @ann' });
    expect((await eventsAbout(id, 'ann')).ann).toEqual([]);
    expect(await mute('DELETE')).toEqual({ muted: false });
    await world.comment(tokens.bob, id, { body: 'Heard' });
    expect((await eventsAbout(id, 'ann')).ann).toEqual([['comment', 'bob']]);
  });

  it('cannot mute a notebook the caller cannot read, with the same 404 as a missing one', async () => {
    const { id } = await world.create(tokens.ann, { visibility: 'private' });
    const hidden = await world.call(tokens.bob, { method: 'PUT', url: `/api/notebooks/${id}/mute` }, 404);
    const missing = await world.call(tokens.bob, { method: 'PUT', url: '/api/notebooks/nosuchnotebook00/mute' }, 404);
    expect(hidden.error).toBe('NOTEBOOK_NOT_FOUND');
    expect({ ...hidden, message: '', id: '' }).toEqual({ ...missing, message: '', id: '' });
  });

  it('hides events of a notebook the recipient can no longer read', async () => {
    const { id } = await world.create(tokens.ann);
    await readAll('carl');
    await world.comment(tokens.bob, id, { body: 'For @carl' });
    expect(await unread('carl')).toBe(1);
    await world.call(
      tokens.ann,
      { method: 'PATCH', url: `/api/notebooks/${id}`, payload: { visibility: 'private' } },
      200
    );
    expect(await unread('carl')).toBe(0);
    expect((await eventsAbout(id, 'carl')).carl).toEqual([]);
  });
});

describe('change requests and new revisions', () => {
  it('tells the owner of a change request to review, and the proposer whether it was accepted or declined', async () => {
    const { id, revision } = await world.create(tokens.ann);
    const propose = async (text: string) =>
      (
        await world.call(
          tokens.bob,
          {
            method: 'POST',
            url: `/api/notebooks/${id}/change-requests`,
            payload: { notebook: commentedNotebook(text), baseRevision: revision, message: text }
          },
          201
        )
      ).id;
    const first = await propose('First idea');
    const second = await propose('Second idea');
    const owner = (await inbox('ann')).items.filter((event: any) => event.notebookId === id);
    expect(owner.map((event: any) => [event.kind, event.actor, event.changeRequestId])).toEqual([
      ['change-request', 'bob', second],
      ['change-request', 'bob', first]
    ]);
    const accepted = await world.call(
      tokens.ann,
      { method: 'POST', url: `/api/notebooks/${id}/change-requests/${first}/accept`, payload: {} },
      200
    );
    await world.call(
      tokens.ann,
      { method: 'POST', url: `/api/notebooks/${id}/change-requests/${second}/decline`, payload: { comment: 'No' } },
      200
    );
    const proposer = (await inbox('bob')).items.filter((event: any) => event.notebookId === id);
    expect(proposer.map((event: any) => [event.kind, event.actor, event.changeRequestId, event.revision])).toEqual([
      ['change-request-declined', 'ann', second, null],
      ['change-request-accepted', 'ann', first, accepted.revision]
    ]);
  });

  it('tells of a review comment only those who may see the change request', async () => {
    const { id, revision } = await world.create(tokens.ann);
    const proposal = await world.call(
      tokens.bob,
      {
        method: 'POST',
        url: `/api/notebooks/${id}/change-requests`,
        payload: { notebook: commentedNotebook('Proposed'), baseRevision: revision, message: 'Proposed' }
      },
      201
    );
    await readAll('bob');
    await world.comment(tokens.ann, id, { body: 'What do @carl and @bob think?', changeRequestId: proposal.id });
    expect(await eventsAbout(id, 'bob', 'carl')).toEqual({ bob: [['mention', 'ann']], carl: [] });
    await world.comment(tokens.ann, id, { body: 'Another point', changeRequestId: proposal.id });
    expect((await eventsAbout(id, 'bob')).bob[0]).toEqual(['comment', 'ann']);
  });

  it('tells the owners of the owning group of a comment on a group notebook', async () => {
    await world.gallery.app.groups.create('lab', 'dave');
    await world.gallery.app.groups.setMember('lab', 'erin', 'member');
    const { id } = await world.create(tokens.dave, { visibility: 'group', group: 'lab', ownedByGroup: true });
    await world.comment(tokens.erin, id, { body: 'For the lab' });
    expect(await eventsAbout(id, 'dave', 'erin')).toEqual({ dave: [['comment', 'erin']], erin: [] });
  });

  it('tells those who starred or copied a notebook of its new revision, not its author', async () => {
    const { id, revision } = await world.create(tokens.ann, { notebook: commentedNotebook('Followed') });
    await world.call(tokens.carl, { method: 'PUT', url: `/api/notebooks/${id}/star` }, 200);
    await world.create(tokens.dave, { parent: { id, revision }, notebook: commentedNotebook('Dave’s copy') });
    await world.call(
      tokens.erin,
      { method: 'POST', url: `/api/notebooks/${id}/activity`, payload: { kind: 'open' } },
      204
    );
    await world.call(tokens.ann, { method: 'PUT', url: `/api/notebooks/${id}/star` }, 200);
    const next = await world.save(tokens.ann, id, revision, commentedNotebook('Followed, updated'));
    const about = await eventsAbout(id, 'ann', 'bob', 'carl', 'dave', 'erin');
    expect(about).toEqual({
      ann: [],
      bob: [],
      carl: [['revision', 'ann']],
      dave: [['revision', 'ann']],
      erin: [['revision', 'ann']]
    });
    expect((await inbox('carl')).items.find((event: any) => event.notebookId === id).revision).toBe(next);
  });
});

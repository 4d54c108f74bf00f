import { COMMENT_BODY_MAX_LENGTH, COMMENT_MENTIONS_MAX } from '@notebook-gallery/core';
import { createHash } from 'node:crypto';
import { SETUP_TIMEOUT_MS } from '../helpers/testGallery';
import { commentedNotebook, startCommentWorld, type ICommentWorld } from './commentWorld';

let world: ICommentWorld;
let ann: string;
let bob: string;
let carl: string;

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');
const CODE = 'a = 1\nb = 2\nprint(a + b)';

beforeAll(async () => {
  world = await startCommentWorld({ 'default-visibility': 'public' });
  [ann, bob, carl] = [
    await world.gallery.login('ann'),
    await world.gallery.login('bob'),
    await world.gallery.login('carl')
  ];
}, SETUP_TIMEOUT_MS);

afterAll(async () => {
  await world.gallery.close();
});

describe('comments on a notebook, a cell and lines', () => {
  it('keeps each anchor with its revision and source hash, and lists every one as current', async () => {
    const { id, revision } = await world.create(ann);
    const onNotebook = await world.comment(bob, id, { body: 'Nice work' });
    const onCell = await world.comment(bob, id, { body: 'Why 2?', anchor: { cellId: 'code' } });
    const onLines = await world.comment(carl, id, {
      body: 'These two',
      anchor: { cellId: 'code', revision, lines: { from: 2, to: 3 } }
    });
    expect(onNotebook).toMatchObject({ author: 'bob', anchor: null, parentId: null, editedAt: null, resolved: false });
    expect(onCell.anchor).toEqual({ cellId: 'code', revision, sourceHash: sha256(CODE), lines: null });
    expect(onLines.anchor).toEqual({ cellId: 'code', revision, sourceHash: sha256(CODE), lines: { from: 2, to: 3 } });

    const list = await world.list(ann, id);
    expect(list.revision).toBe(revision);
    expect(list.outdated).toEqual([]);
    expect(list.threads.map((t: any) => [t.comment.id, t.state, t.earlier])).toEqual([
      [onNotebook.id, 'notebook', null],
      [onCell.id, 'current', null],
      [onLines.id, 'current', null]
    ]);
  });

  it('marks a comment "changed" when a new revision changes its cell, with the earlier source to show', async () => {
    const { id, revision } = await world.create(ann);
    const onCode = await world.comment(bob, id, { body: 'Typo here', anchor: { cellId: 'code' } });
    const onIntro = await world.comment(bob, id, { body: 'Good intro', anchor: { cellId: 'intro' } });
    const next = await world.save(ann, id, revision, commentedNotebook('Intro', 'a = 1\nb = 3\nprint(a + b)'));
    const afterChange = await world.comment(carl, id, { body: 'Better now', anchor: { cellId: 'code' } });

    const list = await world.list(bob, id);
    expect(list.revision).toBe(next);
    expect(list.threads.map((t: any) => [t.comment.id, t.state, t.earlier])).toEqual([
      [onCode.id, 'changed', { revision, source: CODE }],
      [onIntro.id, 'current', null],
      [afterChange.id, 'current', null]
    ]);
  });

  it('keeps a comment whose cell was deleted in the outdated list, with the cell as it was', async () => {
    const { id, revision } = await world.create(ann);
    const onCode = await world.comment(bob, id, { body: 'Keep this', anchor: { cellId: 'code' } });
    const reply = await world.comment(ann, id, { body: 'Removing it', parentId: onCode.id });
    const withoutCode = commentedNotebook();
    withoutCode.cells = withoutCode.cells.slice(0, 1);
    await world.save(ann, id, revision, withoutCode);

    const list = await world.list(carl, id);
    expect(list.threads).toEqual([]);
    expect(list.outdated).toHaveLength(1);
    expect(list.outdated[0]).toMatchObject({
      comment: { id: onCode.id, body: 'Keep this' },
      state: 'outdated',
      earlier: { revision, source: CODE },
      replies: [{ id: reply.id, parentId: onCode.id }]
    });
  });

  it('threads replies under the root, even a reply to a reply, oldest first', async () => {
    const { id } = await world.create(ann);
    const root = await world.comment(bob, id, { body: 'Question', anchor: { cellId: 'intro' } });
    const first = await world.comment(ann, id, { body: 'Answer', parentId: root.id });
    const second = await world.comment(bob, id, { body: 'Thanks', parentId: first.id });
    expect(second.parentId).toBe(root.id);
    const list = await world.list(ann, id);
    expect(list.threads).toHaveLength(1);
    expect(list.threads[0].replies.map((r: any) => [r.id, r.body])).toEqual([
      [first.id, 'Answer'],
      [second.id, 'Thanks']
    ]);
  });
});

describe('edit, resolve, reopen and delete', () => {
  let id: string;
  beforeAll(async () => {
    ({ id } = await world.create(ann));
  });

  it('lets only the author edit, and marks the comment edited', async () => {
    const comment = await world.comment(bob, id, { body: 'First thought' });
    const url = `/api/comments/${comment.id}`;
    const refused = await world.call(ann, { method: 'PATCH', url, payload: { body: 'Owner rewrites' } }, 403);
    expect(refused.error).toBe('FORBIDDEN');
    const edited = await world.call(bob, { method: 'PATCH', url, payload: { body: 'Second thought' } }, 200);
    expect(edited.body).toBe('Second thought');
    expect(edited.editedAt).toEqual(expect.any(String));
    const listed = (await world.list(carl, id)).threads.find((t: any) => t.comment.id === comment.id);
    expect(listed.comment).toMatchObject({ body: 'Second thought', editedAt: edited.editedAt });
  });

  it('lets the author and the notebook owner resolve and reopen, not another reader', async () => {
    const comment = await world.comment(bob, id, { body: 'Fix the axis' });
    const url = (action: string) => `/api/comments/${comment.id}/${action}`;
    expect((await world.call(carl, { method: 'POST', url: url('resolve') }, 403)).error).toBe('FORBIDDEN');
    expect(await world.call(ann, { method: 'POST', url: url('resolve') }, 200)).toMatchObject({
      resolved: true,
      resolvedBy: 'ann'
    });
    let listed = (await world.list(carl, id)).threads.find((t: any) => t.comment.id === comment.id);
    expect(listed.comment.resolved).toBe(true);
    expect(await world.call(bob, { method: 'POST', url: url('reopen') }, 200)).toMatchObject({
      resolved: false,
      resolvedBy: null
    });
    listed = (await world.list(carl, id)).threads.find((t: any) => t.comment.id === comment.id);
    expect(listed.comment.resolved).toBe(false);
  });

  it('lets the author and the owner delete, not another reader; a root takes its replies', async () => {
    const mine = await world.comment(carl, id, { body: 'Mine to delete' });
    const bobs = await world.comment(bob, id, { body: 'Owner may delete' });
    const reply = await world.comment(carl, id, { body: 'Reply', parentId: bobs.id });
    await world.call(carl, { method: 'DELETE', url: `/api/comments/${bobs.id}` }, 403);
    await world.call(carl, { method: 'DELETE', url: `/api/comments/${mine.id}` }, 204);
    await world.call(ann, { method: 'DELETE', url: `/api/comments/${bobs.id}` }, 204);
    const ids = (await world.list(ann, id)).threads.flatMap((t: any) => [
      t.comment.id,
      ...t.replies.map((r: any) => r.id)
    ]);
    for (const gone of [mine.id, bobs.id, reply.id]) {
      expect(ids).not.toContain(gone);
    }
    await world.call(ann, { method: 'DELETE', url: `/api/comments/${reply.id}` }, 404);
  });

  it('lets an admin delete any comment, and audits it', async () => {
    const admin = await world.gallery.login('root', { admin: true });
    const comment = await world.comment(bob, id, { body: 'Spam' });
    await world.call(admin, { method: 'DELETE', url: `/api/comments/${comment.id}` }, 204);
    const log = (await world.call(admin, { method: 'GET', url: '/api/admin/audit' }, 200)).items;
    expect(log[0]).toMatchObject({ actor: 'root', action: 'comment.delete', target: id });
    // The owner deleting a comment on their own notebook is no admin act.
    const another = await world.comment(bob, id, { body: 'More spam' });
    await world.call(ann, { method: 'DELETE', url: `/api/comments/${another.id}` }, 204);
    expect((await world.call(admin, { method: 'GET', url: '/api/admin/audit' }, 200)).items).toHaveLength(log.length);
  });

  it('says what the caller may do with each comment', async () => {
    const comment = await world.comment(bob, id, { body: 'Flags' });
    const seen = async (token: string) =>
      (await world.list(token, id)).threads.find((t: any) => t.comment.id === comment.id).comment;
    expect(await seen(bob)).toMatchObject({ canEdit: true, canDelete: true, canResolve: true });
    expect(await seen(ann)).toMatchObject({ canEdit: false, canDelete: true, canResolve: true });
    expect(await seen(carl)).toMatchObject({ canEdit: false, canDelete: false, canResolve: false });
  });
});

describe('bad input', () => {
  let id: string;
  let revision: string;
  beforeAll(async () => {
    ({ id, revision } = await world.create(ann));
  });

  const post = (payload: Record<string, unknown>) =>
    world.call(bob, { method: 'POST', url: `/api/notebooks/${id}/comments`, payload }, 400);

  it('refuses an unknown cell, naming it', async () => {
    const reply = await post({ body: 'Where?', anchor: { cellId: 'nope' } });
    expect(reply).toMatchObject({ error: 'INVALID_ANCHOR', field: 'anchor.cellId' });
    expect(reply.message).toContain('"nope"');
  });

  it('refuses a line range outside the cell, or backwards, saying how many lines it has', async () => {
    const outside = await post({ body: 'Past the end', anchor: { cellId: 'code', lines: { from: 2, to: 4 } } });
    expect(outside).toMatchObject({ error: 'INVALID_ANCHOR', field: 'anchor.lines' });
    expect(outside.message).toContain('has 3 lines');
    const backwards = await post({ body: 'Backwards', anchor: { cellId: 'code', lines: { from: 3, to: 2 } } });
    expect(backwards).toMatchObject({ error: 'INVALID_ANCHOR', field: 'anchor.lines' });
    const zero = await post({ body: 'Line 0', anchor: { cellId: 'code', lines: { from: 0, to: 1 } } });
    expect(zero).toMatchObject({ error: 'VALIDATION_FAILED', field: 'anchor.lines.from' });
  });

  it('checks the range against the revision the comment is on', async () => {
    const next = await world.save(ann, id, revision, commentedNotebook('Intro', 'only = 1'));
    await world.comment(bob, id, {
      body: 'Old line 3',
      anchor: { cellId: 'code', revision, lines: { from: 3, to: 3 } }
    });
    const reply = await post({
      body: 'New line 3',
      anchor: { cellId: 'code', revision: next, lines: { from: 3, to: 3 } }
    });
    expect(reply).toMatchObject({ error: 'INVALID_ANCHOR', field: 'anchor.lines' });
    revision = next;
  });

  it('refuses a revision of another notebook', async () => {
    // Other content: the same notebook saved by the same user in the same second would be the same commit.
    const other = await world.create(ann, { notebook: commentedNotebook('Another notebook') });
    const reply = await post({ body: 'Elsewhere', anchor: { cellId: 'code', revision: other.revision } });
    expect(reply).toMatchObject({ error: 'INVALID_ANCHOR', field: 'anchor.revision' });
  });

  it('refuses a 20,000-character comment with the limit', async () => {
    const reply = await post({ body: 'x'.repeat(20_000) });
    expect(reply).toMatchObject({ error: 'VALIDATION_FAILED', field: 'body' });
    expect(reply.message).toContain(`at most ${COMMENT_BODY_MAX_LENGTH} characters (it has 20000)`);
  });

  it('refuses 1,000 mentions with the limit, and takes the most allowed', async () => {
    const names = (count: number) => Array.from({ length: count }, (_, i) => `@u${i}`).join(' ');
    const reply = await post({ body: names(1000) });
    expect(reply).toMatchObject({ error: 'VALIDATION_FAILED', field: 'body' });
    expect(reply.message).toContain(`mentions 1000 people; one comment may mention at most ${COMMENT_MENTIONS_MAX}`);
    expect((await world.comment(bob, id, { body: names(COMMENT_MENTIONS_MAX) })).mentions).toHaveLength(
      COMMENT_MENTIONS_MAX
    );
  });

  it('refuses a blank comment, a reply with its own anchor, and a reply to another notebook’s comment', async () => {
    expect(await post({ body: '   ' })).toMatchObject({ error: 'VALIDATION_FAILED', field: 'body' });
    const root = await world.comment(bob, id, { body: 'Root' });
    expect(await post({ body: 'Reply', parentId: root.id, anchor: { cellId: 'code' } })).toMatchObject({
      field: 'anchor'
    });
    const other = await world.create(ann);
    const elsewhere = await world.comment(bob, other.id, { body: 'Elsewhere' });
    expect(await post({ body: 'Reply', parentId: elsewhere.id })).toMatchObject({
      error: 'VALIDATION_FAILED',
      field: 'parentId'
    });
  });
});

describe('a notebook the caller cannot read', () => {
  it('is the same 404 as a missing one on every comment route, and so is its comment', async () => {
    const { id } = await world.create(ann, { visibility: 'private' });
    const secret = await world.comment(ann, id, { body: 'Private note', anchor: { cellId: 'code' } });
    const missing = 'nonexistent0000000000000';
    const notebookRoutes = (notebook: string) => [
      { method: 'GET' as const, url: `/api/notebooks/${notebook}/comments` },
      { method: 'POST' as const, url: `/api/notebooks/${notebook}/comments`, payload: { body: 'Hi' } },
      { method: 'GET' as const, url: `/api/notebooks/${notebook}/revisions/abc/comments` }
    ];
    const commentRoutes = (comment: string) => [
      { method: 'PATCH' as const, url: `/api/comments/${comment}`, payload: { body: 'Edit' } },
      { method: 'POST' as const, url: `/api/comments/${comment}/resolve` },
      { method: 'POST' as const, url: `/api/comments/${comment}/reopen` },
      { method: 'DELETE' as const, url: `/api/comments/${comment}` }
    ];
    const answer = async (options: any, name: string) => {
      const response = await world.gallery.request(bob, options);
      return [response.statusCode, JSON.stringify(response.json()).split(name).join('<id>')];
    };
    const hidden = notebookRoutes(id);
    const absent = notebookRoutes(missing);
    for (let i = 0; i < hidden.length; i++) {
      const seen = await answer(hidden[i], id);
      expect(seen[0]).toBe(404);
      expect(seen).toEqual(await answer(absent[i], missing));
    }
    const hiddenComment = commentRoutes(secret.id);
    const absentComment = commentRoutes('nocomment000000000000000');
    for (let i = 0; i < hiddenComment.length; i++) {
      const seen = await answer(hiddenComment[i], secret.id);
      expect(seen).toEqual([404, JSON.stringify({ error: 'COMMENT_NOT_FOUND', message: 'Comment "<id>" not found' })]);
      expect(seen).toEqual(await answer(absentComment[i], 'nocomment000000000000000'));
    }
    expect((await world.list(ann, id)).threads[0].comment.body).toBe('Private note');
  });
});

describe('deleting a notebook', () => {
  it('takes its comments, mutes and their inbox events with it', async () => {
    const { id } = await world.create(ann);
    const comment = await world.comment(bob, id, { body: 'Soon gone, @carl', anchor: { cellId: 'code' } });
    await world.comment(carl, id, { body: 'Noted', parentId: comment.id });
    await world.call(bob, { method: 'PUT', url: `/api/notebooks/${id}/mute` }, 200);
    const events = async (token: string) =>
      (await world.call(token, { method: 'GET', url: '/api/inbox?limit=100' }, 200)).items.filter(
        (event: any) => event.notebookId === id
      );
    expect((await events(carl)).map((event: any) => event.kind)).toEqual(['mention']);
    await world.call(ann, { method: 'DELETE', url: `/api/notebooks/${id}` }, 204);
    await world.call(bob, { method: 'PATCH', url: `/api/comments/${comment.id}`, payload: { body: 'x' } }, 404);
    expect(await events(carl)).toEqual([]);
    expect(await events(ann)).toEqual([]);
  });
});

describe('review comments on a change request', () => {
  it('stay with the request until it is accepted, then show on the notebook and its accepted revision', async () => {
    const { id, revision } = await world.create(ann);
    const proposal = await world.call(
      bob,
      {
        method: 'POST',
        url: `/api/notebooks/${id}/change-requests`,
        payload: {
          notebook: commentedNotebook('Intro', 'a = 1\nb = 2\nc = 3\nprint(a + b + c)'),
          baseRevision: revision,
          message: 'Add c'
        }
      },
      201
    );
    const review = await world.comment(ann, id, {
      body: 'Is c needed?',
      changeRequestId: proposal.id,
      anchor: { cellId: 'code', lines: { from: 3, to: 4 } }
    });
    const detail = await world.call(
      ann,
      { method: 'GET', url: `/api/notebooks/${id}/change-requests/${proposal.id}` },
      200
    );
    expect(review.changeRequestId).toBe(proposal.id);
    expect(review.anchor.revision).not.toBe(revision);
    expect(review.anchor.sourceHash).toBe(sha256('a = 1\nb = 2\nc = 3\nprint(a + b + c)'));
    expect(detail.id).toBe(proposal.id);

    // Lines 3-4 exist only in the proposal: the same anchor on the notebook's revision is refused.
    const onRevision = await world.call(
      ann,
      {
        method: 'POST',
        url: `/api/notebooks/${id}/comments`,
        payload: { body: 'x', anchor: { cellId: 'code', lines: { from: 3, to: 4 } } }
      },
      400
    );
    expect(onRevision.field).toBe('anchor.lines');

    const reviewList = await world.list(bob, id, `?changeRequest=${proposal.id}`);
    expect(reviewList.threads.map((t: any) => [t.comment.id, t.state])).toEqual([[review.id, 'current']]);
    expect((await world.list(carl, id)).threads).toEqual([]);
    const hidden = await world.call(
      carl,
      { method: 'GET', url: `/api/notebooks/${id}/comments?changeRequest=${proposal.id}` },
      404
    );
    expect(hidden.error).toBe('CHANGE_REQUEST_NOT_FOUND');
    await world.call(carl, { method: 'POST', url: `/api/comments/${review.id}/resolve` }, 404);

    const accepted = await world.call(
      ann,
      { method: 'POST', url: `/api/notebooks/${id}/change-requests/${proposal.id}/accept`, payload: {} },
      200
    );
    const list = await world.list(carl, id);
    expect(list.threads.map((t: any) => [t.comment.id, t.comment.changeRequestId, t.state])).toEqual([
      [review.id, proposal.id, 'current']
    ]);
    const forRevision = await world.call(
      carl,
      { method: 'GET', url: `/api/notebooks/${id}/revisions/${accepted.revision}/comments` },
      200
    );
    expect(forRevision.reviews).toHaveLength(1);
    expect(forRevision.reviews[0]).toMatchObject({ changeRequestId: proposal.id, proposer: 'bob' });
    expect(forRevision.reviews[0].threads.map((t: any) => [t.comment.body, t.state])).toEqual([
      ['Is c needed?', 'current']
    ]);
    const earlier = await world.call(
      carl,
      { method: 'GET', url: `/api/notebooks/${id}/revisions/${revision}/comments` },
      200
    );
    expect(earlier.reviews).toEqual([]);
    const unknown = await world.call(
      carl,
      { method: 'GET', url: `/api/notebooks/${id}/revisions/abc123/comments` },
      404
    );
    expect(unknown.error).toBe('REVISION_NOT_FOUND');
  });

  it('is refused to a reader who cannot see the change request', async () => {
    const { id, revision } = await world.create(ann);
    const proposal = await world.call(
      bob,
      {
        method: 'POST',
        url: `/api/notebooks/${id}/change-requests`,
        payload: { notebook: commentedNotebook('Changed'), baseRevision: revision, message: 'x' }
      },
      201
    );
    const refused = await world.call(
      carl,
      {
        method: 'POST',
        url: `/api/notebooks/${id}/comments`,
        payload: { body: 'Sneaky', changeRequestId: proposal.id }
      },
      404
    );
    expect(refused.error).toBe('CHANGE_REQUEST_NOT_FOUND');
  });
});

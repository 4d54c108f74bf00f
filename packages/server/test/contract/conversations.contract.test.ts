import type { IInboxEvent } from '@notebook-gallery/core';
import type { ICaller } from '../../src/auth/permissions';
import type { ICommentRecord, ICommentRepository, INewComment } from '../../src/repositories/commentRepository';
import type { IInboxPageRequest, IInboxRepository, INewInboxEvent } from '../../src/repositories/inboxRepository';
import { PgCommentRepository } from '../../src/repositories/postgres/pgCommentRepository';
import { PgInboxRepository } from '../../src/repositories/postgres/pgInboxRepository';
import { PgWebhookRepository } from '../../src/repositories/postgres/pgWebhookRepository';
import { SqliteCommentRepository } from '../../src/repositories/sqlite/sqliteCommentRepository';
import { SqliteInboxRepository } from '../../src/repositories/sqlite/sqliteInboxRepository';
import { SqliteWebhookRepository } from '../../src/repositories/sqlite/sqliteWebhookRepository';
import type { IWebhookRepository } from '../../src/repositories/webhookRepository';
import { insertUsers, runSql } from '../helpers/backendSql';
import { someoneWaitsForALock, until } from '../helpers/postgresWaits';
import {
  backendForTests,
  BACKENDS,
  postgresReplicasForTests,
  type IBackendDatabase
} from '../helpers/repositoryBackends';

const CREATED = '2026-01-01T00:00:00.000Z';

interface IConversationRepositories {
  comments: ICommentRepository;
  inbox: IInboxRepository;
  webhooks: IWebhookRepository;
}

function conversationRepositories(database: IBackendDatabase): IConversationRepositories {
  if (database.backend === 'postgres') {
    return {
      comments: new PgCommentRepository(database.pg),
      inbox: new PgInboxRepository(database.pg),
      webhooks: new PgWebhookRepository(database.pg)
    };
  }
  return {
    comments: new SqliteCommentRepository(database.sqlite),
    inbox: new SqliteInboxRepository(database.sqlite),
    webhooks: new SqliteWebhookRepository(database.sqlite)
  };
}

/** A signed-in caller who is `groups`' member (role member) and not an admin unless said. */
function callerOf(username: string, options: { isAdmin?: boolean; groups?: string[] } = {}): ICaller {
  return {
    user: { username, isAdmin: options.isAdmin ?? false },
    groups: new Map((options.groups ?? []).map(group => [group, 'member' as const]))
  };
}

const firstPage: IInboxPageRequest = { unread: false, limit: 20, before: null };

function event(recipient: string, notebookId: string, kind: INewInboxEvent['kind'] = 'comment'): INewInboxEvent {
  return {
    recipient,
    kind,
    notebookId,
    actor: 'dan',
    commentId: null,
    changeRequestId: null,
    revision: null,
    createdAt: CREATED
  };
}

describe.each(BACKENDS)('conversation repositories on %s', backend => {
  const opened = backendForTests(backend, conversationRepositories);

  beforeEach(async () => {
    // Notebooks first (they take comments, change requests, events, stars and mutes along), then groups and users.
    await runSql(opened.database, 'DELETE FROM webhook_deliveries');
    await runSql(opened.database, 'DELETE FROM notebooks');
    await runSql(opened.database, 'DELETE FROM groups');
    await runSql(opened.database, 'DELETE FROM users');
    await insertUsers(opened.database, ['ann', 'bob', 'cat', 'dan', 'Eve']);
  });

  async function addNotebook(
    id: string,
    fields: {
      owner?: string;
      title?: string;
      visibility?: 'public' | 'private' | 'group';
      group?: string;
      ownerKind?: 'user' | 'group';
      parent?: string;
    } = {}
  ): Promise<void> {
    await runSql(
      opened.database,
      `INSERT INTO notebooks (id, title, owner, created_at, updated_at, head_sha, head_blob_sha, revision_count,
         owner_kind, visibility, group_name, parent_id, parent_revision)
       VALUES (?, ?, ?, ?, ?, ?, ?, 1, ?, ?, ?, ?, ?)`,
      [
        id,
        fields.title ?? `Notebook ${id}`,
        fields.owner ?? 'ann',
        CREATED,
        CREATED,
        'a'.repeat(40),
        'b'.repeat(40),
        fields.ownerKind ?? 'user',
        fields.visibility ?? 'public',
        fields.group ?? null,
        fields.parent ?? null,
        fields.parent ? 'c'.repeat(40) : null
      ]
    );
  }

  async function addChangeRequest(id: string, notebookId: string, status: string): Promise<void> {
    await runSql(
      opened.database,
      `INSERT INTO change_requests (id, notebook_id, proposer, message, base_revision, commit_sha, blob_sha, status,
         created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [id, notebookId, 'bob', 'please', 'r1', 'd'.repeat(40), 'e'.repeat(40), status, CREATED]
    );
  }

  describe('comments', () => {
    function comment(id: string, fields: Partial<INewComment> = {}): INewComment {
      return {
        id,
        notebookId: 'nb',
        author: 'ann',
        body: `comment ${id}`,
        createdAt: CREATED,
        parentId: null,
        changeRequestId: null,
        anchor: null,
        ...fields
      };
    }

    function unedited(fields: INewComment): ICommentRecord {
      return { ...fields, editedAt: null, resolvedAt: null, resolvedBy: null };
    }

    beforeEach(() => addNotebook('nb'));

    it('keeps a comment as written: on the notebook, on a cell, on lines of a cell', async () => {
      const onNotebook = comment('c1');
      const onCell = comment('c2', { anchor: { cellId: 'cell-1', revision: 'r1', sourceHash: 'h1', lines: null } });
      const onLines = comment('c3', {
        author: 'bob',
        anchor: { cellId: 'cell-2', revision: 'r2', sourceHash: 'h2', lines: { from: 2, to: 5 } }
      });
      for (const written of [onNotebook, onCell, onLines]) {
        await opened.repos.comments.insert(written);
        expect(await opened.repos.comments.find(written.id)).toEqual(unedited(written));
      }
      expect(await opened.repos.comments.find('missing')).toBeUndefined();
    });

    it("lists a notebook's comments oldest first, ties by id, with accepted change requests' reviews only", async () => {
      await addNotebook('other');
      await addChangeRequest('cr-open', 'nb', 'open');
      await addChangeRequest('cr-accepted', 'nb', 'accepted');
      await addChangeRequest('cr-declined', 'nb', 'declined');
      await opened.repos.comments.insert(comment('late', { createdAt: '2026-03-01T00:00:00.000Z' }));
      await opened.repos.comments.insert(comment('b', { createdAt: '2026-02-01T00:00:00.000Z' }));
      await opened.repos.comments.insert(comment('B', { createdAt: '2026-02-01T00:00:00.000Z' }));
      await opened.repos.comments.insert(comment('early', { createdAt: '2026-01-15T00:00:00.000Z' }));
      await opened.repos.comments.insert(comment('review-open', { changeRequestId: 'cr-open' }));
      await opened.repos.comments.insert(
        comment('review-accepted', { changeRequestId: 'cr-accepted', createdAt: '2026-02-15T00:00:00.000Z' })
      );
      await opened.repos.comments.insert(comment('review-declined', { changeRequestId: 'cr-declined' }));
      await opened.repos.comments.insert(comment('elsewhere', { notebookId: 'other' }));
      expect((await opened.repos.comments.listForNotebook('nb')).map(c => c.id)).toEqual([
        'early',
        'B',
        'b',
        'review-accepted',
        'late'
      ]);
      expect(await opened.repos.comments.listForNotebook('none')).toEqual([]);
    });

    it("lists one change request's review comments oldest first", async () => {
      await addChangeRequest('cr', 'nb', 'open');
      await addChangeRequest('cr-2', 'nb', 'open');
      await opened.repos.comments.insert(
        comment('second', { changeRequestId: 'cr', createdAt: '2026-02-01T00:00:00.000Z' })
      );
      await opened.repos.comments.insert(
        comment('first', { changeRequestId: 'cr', createdAt: '2026-01-02T00:00:00.000Z' })
      );
      await opened.repos.comments.insert(comment('other-cr', { changeRequestId: 'cr-2' }));
      await opened.repos.comments.insert(comment('plain'));
      const listed = await opened.repos.comments.listForChangeRequest('cr');
      expect(listed.map(c => c.id)).toEqual(['first', 'second']);
      expect(listed[0].changeRequestId).toBe('cr');
      expect(await opened.repos.comments.listForChangeRequest('none')).toEqual([]);
    });

    it("names a thread's authors once each: the root's and every reply's", async () => {
      await opened.repos.comments.insert(comment('root', { author: 'ann' }));
      await opened.repos.comments.insert(comment('r1', { author: 'bob', parentId: 'root' }));
      await opened.repos.comments.insert(comment('r2', { author: 'cat', parentId: 'root' }));
      await opened.repos.comments.insert(comment('r3', { author: 'bob', parentId: 'root' }));
      await opened.repos.comments.insert(comment('other-root', { author: 'dan' }));
      await opened.repos.comments.insert(comment('other-reply', { author: 'Eve', parentId: 'other-root' }));
      expect((await opened.repos.comments.threadAuthors('root')).sort()).toEqual(['ann', 'bob', 'cat']);
      expect(await opened.repos.comments.threadAuthors('missing')).toEqual([]);
    });

    it('edits, resolves and reopens a comment', async () => {
      await opened.repos.comments.insert(comment('c1'));
      await opened.repos.comments.insert(comment('c2'));
      await opened.repos.comments.setBody('c1', 'better words', '2026-01-02T00:00:00.000Z');
      await opened.repos.comments.setResolved('c1', '2026-01-03T00:00:00.000Z', 'bob');
      expect(await opened.repos.comments.find('c1')).toMatchObject({
        body: 'better words',
        editedAt: '2026-01-02T00:00:00.000Z',
        resolvedAt: '2026-01-03T00:00:00.000Z',
        resolvedBy: 'bob'
      });
      await opened.repos.comments.setResolved('c1', null, null);
      expect(await opened.repos.comments.find('c1')).toMatchObject({ resolvedAt: null, resolvedBy: null });
      expect(await opened.repos.comments.find('c2')).toEqual(unedited(comment('c2')));
    });

    it('deletes a comment with its replies and the inbox events about them, and nothing else', async () => {
      await opened.repos.comments.insert(comment('root'));
      await opened.repos.comments.insert(comment('reply', { parentId: 'root', author: 'bob' }));
      await opened.repos.comments.insert(comment('other'));
      await opened.repos.inbox.insert([
        { ...event('ann', 'nb', 'reply'), commentId: 'reply' },
        { ...event('ann', 'nb', 'comment'), commentId: 'other' }
      ]);
      await opened.repos.comments.delete('root');
      expect(await opened.repos.comments.find('root')).toBeUndefined();
      expect(await opened.repos.comments.find('reply')).toBeUndefined();
      expect((await opened.repos.comments.listForNotebook('nb')).map(c => c.id)).toEqual(['other']);
      expect((await opened.repos.inbox.page(callerOf('ann'), firstPage)).map(({ event: e }) => e.commentId)).toEqual([
        'other'
      ]);
      await opened.repos.comments.delete('missing');
    });

    it('goes with its notebook and with its change request', async () => {
      await addChangeRequest('cr', 'nb', 'accepted');
      await opened.repos.comments.insert(comment('plain'));
      await opened.repos.comments.insert(comment('review', { changeRequestId: 'cr' }));
      await runSql(opened.database, 'DELETE FROM change_requests WHERE id = ?', ['cr']);
      expect(await opened.repos.comments.find('review')).toBeUndefined();
      await runSql(opened.database, 'DELETE FROM notebooks WHERE id = ?', ['nb']);
      expect(await opened.repos.comments.find('plain')).toBeUndefined();
    });
  });

  describe('inbox', () => {
    beforeEach(async () => {
      await addNotebook('nb', { title: 'Orbits' });
      await addNotebook('nb2', { title: 'Tides', owner: 'bob' });
    });

    async function inboxIds(caller: ICaller, request = firstPage): Promise<string[]> {
      return (await opened.repos.inbox.page(caller, request)).map(({ event: e }) => e.id);
    }

    it('stores events with ids in the order given, each with its notebook title, unread', async () => {
      const stored = await opened.repos.inbox.insert([
        { ...event('ann', 'nb', 'revision'), revision: 'r2' },
        event('bob', 'nb2', 'mention'),
        event('ann', 'nb2', 'comment')
      ]);
      expect(stored.map(({ id: _id, ...rest }) => rest)).toEqual([
        {
          kind: 'revision',
          notebookId: 'nb',
          notebookTitle: 'Orbits',
          actor: 'dan',
          commentId: null,
          changeRequestId: null,
          revision: 'r2',
          createdAt: CREATED,
          read: false
        },
        expect.objectContaining({ kind: 'mention', notebookId: 'nb2', notebookTitle: 'Tides' }),
        expect.objectContaining({ kind: 'comment', notebookId: 'nb2', notebookTitle: 'Tides' })
      ]);
      const ids = stored.map(e => Number(e.id));
      expect(ids.every(Number.isSafeInteger)).toBe(true);
      expect(ids[0]).toBeLessThan(ids[1]);
      expect(ids[1]).toBeLessThan(ids[2]);
      // What the inbox lists later is what insert handed back, id for id.
      const annPage = await opened.repos.inbox.page(callerOf('ann'), firstPage);
      expect(annPage.map(({ event: e }) => e)).toEqual([stored[2], stored[0]]);
      expect(annPage.map(({ seq }) => seq)).toEqual([ids[2], ids[0]]);
      expect((await opened.repos.inbox.page(callerOf('bob'), firstPage)).map(({ event: e }) => e)).toEqual([stored[1]]);
      expect(await opened.repos.inbox.insert([])).toEqual([]);
    });

    it('stores a batch whole or not at all: an unknown recipient stores none of it', async () => {
      await expect(
        opened.repos.inbox.insert([event('ann', 'nb'), event('nobody', 'nb'), event('bob', 'nb')])
      ).rejects.toMatchObject({ message: expect.any(String) });
      expect(await opened.repos.inbox.page(callerOf('ann'), firstPage)).toEqual([]);
      expect(await opened.repos.inbox.page(callerOf('bob'), firstPage)).toEqual([]);
    });

    it('pages newest first: at most limit + 1, then from the cursor on, unread only when asked', async () => {
      const stored: IInboxEvent[] = [];
      for (let i = 0; i < 5; i++) {
        stored.push(...(await opened.repos.inbox.insert([event('ann', 'nb')])));
      }
      const newestFirst = stored.map(e => e.id).reverse();
      const first = await opened.repos.inbox.page(callerOf('ann'), { unread: false, limit: 2, before: null });
      expect(first.map(({ event: e }) => e.id)).toEqual(newestFirst.slice(0, 3));
      expect(await inboxIds(callerOf('ann'), { unread: false, limit: 2, before: first[1].seq })).toEqual(
        newestFirst.slice(2, 5)
      );
      await opened.repos.inbox.markRead('ann', [newestFirst[0], newestFirst[3]], '2026-02-01T00:00:00.000Z');
      expect(await inboxIds(callerOf('ann'), { unread: true, limit: 10, before: null })).toEqual([
        newestFirst[1],
        newestFirst[2],
        newestFirst[4]
      ]);
      const all = await opened.repos.inbox.page(callerOf('ann'), firstPage);
      expect(all.map(({ event: e }) => e.read)).toEqual([true, false, false, true, false]);
      expect(await inboxIds(callerOf('bob'))).toEqual([]);
    });

    it('lists and counts only events on notebooks the caller may still read (the read rule in the query)', async () => {
      await runSql(opened.database, 'INSERT INTO groups (name, created_at) VALUES (?, ?)', ['physics', CREATED]);
      await runSql(opened.database, 'INSERT INTO group_members (group_name, username, role) VALUES (?, ?, ?)', [
        'physics',
        'cat',
        'member'
      ]);
      await addNotebook('mine', { owner: 'cat', visibility: 'private' });
      await addNotebook('theirs', { owner: 'bob', visibility: 'private' });
      await addNotebook('for-group', { owner: 'bob', visibility: 'group', group: 'physics' });
      await addNotebook('group-owned', { owner: 'bob', ownerKind: 'group', visibility: 'private', group: 'physics' });
      await addNotebook('shared-to-me', { owner: 'bob', visibility: 'private' });
      await addNotebook('shared-to-group', { owner: 'bob', visibility: 'private' });
      await addNotebook('shared-elsewhere', { owner: 'bob', visibility: 'private' });
      await runSql(
        opened.database,
        `INSERT INTO notebook_shares (notebook_id, principal_kind, principal, role)
         VALUES (?, 'user', 'cat', 'reader'), (?, 'group', 'physics', 'editor'), (?, 'user', 'dan', 'reader')`,
        ['shared-to-me', 'shared-to-group', 'shared-elsewhere']
      );
      const notebooks = [
        'nb',
        'mine',
        'theirs',
        'for-group',
        'group-owned',
        'shared-to-me',
        'shared-to-group',
        'shared-elsewhere'
      ];
      const stored = await opened.repos.inbox.insert(notebooks.map(id => event('cat', id)));
      const idOf = new Map(stored.map(e => [e.notebookId, e.id]));
      const readable = ['shared-to-group', 'shared-to-me', 'group-owned', 'for-group', 'mine', 'nb'];
      const cat = callerOf('cat', { groups: ['physics'] });
      expect(await inboxIds(cat)).toEqual(readable.map(id => idOf.get(id)));
      expect(await opened.repos.inbox.unreadCount(cat)).toBe(6);
      expect(await inboxIds(callerOf('cat', { isAdmin: true }))).toEqual([...stored].reverse().map(e => e.id));
      expect(await opened.repos.inbox.unreadCount(callerOf('cat', { isAdmin: true }))).toBe(8);
      // Out of the group: what came through it goes too.
      await runSql(opened.database, 'DELETE FROM group_members WHERE username = ?', ['cat']);
      expect(await inboxIds(callerOf('cat'))).toEqual(['shared-to-me', 'mine', 'nb'].map(id => idOf.get(id)));
      expect(await opened.repos.inbox.unreadCount(callerOf('cat'))).toBe(3);
      expect(await opened.repos.inbox.unreadCount({ user: null, groups: new Map() })).toBe(0);
      expect(await opened.repos.inbox.page({ user: null, groups: new Map() }, firstPage)).toEqual([]);
    });

    it('counts unread events and marks them read: chosen ones, all, never another user’s', async () => {
      const stored = await opened.repos.inbox.insert([
        event('ann', 'nb'),
        event('ann', 'nb2'),
        event('ann', 'nb'),
        event('bob', 'nb')
      ]);
      expect(await opened.repos.inbox.unreadCount(callerOf('ann'))).toBe(3);
      await opened.repos.inbox.markRead('ann', [stored[0].id, stored[3].id, 'not-a-number', '1.5', ''], CREATED);
      expect(await opened.repos.inbox.unreadCount(callerOf('ann'))).toBe(2);
      expect(await opened.repos.inbox.unreadCount(callerOf('bob'))).toBe(1);
      await opened.repos.inbox.markRead('ann', [], CREATED);
      await opened.repos.inbox.markRead('ann', ['garbage'], CREATED);
      expect(await opened.repos.inbox.unreadCount(callerOf('ann'))).toBe(2);
      await opened.repos.inbox.markRead('ann', null, CREATED);
      expect(await opened.repos.inbox.unreadCount(callerOf('ann'))).toBe(0);
      expect(await opened.repos.inbox.unreadCount(callerOf('bob'))).toBe(1);
    });

    it('mutes and unmutes a notebook per user, idempotently', async () => {
      await opened.repos.inbox.setMuted('ann', 'nb', true, CREATED);
      await opened.repos.inbox.setMuted('ann', 'nb', true, CREATED);
      await opened.repos.inbox.setMuted('bob', 'nb2', true, CREATED);
      expect([...(await opened.repos.inbox.mutedAmong('nb', ['ann', 'bob', 'cat', 'nobody']))]).toEqual(['ann']);
      expect(await opened.repos.inbox.mutedAmong('nb', [])).toEqual(new Set());
      await opened.repos.inbox.setMuted('ann', 'nb', false, CREATED);
      await opened.repos.inbox.setMuted('ann', 'nb', false, CREATED);
      expect(await opened.repos.inbox.mutedAmong('nb', ['ann', 'bob'])).toEqual(new Set());
      expect(await opened.repos.inbox.mutedAmong('nb2', ['ann', 'bob'])).toEqual(new Set(['bob']));
    });

    it('names who starred the notebook and who copied it (saved a copy or opened one), each once, by name', async () => {
      await runSql(opened.database, 'INSERT INTO groups (name, created_at) VALUES (?, ?)', ['physics', CREATED]);
      for (const username of ['dan', 'Eve', 'bob']) {
        await runSql(
          opened.database,
          'INSERT INTO notebook_stars (notebook_id, username, created_at) VALUES (?, ?, ?)',
          ['nb', username, CREATED]
        );
      }
      await addNotebook('fork-cat', { owner: 'cat', parent: 'nb' });
      await addNotebook('fork-dan', { owner: 'dan', parent: 'nb' });
      await addNotebook('fork-group', { owner: 'ann', ownerKind: 'group', group: 'physics', parent: 'nb' });
      await addNotebook('fork-of-other', { owner: 'Eve', parent: 'nb2' });
      for (const username of ['cat', 'bob']) {
        await runSql(
          opened.database,
          'INSERT INTO notebook_opens (notebook_id, username, opened_at) VALUES (?, ?, ?)',
          ['nb', username, CREATED]
        );
      }
      expect(await opened.repos.inbox.followers('nb')).toEqual({
        starred: ['Eve', 'bob', 'dan'],
        copied: ['bob', 'cat', 'dan']
      });
      expect(await opened.repos.inbox.followers('nb2')).toEqual({ starred: [], copied: ['Eve'] });
    });

    it("drops a deleted account's events and mutes, and a deleted notebook's", async () => {
      await opened.repos.inbox.insert([event('bob', 'nb'), event('bob', 'nb2'), event('ann', 'nb2')]);
      await opened.repos.inbox.setMuted('bob', 'nb', true, CREATED);
      await runSql(opened.database, 'DELETE FROM notebooks WHERE id = ?', ['nb2']);
      expect((await opened.repos.inbox.page(callerOf('bob'), firstPage)).map(({ event: e }) => e.notebookId)).toEqual([
        'nb'
      ]);
      expect(await opened.repos.inbox.page(callerOf('ann'), firstPage)).toEqual([]);
      await runSql(opened.database, 'DELETE FROM users WHERE username = ?', ['bob']);
      expect(await runSql(opened.database, 'SELECT seq FROM inbox_events')).toEqual([]);
      expect(await runSql(opened.database, 'SELECT username FROM notebook_mutes')).toEqual([]);
    });
  });

  describe('webhooks', () => {
    const hook = (username: string, url = `https://hooks.example/${username}`) => ({
      username,
      url,
      secret: `secret-${username}`,
      createdAt: CREATED
    });

    it('keeps one webhook per user: put replaces it, remove says whether there was one', async () => {
      expect(await opened.repos.webhooks.find('ann')).toBeUndefined();
      await opened.repos.webhooks.put(hook('ann'));
      expect(await opened.repos.webhooks.find('ann')).toEqual(hook('ann'));
      const replaced = {
        ...hook('ann', 'https://other.example/'),
        secret: 'new',
        createdAt: '2026-02-01T00:00:00.000Z'
      };
      await opened.repos.webhooks.put(replaced);
      expect(await opened.repos.webhooks.find('ann')).toEqual(replaced);
      expect(await opened.repos.webhooks.remove('ann')).toBe(true);
      expect(await opened.repos.webhooks.remove('ann')).toBe(false);
      expect(await opened.repos.webhooks.find('ann')).toBeUndefined();
    });

    it('says which users have a webhook', async () => {
      await opened.repos.webhooks.put(hook('ann'));
      await opened.repos.webhooks.put(hook('cat'));
      expect(await opened.repos.webhooks.withWebhook(['ann', 'bob', 'cat', 'nobody'])).toEqual(new Set(['ann', 'cat']));
      expect(await opened.repos.webhooks.withWebhook([])).toEqual(new Set());
    });

    it('hands out what is due, earliest first and in queue order, up to the limit', async () => {
      await opened.repos.webhooks.enqueue(
        [
          { username: 'ann', payload: 'a1' },
          { username: null, payload: 'site' },
          { username: 'bob', payload: 'b1' }
        ],
        2000,
        CREATED
      );
      await opened.repos.webhooks.enqueue([{ username: 'cat', payload: 'early' }], 1000, CREATED);
      await opened.repos.webhooks.enqueue([{ username: 'dan', payload: 'late' }], 5000, CREATED);
      await opened.repos.webhooks.enqueue([], 100, CREATED);
      expect(await opened.repos.webhooks.nextDueAt()).toBe(1000);
      expect(await opened.repos.webhooks.due(999, 10)).toEqual([]);
      const due = await opened.repos.webhooks.due(2000, 10);
      expect(due.map(d => d.payload)).toEqual(['early', 'a1', 'site', 'b1']);
      expect(due[1]).toEqual({
        seq: expect.any(Number),
        username: 'ann',
        payload: 'a1',
        attempts: 0,
        nextAttemptAt: 2000
      });
      expect(due[2].username).toBeNull();
      expect((await opened.repos.webhooks.due(10_000, 2)).map(d => d.payload)).toEqual(['early', 'a1']);
    });

    it('queues a batch whole or not at all: a delivery to an unknown user queues none of it', async () => {
      await expect(
        opened.repos.webhooks.enqueue(
          [
            { username: 'ann', payload: 'a' },
            { username: 'nobody', payload: 'x' }
          ],
          1000,
          CREATED
        )
      ).rejects.toMatchObject({ message: expect.any(String) });
      expect(await opened.repos.webhooks.nextDueAt()).toBeNull();
    });

    it('reschedules a failed delivery behind the others and forgets a finished one', async () => {
      await opened.repos.webhooks.enqueue(
        [
          { username: 'ann', payload: 'first' },
          { username: 'bob', payload: 'second' }
        ],
        1000,
        CREATED
      );
      const [first, second] = await opened.repos.webhooks.due(1000, 10);
      await opened.repos.webhooks.retryLater(first.seq, 1, 3000);
      expect(await opened.repos.webhooks.due(1000, 10)).toEqual([second]);
      expect((await opened.repos.webhooks.due(3000, 10)).map(d => [d.payload, d.attempts, d.nextAttemptAt])).toEqual([
        ['second', 0, 1000],
        ['first', 1, 3000]
      ]);
      await opened.repos.webhooks.finish(second.seq);
      expect(await opened.repos.webhooks.nextDueAt()).toBe(3000);
      await opened.repos.webhooks.finish(first.seq);
      expect(await opened.repos.webhooks.nextDueAt()).toBeNull();
      expect(await opened.repos.webhooks.due(10_000, 10)).toEqual([]);
    });

    it("drops a deleted account's webhook and deliveries, and keeps site-wide ones", async () => {
      await opened.repos.webhooks.put(hook('ann'));
      await opened.repos.webhooks.enqueue(
        [
          { username: 'ann', payload: 'gone' },
          { username: null, payload: 'kept' }
        ],
        1000,
        CREATED
      );
      await runSql(opened.database, 'DELETE FROM users WHERE username = ?', ['ann']);
      expect(await opened.repos.webhooks.find('ann')).toBeUndefined();
      expect((await opened.repos.webhooks.due(1000, 10)).map(d => d.payload)).toEqual(['kept']);
    });
  });
});

describe('webhook queue on postgres, two replicas sending (SQLite has one connection: nothing interleaves)', () => {
  const opened = postgresReplicasForTests();

  it('gives a delivery to one replica only when each takes and leases what is due in a transaction', async () => {
    const hooksA = new PgWebhookRepository(opened.replicaA);
    const hooksB = new PgWebhookRepository(opened.replicaB);
    await hooksA.enqueue(
      ['one', 'two', 'three'].map(payload => ({ username: null, payload })),
      1000,
      CREATED
    );
    // The dispatcher's step: take what is due and lease it (retryLater) before sending.
    const takeAndLease = (hooks: PgWebhookRepository, limit: number) => async (): Promise<string[]> => {
      const due = await hooks.due(1000, limit);
      for (const delivery of due) {
        await hooks.retryLater(delivery.seq, delivery.attempts, 60_000);
      }
      return due.map(delivery => delivery.payload);
    };
    let takenByA: string[] | undefined;
    let release!: () => void;
    const held = new Promise<void>(resolve => (release = resolve));
    const runA = opened.replicaA.transaction(async () => {
      takenByA = await takeAndLease(hooksA, 2)();
      await held;
    });
    await until(() => takenByA !== undefined);
    const runB = opened.replicaB.transaction(takeAndLease(hooksB, 10));
    const outcome = await Promise.race([
      runB,
      until(() => someoneWaitsForALock(opened.database.pg)).then(() => 'waited for the other replica' as const)
    ]);
    release();
    await Promise.all([runA, runB]);
    expect(takenByA).toEqual(['one', 'two']);
    expect(outcome).toEqual(['three']);
  });
});

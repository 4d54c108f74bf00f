import { PgDatabase } from '../../src/db/postgres/pgDatabase';
import { PgApiTokenRepository } from '../../src/repositories/postgres/pgApiTokenRepository';
import { PgGroupRepository } from '../../src/repositories/postgres/pgGroupRepository';
import { pgAccountRepositories } from '../../src/repositories/postgres/pgAccountRepositories';
import type { IAccountRepositories } from '../../src/repositories/accountRepositories';
import { sqliteAccountRepositories } from '../../src/repositories/sqlite/sqliteAccountRepositories';
import type { IApiTokenRecord } from '../../src/repositories/apiTokenRepository';
import { insertUsers, runSql } from '../helpers/backendSql';
import { someoneWaitsForALock, until } from '../helpers/postgresWaits';
import {
  backendForTests,
  BACKENDS,
  postgresReplicasForTests,
  type IBackendDatabase
} from '../helpers/repositoryBackends';

const CREATED = '2026-01-01T00:00:00.000Z';

/** The account repositories of one backend. */
function accountRepositories(database: IBackendDatabase): IAccountRepositories {
  return database.backend === 'postgres'
    ? pgAccountRepositories(database.pg)
    : sqliteAccountRepositories(database.sqlite);
}

describe.each(BACKENDS)('account repositories on %s', backend => {
  const opened = backendForTests(backend, accountRepositories);

  beforeEach(async () => {
    // Groups first: a group-owned notebook would hold them; users take their tokens and memberships along.
    await runSql(opened.database, 'DELETE FROM audit_log');
    await runSql(opened.database, 'DELETE FROM groups');
    await runSql(opened.database, 'DELETE FROM users');
  });

  async function addUsers(...usernames: string[]): Promise<void> {
    for (const username of usernames) {
      expect(
        await opened.repos.users.insert({
          username,
          passwordHash: `hash-${username}`,
          isAdmin: false,
          email: null,
          createdAt: CREATED
        })
      ).toBe(true);
    }
  }

  describe('users', () => {
    it('adds an account once, reads it back as stored, and finds nothing for an unknown name', async () => {
      expect(
        await opened.repos.users.insert({
          username: 'ann',
          passwordHash: 'scrypt$1',
          isAdmin: true,
          email: 'ann@uni.example',
          createdAt: CREATED
        })
      ).toBe(true);
      expect(
        await opened.repos.users.insert({
          username: 'ann',
          passwordHash: 'other',
          isAdmin: false,
          email: null,
          createdAt: CREATED
        })
      ).toBe(false);
      expect(await opened.repos.users.find('ann')).toEqual({
        username: 'ann',
        isAdmin: true,
        disabled: false,
        createdAt: CREATED,
        email: 'ann@uni.example',
        passwordHash: 'scrypt$1',
        sessionEpoch: 0,
        keptSessionId: null
      });
      expect(await opened.repos.users.find('nobody')).toBeUndefined();
      // Names are case-sensitive: `Ann` is another account.
      expect(await opened.repos.users.find('Ann')).toBeUndefined();
      await addUsers('Ann');
    });

    it('gives exactly one of two simultaneous sign-ups of one name the account', async () => {
      const results = await Promise.all(
        ['first', 'second'].map(passwordHash =>
          opened.repos.users.insert({ username: 'race', passwordHash, isAdmin: false, email: null, createdAt: CREATED })
        )
      );
      expect([...results].sort()).toEqual([false, true]);
      expect((await opened.repos.users.find('race'))?.passwordHash).toBe(results[0] ? 'first' : 'second');
    });

    it('changes the password, the admin flag and the disabled flag, and says when there is no such account', async () => {
      await addUsers('ann');
      await opened.repos.users.setPasswordHash('ann', 'new-hash');
      await opened.repos.users.setAdmin('ann', true);
      expect(await opened.repos.users.setDisabled('ann', true)).toBe(true);
      expect(await opened.repos.users.find('ann')).toMatchObject({
        passwordHash: 'new-hash',
        isAdmin: true,
        disabled: true
      });
      await opened.repos.users.setAdmin('ann', false);
      expect(await opened.repos.users.setDisabled('ann', false)).toBe(true);
      expect(await opened.repos.users.find('ann')).toMatchObject({ isAdmin: false, disabled: false });
      expect(await opened.repos.users.setDisabled('nobody', true)).toBe(false);
    });

    it('raises the session epoch each time sessions end, keeping the named session or none', async () => {
      await addUsers('ann', 'bob');
      await opened.repos.users.endSessions('ann', 'session-1');
      expect(await opened.repos.users.find('ann')).toMatchObject({ sessionEpoch: 1, keptSessionId: 'session-1' });
      await Promise.all([opened.repos.users.endSessions('ann', null), opened.repos.users.endSessions('ann', null)]);
      expect(await opened.repos.users.find('ann')).toMatchObject({ sessionEpoch: 3, keptSessionId: null });
      expect(await opened.repos.users.find('bob')).toMatchObject({ sessionEpoch: 0, keptSessionId: null });
    });

    it('lists every account, disabled ones too, by name in byte order (capitals before small letters)', async () => {
      await addUsers('bob', 'ann', 'Zed', 'a_b', 'a-b', 'a.b', 'a1');
      await opened.repos.users.setDisabled('bob', true);
      expect((await opened.repos.users.list()).map(user => user.username)).toEqual([
        'Zed',
        'a-b',
        'a.b',
        'a1',
        'a_b',
        'ann',
        'bob'
      ]);
    });

    it('finds enabled names by prefix in any case: the exact spelling first, then ignoring case', async () => {
      await addUsers('anna', 'ann', 'ANNE', 'Ann', 'annex', 'annie', 'bob', 'anxious', 'an_x', 'AN');
      await opened.repos.users.setDisabled('annie', true);
      expect(await opened.repos.users.searchEnabled('Ann', 10)).toEqual(['Ann', 'ann', 'anna', 'ANNE', 'annex']);
      expect(await opened.repos.users.searchEnabled('ann', 10)).toEqual(['ann', 'Ann', 'anna', 'ANNE', 'annex']);
      expect(await opened.repos.users.searchEnabled('ANN', 2)).toEqual(['Ann', 'ann']);
      // `_` is a plain character, not LIKE's "any one character"; `%` cannot be in a name.
      expect(await opened.repos.users.searchEnabled('an_', 10)).toEqual(['an_x']);
      expect(await opened.repos.users.searchEnabled('an%', 10)).toEqual([]);
      expect(await opened.repos.users.searchEnabled('AN', 3)).toEqual(['AN', 'an_x', 'Ann']);
      expect(await opened.repos.users.searchEnabled('', 4)).toEqual(['AN', 'an_x', 'Ann', 'ann']);
      expect(await opened.repos.users.searchEnabled('zz', 10)).toEqual([]);
      expect(await opened.repos.users.searchEnabled('annie', 10)).toEqual([]);
    });

    it('orders prefix matches by folded name in byte order: punctuation and digits as SQLite sorts them', async () => {
      await addUsers('a_b', 'A-c', 'a.b', 'a1', 'ab', 'a9');
      expect(await opened.repos.users.searchEnabled('a', 10)).toEqual(['A-c', 'a.b', 'a1', 'a9', 'a_b', 'ab']);
    });

    it('folds ASCII letters only when ordering matches, as SQLite does (a name with É keeps its capital)', async () => {
      // Not valid usernames today; an account imported with one must still sort the same on both backends.
      await addUsers('anéa', 'anÉb');
      expect(await opened.repos.users.searchEnabled('an', 10)).toEqual(['anÉb', 'anéa']);
    });
  });

  describe('groups', () => {
    beforeEach(() => addUsers('ann', 'bob', 'cat', 'dan'));

    it('adds a group with its owner once; a taken name changes nothing', async () => {
      expect(await opened.repos.groups.exists('physics')).toBe(false);
      expect(await opened.repos.groups.insert('physics', 'ann', CREATED)).toBe(true);
      expect(await opened.repos.groups.insert('physics', 'bob', CREATED)).toBe(false);
      expect(await opened.repos.groups.exists('physics')).toBe(true);
      expect(await opened.repos.groups.exists('Physics')).toBe(false);
      expect(await opened.repos.groups.members('physics')).toEqual([{ username: 'ann', role: 'owner' }]);
    });

    it('adds no group when its owner does not exist', async () => {
      await expect(opened.repos.groups.insert('ghosts', 'nobody', CREATED)).rejects.toMatchObject({
        message: expect.any(String)
      });
      expect(await opened.repos.groups.exists('ghosts')).toBe(false);
    });

    it('gives exactly one of two simultaneous creations of one name the group, with that one owner', async () => {
      const results = await Promise.all(
        ['ann', 'bob'].map(owner => opened.repos.groups.insert('race', owner, CREATED))
      );
      expect(results.sort()).toEqual([false, true]);
      const members = await opened.repos.groups.members('race');
      expect(members).toHaveLength(1);
      expect(members[0].role).toBe('owner');
    });

    it('lists members owners first, then editors, then members, each by name in byte order', async () => {
      await addUsers('Eve', 'zoe');
      await opened.repos.groups.insert('physics', 'zoe', CREATED);
      await opened.repos.groups.setMember('physics', 'dan', 'member');
      await opened.repos.groups.setMember('physics', 'cat', 'editor');
      await opened.repos.groups.setMember('physics', 'ann', 'owner');
      await opened.repos.groups.setMember('physics', 'bob', 'editor');
      await opened.repos.groups.setMember('physics', 'Eve', 'member');
      expect(await opened.repos.groups.members('physics')).toEqual([
        { username: 'ann', role: 'owner' },
        { username: 'zoe', role: 'owner' },
        { username: 'bob', role: 'editor' },
        { username: 'cat', role: 'editor' },
        { username: 'Eve', role: 'member' },
        { username: 'dan', role: 'member' }
      ]);
      expect(await opened.repos.groups.members('nothing')).toEqual([]);
    });

    it("names every group, or one user's groups, in byte order", async () => {
      await opened.repos.groups.insert('physics', 'ann', CREATED);
      await opened.repos.groups.insert('Zoology', 'bob', CREATED);
      await opened.repos.groups.insert('a_team', 'bob', CREATED);
      await opened.repos.groups.insert('a-team', 'bob', CREATED);
      await opened.repos.groups.setMember('physics', 'bob', 'member');
      expect(await opened.repos.groups.names(null)).toEqual(['Zoology', 'a-team', 'a_team', 'physics']);
      expect(await opened.repos.groups.names('bob')).toEqual(['Zoology', 'a-team', 'a_team', 'physics']);
      expect(await opened.repos.groups.names('ann')).toEqual(['physics']);
      expect(await opened.repos.groups.names('cat')).toEqual([]);
    });

    it('finds groups by prefix in any case with member counts: the exact spelling first, `_` plain', async () => {
      for (const name of ['Chem', 'chem', 'chemistry', 'CHEM-lab', 'chem_x', 'chemxy', 'bio']) {
        await opened.repos.groups.insert(name, 'ann', CREATED);
      }
      await opened.repos.groups.setMember('chemistry', 'bob', 'member');
      await opened.repos.groups.setMember('chemistry', 'cat', 'editor');
      expect(await opened.repos.groups.search('chem', 10)).toEqual([
        { name: 'chem', memberCount: 1 },
        { name: 'Chem', memberCount: 1 },
        { name: 'CHEM-lab', memberCount: 1 },
        { name: 'chem_x', memberCount: 1 },
        { name: 'chemistry', memberCount: 3 },
        { name: 'chemxy', memberCount: 1 }
      ]);
      expect((await opened.repos.groups.search('CHEM', 2)).map(group => group.name)).toEqual(['Chem', 'chem']);
      expect((await opened.repos.groups.search('chem_', 10)).map(group => group.name)).toEqual(['chem_x']);
      expect(await opened.repos.groups.search('chem%', 10)).toEqual([]);
      expect(await opened.repos.groups.search('x', 10)).toEqual([]);
      expect((await opened.repos.groups.search('', 2)).map(group => group.name)).toEqual(['bio', 'Chem']);
    });

    it("gives a user's role in each of their groups", async () => {
      await opened.repos.groups.insert('physics', 'ann', CREATED);
      await opened.repos.groups.insert('chemistry', 'bob', CREATED);
      await opened.repos.groups.setMember('chemistry', 'ann', 'editor');
      expect([...(await opened.repos.groups.rolesOf('ann'))].sort()).toEqual([
        ['chemistry', 'editor'],
        ['physics', 'owner']
      ]);
      expect((await opened.repos.groups.rolesOf('dan')).size).toBe(0);
    });

    it('ensures a group without members once', async () => {
      expect(await opened.repos.groups.ensure('hub-staff', CREATED)).toBe(true);
      expect(await opened.repos.groups.ensure('hub-staff', CREATED)).toBe(false);
      expect(await opened.repos.groups.exists('hub-staff')).toBe(true);
      expect(await opened.repos.groups.members('hub-staff')).toEqual([]);
    });

    it('keeps synced memberships apart: the sync changes only its own, a gallery change takes one over', async () => {
      await opened.repos.groups.ensure('staff', CREATED);
      await opened.repos.groups.ensure('lab', CREATED);
      await opened.repos.groups.setSyncedMember('staff', 'bob', 'member');
      await opened.repos.groups.setSyncedMember('lab', 'bob', 'member');
      await opened.repos.groups.setSyncedMember('staff', 'ann', 'editor');
      await opened.repos.groups.setMember('lab', 'cat', 'owner');
      // The sync does not change a membership set in the gallery.
      await opened.repos.groups.setSyncedMember('lab', 'cat', 'member');
      expect(await opened.repos.groups.members('lab')).toEqual([
        { username: 'cat', role: 'owner' },
        { username: 'bob', role: 'member' }
      ]);
      // It does change its own.
      await opened.repos.groups.setSyncedMember('staff', 'bob', 'editor');
      const synced = await opened.repos.groups.syncedMemberships(null);
      expect(synced).toHaveLength(3);
      expect(synced).toEqual(
        expect.arrayContaining([
          { group: 'staff', username: 'ann', role: 'editor' },
          { group: 'staff', username: 'bob', role: 'editor' },
          { group: 'lab', username: 'bob', role: 'member' }
        ])
      );
      expect((await opened.repos.groups.syncedMemberships('bob')).sort((a, b) => (a.group < b.group ? -1 : 1))).toEqual(
        [
          { group: 'lab', username: 'bob', role: 'member' },
          { group: 'staff', username: 'bob', role: 'editor' }
        ]
      );
      // Set in the gallery from now on: the sync no longer lists it, nor removes it.
      await opened.repos.groups.setMember('staff', 'bob', 'member');
      expect(await opened.repos.groups.syncedMemberships('bob')).toEqual([
        { group: 'lab', username: 'bob', role: 'member' }
      ]);
      await opened.repos.groups.removeSyncedMember('staff', 'bob');
      await opened.repos.groups.removeSyncedMember('lab', 'cat');
      await opened.repos.groups.removeSyncedMember('lab', 'bob');
      expect(await opened.repos.groups.members('staff')).toEqual([
        { username: 'ann', role: 'editor' },
        { username: 'bob', role: 'member' }
      ]);
      expect(await opened.repos.groups.members('lab')).toEqual([{ username: 'cat', role: 'owner' }]);
      expect(await opened.repos.groups.syncedMemberships('cat')).toEqual([]);
    });

    it('removes a member and says whether they were one', async () => {
      await opened.repos.groups.insert('physics', 'ann', CREATED);
      await opened.repos.groups.setMember('physics', 'bob', 'member');
      expect(await opened.repos.groups.removeMember('physics', 'bob')).toBe(true);
      expect(await opened.repos.groups.removeMember('physics', 'bob')).toBe(false);
      expect(await opened.repos.groups.removeMember('nothing', 'ann')).toBe(false);
      expect(await opened.repos.groups.members('physics')).toEqual([{ username: 'ann', role: 'owner' }]);
    });

    it("drops a deleted account's memberships and a deleted group's members", async () => {
      await opened.repos.groups.insert('physics', 'ann', CREATED);
      await opened.repos.groups.setMember('physics', 'bob', 'editor');
      await runSql(opened.database, 'DELETE FROM users WHERE username = ?', ['bob']);
      expect(await opened.repos.groups.members('physics')).toEqual([{ username: 'ann', role: 'owner' }]);
      await runSql(opened.database, 'DELETE FROM groups WHERE name = ?', ['physics']);
      expect((await opened.repos.groups.rolesOf('ann')).size).toBe(0);
    });
  });

  describe('tokens', () => {
    beforeEach(() => addUsers('ann', 'bob'));

    function token(id: string, fields: Partial<IApiTokenRecord> = {}): IApiTokenRecord {
      return {
        id,
        username: 'ann',
        name: `token ${id}`,
        kind: 'personal',
        createdAt: CREATED,
        lastUsedAt: null,
        expiresAt: null,
        ...fields
      };
    }

    it('finds a token by the hash of its secret, never by anything else', async () => {
      const stored = token('t1', { expiresAt: '2027-01-01T00:00:00.000Z' });
      await opened.repos.tokens.insert(stored, 'hash-1');
      expect(await opened.repos.tokens.findByHash('hash-1')).toEqual(stored);
      expect(await opened.repos.tokens.findByHash('t1')).toBeUndefined();
      expect(await opened.repos.tokens.findByHash('hash-2')).toBeUndefined();
    });

    it('refuses a second token with the same id or the same hash', async () => {
      await opened.repos.tokens.insert(token('t1'), 'hash-1');
      await expect(opened.repos.tokens.insert(token('t1'), 'hash-2')).rejects.toMatchObject({
        message: expect.any(String)
      });
      await expect(opened.repos.tokens.insert(token('t2'), 'hash-1')).rejects.toMatchObject({
        message: expect.any(String)
      });
      expect((await opened.repos.tokens.listByUser('ann')).map(t => t.id)).toEqual(['t1']);
    });

    it("lists a user's own tokens newest first, ties by id", async () => {
      await opened.repos.tokens.insert(token('b', { createdAt: '2026-03-01T00:00:00.000Z' }), 'h-b');
      await opened.repos.tokens.insert(token('c', { createdAt: '2026-05-01T00:00:00.000Z' }), 'h-c');
      await opened.repos.tokens.insert(token('a', { createdAt: '2026-03-01T00:00:00.000Z' }), 'h-a');
      await opened.repos.tokens.insert(token('Z', { createdAt: '2026-03-01T00:00:00.000Z' }), 'h-Z');
      await opened.repos.tokens.insert(token('x', { username: 'bob' }), 'h-x');
      expect((await opened.repos.tokens.listByUser('ann')).map(t => t.id)).toEqual(['c', 'Z', 'a', 'b']);
      expect(await opened.repos.tokens.listByUser('nobody')).toEqual([]);
    });

    it('records when a token was last used', async () => {
      await opened.repos.tokens.insert(token('t1'), 'hash-1');
      await opened.repos.tokens.setLastUsed('t1', '2026-06-01T10:00:00.000Z');
      expect((await opened.repos.tokens.findByHash('hash-1'))?.lastUsedAt).toBe('2026-06-01T10:00:00.000Z');
      await opened.repos.tokens.setLastUsed('t1', '2026-06-02T10:00:00.000Z');
      expect((await opened.repos.tokens.listByUser('ann'))[0].lastUsedAt).toBe('2026-06-02T10:00:00.000Z');
    });

    it("deletes only the user's own token and says whether it did", async () => {
      await opened.repos.tokens.insert(token('t1'), 'hash-1');
      expect(await opened.repos.tokens.delete('bob', 't1')).toBe(false);
      expect(await opened.repos.tokens.delete('ann', 'missing')).toBe(false);
      expect(await opened.repos.tokens.delete('ann', 't1')).toBe(true);
      expect(await opened.repos.tokens.findByHash('hash-1')).toBeUndefined();
    });

    it('counts the tokens that have not expired: one expiring exactly now is expired, one without expiry lives', async () => {
      const now = '2026-06-01T12:00:00.000Z';
      await opened.repos.tokens.insert(token('forever'), 'h1');
      await opened.repos.tokens.insert(token('later', { expiresAt: '2026-06-01T12:00:00.001Z' }), 'h2');
      await opened.repos.tokens.insert(token('now', { expiresAt: now }), 'h3');
      await opened.repos.tokens.insert(token('past', { expiresAt: '2026-05-31T23:59:59.999Z' }), 'h4');
      await opened.repos.tokens.insert(token('other', { username: 'bob' }), 'h5');
      expect(await opened.repos.tokens.countLive('ann', now)).toBe(2);
      expect(await opened.repos.tokens.countLive('bob', now)).toBe(1);
      expect(await opened.repos.tokens.countLive('nobody', now)).toBe(0);
    });

    it('makes room by deleting the least recently used session (never used: the oldest), never a personal token', async () => {
      await opened.repos.tokens.insert(token('personal', { createdAt: '2025-01-01T00:00:00.000Z' }), 'h0');
      await opened.repos.tokens.insert(
        token('used-late', {
          kind: 'session',
          createdAt: '2026-01-01T00:00:00.000Z',
          lastUsedAt: '2026-04-01T00:00:00.000Z'
        }),
        'h1'
      );
      await opened.repos.tokens.insert(
        token('unused', { kind: 'session', createdAt: '2026-02-01T00:00:00.000Z' }),
        'h2'
      );
      await opened.repos.tokens.insert(
        token('used-early', {
          kind: 'session',
          createdAt: '2026-03-01T00:00:00.000Z',
          lastUsedAt: '2026-01-15T00:00:00.000Z'
        }),
        'h3'
      );
      const remaining = async (): Promise<string[]> =>
        (await opened.repos.tokens.listByUser('ann')).map(t => t.id).sort();
      expect(await opened.repos.tokens.deleteLeastRecentSession('ann')).toBe(true);
      expect(await remaining()).toEqual(['personal', 'unused', 'used-late']);
      expect(await opened.repos.tokens.deleteLeastRecentSession('ann')).toBe(true);
      expect(await remaining()).toEqual(['personal', 'used-late']);
      expect(await opened.repos.tokens.deleteLeastRecentSession('ann')).toBe(true);
      expect(await opened.repos.tokens.deleteLeastRecentSession('ann')).toBe(false);
      expect(await remaining()).toEqual(['personal']);
    });

    it('lets two logins over the limit at once each delete a different session', async () => {
      for (const id of ['s1', 's2', 's3']) {
        await opened.repos.tokens.insert(token(id, { kind: 'session' }), `h-${id}`);
      }
      expect(
        await Promise.all([
          opened.repos.tokens.deleteLeastRecentSession('ann'),
          opened.repos.tokens.deleteLeastRecentSession('ann')
        ])
      ).toEqual([true, true]);
      expect((await opened.repos.tokens.listByUser('ann')).map(t => t.id)).toEqual(['s3']);
    });

    it('ends sessions: all of them, or all but the kept one; personal tokens stay', async () => {
      await opened.repos.tokens.insert(token('personal'), 'h0');
      await opened.repos.tokens.insert(token('s1', { kind: 'session' }), 'h1');
      await opened.repos.tokens.insert(token('s2', { kind: 'session' }), 'h2');
      await opened.repos.tokens.insert(token('s3', { kind: 'session' }), 'h3');
      await opened.repos.tokens.insert(token('bob-s', { kind: 'session', username: 'bob' }), 'h4');
      await opened.repos.tokens.deleteSessions('ann', 's2');
      expect((await opened.repos.tokens.listByUser('ann')).map(t => t.id).sort()).toEqual(['personal', 's2']);
      await opened.repos.tokens.deleteSessions('ann', null);
      expect((await opened.repos.tokens.listByUser('ann')).map(t => t.id)).toEqual(['personal']);
      expect((await opened.repos.tokens.listByUser('bob')).map(t => t.id)).toEqual(['bob-s']);
    });

    it("drops a deleted account's tokens", async () => {
      await opened.repos.tokens.insert(token('t1'), 'hash-1');
      await runSql(opened.database, 'DELETE FROM users WHERE username = ?', ['ann']);
      expect(await opened.repos.tokens.findByHash('hash-1')).toBeUndefined();
    });
  });

  describe('audit log', () => {
    it('lists entries newest first with their details, a page at a time', async () => {
      const before = new Date().toISOString();
      await opened.repos.audit.record('admin', 'user.disable', 'ann', {
        reason: 'left',
        nested: { n: 1, list: [true, null] }
      });
      await opened.repos.audit.record('admin', 'user.enable', 'ann');
      await opened.repos.audit.record('root', 'group.delete', 'physics', { members: 3 });
      const all = await opened.repos.audit.list(10);
      expect(all.map(entry => [entry.actor, entry.action, entry.target, entry.details])).toEqual([
        ['root', 'group.delete', 'physics', { members: 3 }],
        ['admin', 'user.enable', 'ann', {}],
        ['admin', 'user.disable', 'ann', { reason: 'left', nested: { n: 1, list: [true, null] } }]
      ]);
      expect(all[0].id).toBeGreaterThan(all[1].id);
      expect(all[1].id).toBeGreaterThan(all[2].id);
      for (const entry of all) {
        expect(typeof entry.id).toBe('number');
        expect(entry.at >= before && entry.at <= new Date().toISOString()).toBe(true);
      }
      const first = await opened.repos.audit.list(2);
      expect(first.map(entry => entry.id)).toEqual([all[0].id, all[1].id]);
      const next = await opened.repos.audit.list(2, first[1].id);
      expect(next.map(entry => entry.id)).toEqual([all[2].id]);
      expect(await opened.repos.audit.list(2, all[2].id)).toEqual([]);
    });

    it('lists nothing when nothing was recorded', async () => {
      expect(await opened.repos.audit.list(10)).toEqual([]);
    });
  });
});

describe.each(BACKENDS)('account transactions on %s', backend => {
  const opened = backendForTests(backend, accountRepositories, (_repos, database) => insertUsers(database, ['ann']));

  it("passes on the work's value, and undoes every write of work that throws", async () => {
    const { groups, unitOfWork } = opened.repos;
    expect(await unitOfWork.transaction(() => groups.ensure('kept', CREATED))).toBe(true);
    await expect(
      unitOfWork.transaction(async () => {
        await groups.ensure('undone', CREATED);
        await groups.setMember('kept', 'ann', 'owner');
        throw new Error('failed');
      })
    ).rejects.toThrow('failed');
    expect(await groups.names(null)).toEqual(['kept']);
    expect(await groups.members('kept')).toEqual([]);
  });
});

describe('account repositories on postgres, two replicas racing (SQLite has one connection: nothing interleaves)', () => {
  const opened = postgresReplicasForTests(database => insertUsers(database, ['ann', 'bob']));

  it('runs account transactions one at a time: two owners leaving at once cannot leave the group ownerless', async () => {
    await new PgGroupRepository(opened.database.pg).insert('physics', 'ann', CREATED);
    await new PgGroupRepository(opened.database.pg).setMember('physics', 'bob', 'owner');
    const read = new Set<string>();
    // Each replica reads the owners, waits until the other has read them too (or waits for this one), then leaves
    // if it is not the last owner: the group service's rule for removing a member.
    const leave = (db: PgDatabase, me: string, other: string): Promise<void> => {
      const { groups, unitOfWork } = pgAccountRepositories(db);
      return unitOfWork.transaction(async () => {
        const owners = (await groups.members('physics')).filter(member => member.role === 'owner');
        read.add(me);
        await until(async () => read.has(other) || (await someoneWaitsForALock(opened.database.pg)));
        if (owners.length > 1) {
          await groups.removeMember('physics', me);
        }
      });
    };
    await Promise.all([leave(opened.replicaA, 'ann', 'bob'), leave(opened.replicaB, 'bob', 'ann')]);
    expect(await new PgGroupRepository(opened.database.pg).members('physics')).toHaveLength(1);
  });

  it('lets a login make room without waiting for another login that is making room in its transaction', async () => {
    const tokensA = new PgApiTokenRepository(opened.replicaA);
    const tokensB = new PgApiTokenRepository(opened.replicaB);
    for (const id of ['s1', 's2', 's3']) {
      await tokensA.insert(
        { id, username: 'ann', name: id, kind: 'session', createdAt: CREATED, lastUsedAt: null, expiresAt: null },
        `h-${id}`
      );
    }
    let deletedInA = false;
    let release!: () => void;
    const held = new Promise<void>(resolve => (release = resolve));
    const loginA = opened.replicaA.transaction(async () => {
      deletedInA = await tokensA.deleteLeastRecentSession('ann');
      await held;
    });
    await until(() => deletedInA);
    const loginB = tokensB.deleteLeastRecentSession('ann');
    const outcome = await Promise.race([
      loginB,
      until(() => someoneWaitsForALock(opened.database.pg)).then(() => 'waited for the other login' as const)
    ]);
    release();
    await Promise.all([loginA, loginB]);
    expect(outcome).toBe(true);
    expect((await tokensA.listByUser('ann')).map(token => token.id)).toEqual(['s3']);
  });
});

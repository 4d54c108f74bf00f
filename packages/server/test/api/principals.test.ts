import type { IPrincipalSearchResponse } from '@notebook-gallery/core';
import { PgDatabase } from '../../src/db/postgres/pgDatabase';
import { galleryDatabase } from '../helpers/backendSql';
import type { IBackendDatabase } from '../helpers/repositoryBackends';
import { startHubGallery, type IHubGallery } from '../hub/hubGallery';
import { StandInHub } from '../hub/standInHub';
import { startTestGallery, type ITestGallery, SETUP_TIMEOUT_MS } from '../helpers/testGallery';

/*
 * GET /api/principals: whom the share dialog suggests. Issue 13: alice could not share with "physics", a group she
 * is not in, because the dialog only knew her own groups and took the name for a user.
 */

describe('GET /api/principals', () => {
  let gallery: ITestGallery;
  let alice: string;

  /** Accounts without a password hash, so a test can make many quickly. */
  const addUsers = async (...names: string[]): Promise<void> => {
    for (const name of names) {
      await gallery.app.accounts.externalUser(name);
    }
  };
  const lookup = (token: string | null, query: string) =>
    gallery.request(token, { method: 'GET', url: `/api/principals?${query}` });
  const found = async (query: string): Promise<IPrincipalSearchResponse> => {
    const reply = await lookup(alice, query);
    expect(reply.statusCode).toBe(200);
    return reply.json();
  };
  const usernames = async (query: string) => (await found(query)).users.map(user => user.username);
  const groupNames = async (query: string) => (await found(query)).groups.map(group => group.name);

  beforeAll(async () => {
    gallery = await startTestGallery({ 'anonymous-read': 'true' });
    alice = await gallery.login('alice');
    await addUsers('carol', 'dan');
    await gallery.app.groups.create('physics', 'carol');
    await gallery.app.groups.setMember('physics', 'dan', 'member');
    await gallery.app.groups.create('philosophy', 'dan');
  }, SETUP_TIMEOUT_MS);

  afterAll(async () => {
    await gallery.close();
  });

  it('finds a group the caller is not in, with its member count but not its members', async () => {
    expect((await gallery.app.groups.rolesOf('alice')).size).toBe(0);
    expect(await found('prefix=phy')).toEqual({ users: [], groups: [{ name: 'physics', memberCount: 2 }] });
    expect(await found('prefix=ph')).toEqual({
      users: [],
      groups: [
        { name: 'philosophy', memberCount: 1 },
        { name: 'physics', memberCount: 2 }
      ]
    });
  });

  it('finds users and groups in any case, the name equal to the prefix first', async () => {
    await addUsers('Physicist', 'phys', 'physio', 'Phys');
    await gallery.app.groups.create('PHYS-lab', 'carol');
    expect(await usernames('prefix=phys')).toEqual(['phys', 'Phys', 'Physicist', 'physio']);
    expect(await usernames('prefix=Phys')).toEqual(['Phys', 'phys', 'Physicist', 'physio']);
    expect(await usernames('prefix=PHYSI')).toEqual(['Physicist', 'physio']);
    expect(await groupNames('prefix=PhYs')).toEqual(['PHYS-lab', 'physics']);
    expect(await groupNames('prefix=physics')).toEqual(['physics']);
  });

  it('leaves out disabled accounts', async () => {
    await addUsers('erin');
    expect(await usernames('prefix=er')).toEqual(['erin']);
    await gallery.app.accounts.setDisabled('erin', true, null);
    expect(await usernames('prefix=er')).toEqual([]);
  });

  it('honours limit for users and for groups, alphabetically, up to 25', async () => {
    await addUsers(...Array.from({ length: 30 }, (_, i) => `bulk${String(i).padStart(2, '0')}`));
    for (const name of ['bulk-a', 'bulk-b', 'bulk-c']) {
      await gallery.app.groups.create(name, 'carol');
    }
    expect(await found('prefix=bulk&limit=2')).toEqual({
      users: [{ username: 'bulk00' }, { username: 'bulk01' }],
      groups: [
        { name: 'bulk-a', memberCount: 1 },
        { name: 'bulk-b', memberCount: 1 }
      ]
    });
    expect(await usernames('prefix=bulk')).toHaveLength(10);
    expect(await usernames('prefix=bulk&limit=25')).toHaveLength(25);
    for (const query of ['prefix=bulk&limit=26', 'prefix=bulk&limit=0', 'prefix=', 'limit=5']) {
      const refused = await lookup(alice, query);
      expect(refused.statusCode).toBe(400);
      expect(refused.json()).toMatchObject({ error: 'VALIDATION_FAILED', message: expect.any(String) });
    }
  });

  it('takes % and _ as plain characters, not LIKE wildcards', async () => {
    await addUsers('q_x', 'qax');
    await gallery.app.groups.create('q_team', 'carol');
    await gallery.app.groups.create('qateam', 'carol');
    expect(await found('prefix=q_')).toEqual({
      users: [{ username: 'q_x' }],
      groups: [{ name: 'q_team', memberCount: 1 }]
    });
    // Each of these, read as a LIKE pattern, would match some of the names above.
    for (const prefix of ['%', 'q%', '_', '%x', 'q_%']) {
      expect(await found(`prefix=${encodeURIComponent(prefix)}`)).toEqual({ users: [], groups: [] });
    }
  });

  it('matches no name with a prefix of characters no name has, even one JavaScript lower-cases to ASCII', async () => {
    await addUsers('kelvin');
    expect(await usernames('prefix=k')).toEqual(['kelvin']);
    // The Kelvin sign (U+212A) lower-cases to "k" in JavaScript, but SQL's lower() leaves it alone.
    expect(await found(`prefix=${encodeURIComponent('\u212a')}`)).toEqual({ users: [], groups: [] });
    expect(await found(`prefix=${encodeURIComponent('kel vin')}`)).toEqual({ users: [], groups: [] });
  });

  it('answers anonymous callers 401 in JSON, even where anonymous reading is on', async () => {
    const anonymous = await lookup(null, 'prefix=ph');
    expect(anonymous.statusCode).toBe(401);
    expect(anonymous.headers['content-type']).toMatch(/^application\/json/);
    expect(anonymous.json()).toEqual({ error: 'UNAUTHORIZED', message: expect.any(String) });
  });

  // Each backend gives its own evidence for the same promise: the prefix search reads the folded-name indexes.
  it('answers from the lower-cased name indexes, not by scanning the tables', async () => {
    const database = galleryDatabase(gallery);
    try {
      const plans = await searchPlans(database);
      if (database.backend === 'sqlite') {
        expect(plans).toEqual([
          expect.arrayContaining([
            expect.stringMatching(/^SEARCH users USING INDEX users_by_folded_name \(<expr>>\? AND <expr><\?\)$/)
          ]),
          expect.arrayContaining([
            expect.stringMatching(/^SEARCH groups USING INDEX groups_by_folded_name \(<expr>>\? AND <expr><\?\)$/)
          ])
        ]);
        expect(plans.flat().filter(step => /^SCAN (users|groups)\b/.test(step))).toEqual([]);
      } else {
        expect(plans).toEqual([
          expect.arrayContaining([
            expect.stringMatching(/(Index Scan using|Bitmap Index Scan on) users_by_folded_name\b/)
          ]),
          expect.arrayContaining([
            expect.stringMatching(/(Index Scan using|Bitmap Index Scan on) groups_by_folded_name\b/)
          ])
        ]);
        expect(plans.flat().filter(step => /Seq Scan on (users|groups)\b/.test(step))).toEqual([]);
      }
    } finally {
      await database.close();
    }
  });

  /**
   * The plans of the statements `principals.search('ph', 5)` runs on users and groups, one list of steps each. On
   * PostgreSQL the tables of this test are a few rows, where a sequential scan is cheapest, so the plan is asked with
   * sequential scans priced out: it still shows one when no index fits the query's expression.
   */
  async function searchPlans(database: IBackendDatabase): Promise<string[][]> {
    if (database.backend === 'sqlite') {
      const db = database.sqlite;
      const prepare = jest.spyOn(db, 'prepare');
      try {
        await gallery.app.gallery.principals.search('ph', 5);
        return prepare.mock.calls.map(([sql]) =>
          db
            .prepare(`EXPLAIN QUERY PLAN ${sql}`)
            .all('ph', 'pi', 'ph', 5)
            .map(row => (row as { detail: string }).detail)
        );
      } finally {
        prepare.mockRestore();
      }
    }
    const pg = database.pg;
    const query = jest.spyOn(PgDatabase.prototype, 'query');
    let statements: string[];
    try {
      await gallery.app.gallery.principals.search('ph', 5);
      statements = query.mock.calls.map(([sql]) => sql).filter(sql => /\bFROM (users|groups)\b/.test(sql));
    } finally {
      query.mockRestore();
    }
    const plans: string[][] = [];
    for (const sql of statements) {
      const rows = await pg.transaction(async () => {
        await pg.execute('SET LOCAL enable_seqscan = off');
        return pg.query<{ 'QUERY PLAN': string }>(`EXPLAIN ${sql}`, ['ph', 'pi', 'ph', 5]);
      });
      plans.push(rows.map(row => row['QUERY PLAN'].trim()));
    }
    return plans;
  }

  it('is in the OpenAPI document with its query and reply', async () => {
    const doc = (await gallery.request(null, { method: 'GET', url: '/api/openapi.json' })).json();
    const operation = doc.paths['/api/principals'].get;
    expect(
      operation.parameters.map((parameter: { name: string; in: string }) => [parameter.name, parameter.in])
    ).toEqual([
      ['prefix', 'query'],
      ['limit', 'query']
    ]);
    expect(Object.keys(operation.responses)).toEqual(['200', '400', '401']);
  });
});

describe('GET /api/principals in a JupyterHub', () => {
  let hub: StandInHub;
  let gallery: IHubGallery;

  beforeAll(async () => {
    hub = new StandInHub('service-token');
    await hub.start();
    gallery = await startHubGallery(hub);
  }, SETUP_TIMEOUT_MS);

  afterAll(async () => {
    await gallery?.close();
    await hub?.stop();
  });

  it("finds the hub's groups, synced into the gallery, for a user in none of them", async () => {
    hub.addMember('physics', 'carol');
    hub.addMember('physics', 'dan');
    const alice = hub.addUser('alice');
    await gallery.app.syncHubGroups();
    const reply = await gallery.request(alice, { method: 'GET', url: '/api/principals?prefix=PH' });
    expect(reply.statusCode).toBe(200);
    // carol and dan have not used the gallery yet, so it knows no members of the group.
    expect(reply.json()).toEqual({ users: [], groups: [{ name: 'physics', memberCount: 0 }] });
    expect((await gallery.app.groups.rolesOf('alice')).size).toBe(0);
  });
});

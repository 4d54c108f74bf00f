import type { IUser } from '@notebook-gallery/core';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { createHash } from 'node:crypto';
import { sampleNotebook } from '../helpers/fixtures';
import { startTestGallery, type ITestGallery } from '../helpers/testGallery';

/*
 * Who may do what, checked against every route the OpenAPI document lists: a route without an entry in ROUTES
 * fails the first test, so no new route can escape the permission rules.
 */

type CallerName = 'owner' | 'editor' | 'member' | 'sharee' | 'stranger' | 'admin' | 'anonymous';
type NotebookName = 'private' | 'shared' | 'group' | 'public' | 'groupOwned';
type Access = 'none' | 'read' | 'edit' | 'manage';

const USERS: Record<Exclude<CallerName, 'anonymous'>, string> = {
  owner: 'olga',
  editor: 'ed',
  member: 'meg',
  sharee: 'sam',
  stranger: 'uri',
  admin: 'ada'
};
const CALLERS = [...(Object.keys(USERS) as CallerName[]), 'anonymous'] as CallerName[];
const NOTEBOOKS: NotebookName[] = ['private', 'shared', 'group', 'public', 'groupOwned'];

/** The rules, spelled out: olga owns everything (and owns group "team"); ed edits and meg is a member of "team". */
const EXPECTED: Record<CallerName, Record<NotebookName, Access>> = {
  owner: { private: 'manage', shared: 'manage', group: 'manage', public: 'manage', groupOwned: 'manage' },
  editor: { private: 'none', shared: 'none', group: 'edit', public: 'read', groupOwned: 'edit' },
  member: { private: 'none', shared: 'none', group: 'read', public: 'read', groupOwned: 'read' },
  sharee: { private: 'none', shared: 'edit', group: 'none', public: 'read', groupOwned: 'none' },
  stranger: { private: 'none', shared: 'none', group: 'none', public: 'read', groupOwned: 'none' },
  admin: { private: 'manage', shared: 'manage', group: 'manage', public: 'manage', groupOwned: 'manage' },
  anonymous: { private: 'none', shared: 'none', group: 'none', public: 'read', groupOwned: 'none' }
};

const RANK: Record<Access, number> = { none: 0, read: 1, edit: 2, manage: 3 };

/**
 * How a route is checked: against one notebook needing an access level (`login`: anonymous callers get 401 even
 * where anonymous reading is on), against a change request of each notebook (proposed by its owner: only those who
 * may edit the notebook see or decide it), against a comment olga wrote on each notebook (`author`: only she may;
 * `moderate`: she and whoever may edit the notebook; a reader who may not read it gets the 404 of a missing
 * comment), or by its own rule.
 */
type RouteRule =
  | {
      notebook: Exclude<Access, 'none'>;
      login?: boolean;
      request(id: string, ctx: IContext): InjectOptions;
      ok: number;
    }
  | { changeRequest: 'view' | 'decide'; requestFor(id: string, requestId: string): InjectOptions; ok: number }
  | { comment: 'author' | 'moderate'; requestOn(commentId: string): InjectOptions; ok: number }
  | { covered: string }
  | {
      statuses: Record<CallerName, number>;
      call(caller: CallerName, world: IWorld): Promise<InjectOptions>;
      /** Puts the world back for the routes after this one. */
      after?(caller: CallerName, world: IWorld): void | Promise<void>;
    };

const everyone = (status: number): Record<CallerName, number> =>
  Object.fromEntries(CALLERS.map(caller => [caller, status])) as Record<CallerName, number>;
const loggedIn = (status: number, overrides: Partial<Record<CallerName, number>> = {}) => ({
  ...everyone(status),
  anonymous: 401,
  ...overrides
});
const simple = (options: InjectOptions) => async () => options;

interface IContext {
  /** The notebook's latest revision. */
  revision: string;
  sharingBody: Record<string, unknown>;
}

/** olga's notebook of `visibility` in group "team", and a change request meg proposes on it. */
async function megsChangeRequest(world: IWorld): Promise<{ id: string; requestId: string }> {
  const notebook = await world.gallery.request(world.tokens.owner, {
    method: 'POST',
    url: '/api/notebooks',
    payload: { notebook: sampleNotebook('team notes'), title: 'Team notes', visibility: 'group', group: 'team' }
  });
  const { id, revision } = notebook.json();
  const proposal = await world.gallery.request(world.tokens.member, {
    method: 'POST',
    url: `/api/notebooks/${id}/change-requests`,
    payload: { notebook: sampleNotebook('meg’s notes'), baseRevision: revision, message: 'Please take mine' }
  });
  expect(proposal.statusCode).toBe(201);
  return { id, requestId: proposal.json().id };
}

const ROUTES: Record<string, RouteRule> = {
  'GET /healthz': { statuses: everyone(200), call: simple({ method: 'GET', url: '/healthz' }) },
  'GET /readyz': { statuses: everyone(200), call: simple({ method: 'GET', url: '/readyz' }) },
  'GET /livez': { statuses: everyone(200), call: simple({ method: 'GET', url: '/livez' }) },
  'GET /api/openapi.json': { statuses: everyone(200), call: simple({ method: 'GET', url: '/api/openapi.json' }) },
  'POST /api/auth/login': { covered: 'test/api/auth.test.ts and test/api/accounts.test.ts' },
  'GET /api/auth/me': { statuses: loggedIn(200), call: simple({ method: 'GET', url: '/api/auth/me' }) },
  'GET /api/auth/config': { statuses: everyone(200), call: simple({ method: 'GET', url: '/api/auth/config' }) },
  'POST /api/auth/register': {
    statuses: everyone(403),
    call: async caller => ({
      method: 'POST',
      url: '/api/auth/register',
      payload: { username: `new-${caller}`, password: 'long enough' }
    })
  },
  'POST /api/auth/password': {
    statuses: loggedIn(401),
    call: simple({
      method: 'POST',
      url: '/api/auth/password',
      payload: { currentPassword: 'wrong', newPassword: 'long enough' }
    })
  },
  'POST /api/auth/sign-out-everywhere': {
    statuses: loggedIn(204),
    call: simple({ method: 'POST', url: '/api/auth/sign-out-everywhere' }),
    // It ended the caller's login too: give them a fresh one (no password hash needed) for the routes after it.
    after: async (caller, world) => {
      if (caller !== 'anonymous') {
        world.tokens[caller] = (
          await world.gallery.app.issueToken({
            username: USERS[caller],
            isAdmin: caller === 'admin'
          })
        ).token;
      }
    }
  },
  'POST /api/auth/sso/session': {
    statuses: everyone(404),
    call: simple({
      method: 'POST',
      url: '/api/auth/sso/session',
      headers: { 'x-requested-with': 'notebook-gallery' },
      payload: { origin: 'http://127.0.0.1:8888' }
    })
  },
  'GET /api/auth/sso/start': {
    statuses: everyone(404),
    call: simple({ method: 'GET', url: '/api/auth/sso/start?origin=http://127.0.0.1:8888' })
  },
  'GET /api/auth/oidc/callback': {
    statuses: everyone(404),
    call: simple({ method: 'GET', url: '/api/auth/oidc/callback?code=x&state=y' })
  },
  'POST /api/tokens': {
    statuses: loggedIn(201),
    call: simple({ method: 'POST', url: '/api/tokens', payload: { name: 'matrix' } })
  },
  'GET /api/tokens': { statuses: loggedIn(200), call: simple({ method: 'GET', url: '/api/tokens' }) },
  'DELETE /api/tokens/{id}': {
    // Only your own tokens: even an admin gets 404 for someone else's.
    statuses: loggedIn(404),
    call: async (_caller, world) => {
      const id = (await world.gallery.app.accounts.createToken('xtra', 'not yours', 'personal', null)).id;
      return { method: 'DELETE', url: `/api/tokens/${id}` };
    }
  },
  'GET /api/groups': { statuses: loggedIn(200), call: simple({ method: 'GET', url: '/api/groups' }) },
  'POST /api/groups': {
    statuses: loggedIn(201),
    call: async caller => ({ method: 'POST', url: '/api/groups', payload: { name: `made-by-${caller}` } })
  },
  'GET /api/groups/{name}': {
    statuses: loggedIn(200, { sharee: 404, stranger: 404 }),
    call: simple({ method: 'GET', url: '/api/groups/team' })
  },
  'PUT /api/groups/{name}/members/{username}': {
    // Everyone tries to make themselves an owner of "team".
    statuses: loggedIn(200, { editor: 403, member: 403, sharee: 403, stranger: 403 }),
    call: async caller => ({
      method: 'PUT',
      url: `/api/groups/team/members/${caller === 'anonymous' ? 'uri' : USERS[caller]}`,
      payload: { role: 'owner' }
    })
  },
  'DELETE /api/groups/{name}/members/{username}': {
    statuses: loggedIn(204, { editor: 403, member: 403, sharee: 403, stranger: 403 }),
    call: async (caller, world) => {
      const name = `del-${caller}`;
      await world.gallery.app.groups.create(name, 'olga');
      await world.gallery.app.groups.setMember(name, 'ed', 'editor');
      await world.gallery.app.groups.setMember(name, 'meg', 'member');
      await world.gallery.app.groups.setMember(name, 'xtra', 'member');
      return { method: 'DELETE', url: `/api/groups/${name}/members/xtra` };
    }
  },
  'GET /api/users': { statuses: loggedIn(200), call: simple({ method: 'GET', url: '/api/users?q=o' }) },
  // Any signed-in user finds group "team" by name, member or not: sharing with it needs no membership.
  'GET /api/principals': {
    statuses: loggedIn(200),
    call: simple({ method: 'GET', url: '/api/principals?prefix=te' })
  },
  'GET /api/admin/audit': {
    statuses: loggedIn(403, { admin: 200 }),
    call: simple({ method: 'GET', url: '/api/admin/audit' })
  },
  'GET /api/admin/users': {
    statuses: loggedIn(403, { admin: 200 }),
    call: simple({ method: 'GET', url: '/api/admin/users' })
  },
  'PATCH /api/admin/users/{username}': {
    // Enabling an enabled account changes nothing, so the other routes still see every user.
    statuses: loggedIn(403, { admin: 200 }),
    call: simple({ method: 'PATCH', url: '/api/admin/users/xtra', payload: { disabled: false } })
  },
  'POST /api/admin/import/revisions': {
    // The same revision each time: the admin's first call creates a private notebook of ada's, later ones skip it.
    statuses: loggedIn(403, { admin: 200 }),
    call: simple({
      method: 'POST',
      url: '/api/admin/import/revisions',
      payload: {
        origin: 'permission-matrix',
        sourceKey: 'one.ipynb',
        metadata: {
          title: 'Imported',
          description: '',
          tags: [],
          visibility: 'private',
          owner: 'ada',
          group: null,
          ownedByGroup: false
        },
        revisionKey: 'r1',
        notebook: sampleNotebook('# Imported'),
        authorName: 'Ada',
        authorEmail: 'ada@example.org',
        username: 'ada',
        date: '2020-01-01T00:00:00.000Z',
        message: 'Imported'
      }
    })
  },
  'POST /api/admin/import/accounts': {
    // Nothing to make: the admin gets an empty report.
    statuses: loggedIn(403, { admin: 200 }),
    call: simple({
      method: 'POST',
      url: '/api/admin/import/accounts',
      payload: { extras: { users: [], groups: [], shares: [], stars: [], changeRequests: [], comments: [] } }
    })
  },
  'POST /api/admin/import/notebooks/{id}/merge-parent': {
    // The admin passes the rule and meets the unknown notebook.
    statuses: loggedIn(403, { admin: 404 }),
    call: simple({
      method: 'POST',
      url: '/api/admin/import/notebooks/no-such-notebook/merge-parent',
      payload: {
        extras: { users: [], groups: [], shares: [], stars: [], changeRequests: [], comments: [] },
        commit: '0'.repeat(40)
      }
    })
  },
  'POST /api/admin/import/notebooks/{id}/extras': {
    statuses: loggedIn(403, { admin: 404 }),
    call: simple({
      method: 'POST',
      url: '/api/admin/import/notebooks/no-such-notebook/extras',
      payload: { extras: { users: [], groups: [], shares: [], stars: [], changeRequests: [], comments: [] } }
    })
  },
  'GET /api/notebooks': { covered: 'the listing and search tests below' },
  'POST /api/notebooks': { covered: 'the "save a new notebook" test below' },
  'GET /api/notebooks/{id}': {
    notebook: 'read',
    ok: 200,
    request: id => ({ method: 'GET', url: `/api/notebooks/${id}` })
  },
  'GET /api/notebooks/{id}/content': {
    notebook: 'read',
    ok: 200,
    request: id => ({ method: 'GET', url: `/api/notebooks/${id}/content` })
  },
  'GET /api/notebooks/{id}/similar': {
    notebook: 'read',
    ok: 200,
    request: id => ({ method: 'GET', url: `/api/notebooks/${id}/similar` })
  },
  'GET /api/notebooks/{id}/revisions': {
    notebook: 'read',
    ok: 200,
    request: id => ({ method: 'GET', url: `/api/notebooks/${id}/revisions` })
  },
  'PUT /api/notebooks/{id}': {
    notebook: 'edit',
    ok: 200,
    request: (id, ctx) => ({
      method: 'PUT',
      url: `/api/notebooks/${id}`,
      payload: { notebook: sampleNotebook(`new text ${Math.random()}`), baseRevision: ctx.revision }
    })
  },
  'GET /api/notebooks/{id}/diff': {
    notebook: 'read',
    ok: 200,
    request: id => ({ method: 'GET', url: `/api/notebooks/${id}/diff` })
  },
  'GET /api/notebooks/{id}/lineage': {
    notebook: 'read',
    ok: 200,
    request: id => ({ method: 'GET', url: `/api/notebooks/${id}/lineage` })
  },
  'POST /api/notebooks/{id}/restore': {
    notebook: 'edit',
    ok: 200,
    request: (id, ctx) => ({ method: 'POST', url: `/api/notebooks/${id}/restore`, payload: { revision: ctx.revision } })
  },
  'POST /api/notebooks/{id}/health': {
    notebook: 'read',
    login: true,
    ok: 204,
    request: (id, ctx) => ({
      method: 'POST',
      url: `/api/notebooks/${id}/health`,
      // sampleNotebook's one code cell, `print(1)`, ran without error.
      payload: {
        revision: ctx.revision,
        cells: [{ id: 'code-1', sourceHash: createHash('sha256').update('print(1)').digest('hex'), status: 'ok' }],
        total: 1
      }
    })
  },
  'POST /api/notebooks/{id}/change-requests': {
    notebook: 'read',
    login: true,
    ok: 201,
    request: (id, ctx) => ({
      method: 'POST',
      url: `/api/notebooks/${id}/change-requests`,
      payload: { notebook: sampleNotebook('proposed'), baseRevision: ctx.revision, message: 'A proposal' }
    })
  },
  'GET /api/notebooks/{id}/change-requests': {
    notebook: 'read',
    login: true,
    ok: 200,
    request: id => ({ method: 'GET', url: `/api/notebooks/${id}/change-requests` })
  },
  'GET /api/change-requests': { statuses: loggedIn(200), call: simple({ method: 'GET', url: '/api/change-requests' }) },
  'GET /api/notebooks/{id}/change-requests/{requestId}': {
    changeRequest: 'view',
    ok: 200,
    requestFor: (id, requestId) => ({ method: 'GET', url: `/api/notebooks/${id}/change-requests/${requestId}` })
  },
  'GET /api/notebooks/{id}/change-requests/{requestId}/content': {
    changeRequest: 'view',
    ok: 200,
    requestFor: (id, requestId) => ({ method: 'GET', url: `/api/notebooks/${id}/change-requests/${requestId}/content` })
  },
  'POST /api/notebooks/{id}/change-requests/{requestId}/accept': {
    changeRequest: 'decide',
    ok: 200,
    requestFor: (id, requestId) => ({
      method: 'POST',
      url: `/api/notebooks/${id}/change-requests/${requestId}/accept`,
      payload: {}
    })
  },
  'POST /api/notebooks/{id}/change-requests/{requestId}/decline': {
    changeRequest: 'decide',
    ok: 200,
    requestFor: (id, requestId) => ({
      method: 'POST',
      url: `/api/notebooks/${id}/change-requests/${requestId}/decline`,
      payload: { comment: 'No' }
    })
  },
  'POST /api/notebooks/{id}/change-requests/{requestId}/withdraw': {
    // Only meg, who proposed it, withdraws; those who may edit the group notebook see it (403); others 404.
    statuses: loggedIn(403, { member: 200, sharee: 404, stranger: 404 }),
    call: async (_caller, world) => {
      const { id, requestId } = await megsChangeRequest(world);
      return { method: 'POST', url: `/api/notebooks/${id}/change-requests/${requestId}/withdraw` };
    }
  },
  'PATCH /api/notebooks/{id}': {
    notebook: 'manage',
    ok: 200,
    request: id => ({ method: 'PATCH', url: `/api/notebooks/${id}`, payload: { title: 'Renamed' } })
  },
  'DELETE /api/notebooks/{id}': {
    notebook: 'manage',
    ok: 204,
    request: id => ({ method: 'DELETE', url: `/api/notebooks/${id}` })
  },
  'GET /api/notebooks/{id}/deletion-impact': {
    notebook: 'manage',
    ok: 200,
    request: id => ({ method: 'GET', url: `/api/notebooks/${id}/deletion-impact` })
  },
  'GET /api/notebooks/{id}/sharing': {
    notebook: 'manage',
    ok: 200,
    request: id => ({ method: 'GET', url: `/api/notebooks/${id}/sharing` })
  },
  'PUT /api/notebooks/{id}/sharing': {
    notebook: 'manage',
    ok: 200,
    request: (id, ctx) => ({ method: 'PUT', url: `/api/notebooks/${id}/sharing`, payload: ctx.sharingBody })
  },
  'POST /api/notebooks/{id}/transfer': {
    notebook: 'manage',
    ok: 200,
    request: id => ({
      method: 'POST',
      url: `/api/notebooks/${id}/transfer`,
      payload: { owner: { kind: 'user', name: 'uri' } }
    })
  },
  'PUT /api/notebooks/{id}/star': {
    notebook: 'read',
    login: true,
    ok: 200,
    request: id => ({ method: 'PUT', url: `/api/notebooks/${id}/star` })
  },
  'DELETE /api/notebooks/{id}/star': {
    notebook: 'read',
    login: true,
    ok: 200,
    request: id => ({ method: 'DELETE', url: `/api/notebooks/${id}/star` })
  },
  'POST /api/notebooks/{id}/activity': {
    notebook: 'read',
    login: true,
    ok: 204,
    request: id => ({ method: 'POST', url: `/api/notebooks/${id}/activity`, payload: { kind: 'view' } })
  },
  'GET /api/notebooks/{id}/comments': {
    notebook: 'read',
    ok: 200,
    request: id => ({ method: 'GET', url: `/api/notebooks/${id}/comments` })
  },
  'POST /api/notebooks/{id}/comments': {
    notebook: 'read',
    login: true,
    ok: 201,
    request: id => ({
      method: 'POST',
      url: `/api/notebooks/${id}/comments`,
      payload: { body: 'A comment', anchor: { cellId: 'code-1', lines: { from: 1, to: 1 } } }
    })
  },
  'GET /api/notebooks/{id}/revisions/{revision}/comments': {
    notebook: 'read',
    ok: 200,
    request: (id, ctx) => ({ method: 'GET', url: `/api/notebooks/${id}/revisions/${ctx.revision}/comments` })
  },
  'PATCH /api/comments/{commentId}': {
    comment: 'author',
    ok: 200,
    requestOn: commentId => ({ method: 'PATCH', url: `/api/comments/${commentId}`, payload: { body: 'Edited' } })
  },
  'POST /api/comments/{commentId}/resolve': {
    comment: 'moderate',
    ok: 200,
    requestOn: commentId => ({ method: 'POST', url: `/api/comments/${commentId}/resolve` })
  },
  'POST /api/comments/{commentId}/reopen': {
    comment: 'moderate',
    ok: 200,
    requestOn: commentId => ({ method: 'POST', url: `/api/comments/${commentId}/reopen` })
  },
  'DELETE /api/comments/{commentId}': {
    comment: 'moderate',
    ok: 204,
    requestOn: commentId => ({ method: 'DELETE', url: `/api/comments/${commentId}` })
  },
  'PUT /api/notebooks/{id}/mute': {
    notebook: 'read',
    login: true,
    ok: 200,
    request: id => ({ method: 'PUT', url: `/api/notebooks/${id}/mute` })
  },
  'DELETE /api/notebooks/{id}/mute': {
    notebook: 'read',
    login: true,
    ok: 200,
    request: id => ({ method: 'DELETE', url: `/api/notebooks/${id}/mute` })
  },
  'GET /api/inbox': { statuses: loggedIn(200), call: simple({ method: 'GET', url: '/api/inbox' }) },
  'GET /api/inbox/unread-count': {
    statuses: loggedIn(200),
    call: simple({ method: 'GET', url: '/api/inbox/unread-count' })
  },
  'POST /api/inbox/read': {
    statuses: loggedIn(204),
    call: simple({ method: 'POST', url: '/api/inbox/read', payload: { all: true } })
  },
  'GET /api/me/webhook': { statuses: loggedIn(200), call: simple({ method: 'GET', url: '/api/me/webhook' }) },
  // A port nothing listens on: should an event be queued before the DELETE below, its delivery fails at once.
  'PUT /api/me/webhook': {
    statuses: loggedIn(200),
    call: simple({ method: 'PUT', url: '/api/me/webhook', payload: { url: 'http://127.0.0.1:9/hook' } })
  },
  'DELETE /api/me/webhook': { statuses: loggedIn(204), call: simple({ method: 'DELETE', url: '/api/me/webhook' }) },
  'GET /api/notebooks/facets': { covered: 'test/signals/facetsAndTags.test.ts (exact counts per caller)' },
  'GET /api/tags': { covered: 'test/signals/facetsAndTags.test.ts (exact counts per caller)' }
};

interface IWorld {
  gallery: ITestGallery;
  tokens: Record<CallerName, string | null>;
}

/**
 * Users get real scrypt hashes (hashed side by side on libuv's threads) but their logins are signed directly:
 * POST /api/auth/login would hash each password a second time, and auth.test.ts covers it.
 */
async function makeWorld(anonymousRead: boolean): Promise<IWorld> {
  const gallery = await startTestGallery({ 'anonymous-read': String(anonymousRead) });
  const { accounts } = gallery.app;
  const users = await Promise.all(
    Object.entries(USERS).map(([caller, username]) =>
      accounts.add(username, `${username}-password`, caller === 'admin')
    )
  );
  await accounts.add('xtra', 'xtra-password');
  const tokens = { anonymous: null } as Record<CallerName, string | null>;
  for (const [caller, username] of Object.entries(USERS)) {
    tokens[caller as CallerName] = (
      await gallery.app.issueToken(users.find(user => user.username === username) as IUser)
    ).token;
  }
  await gallery.app.groups.create('team', 'olga');
  await gallery.app.groups.setMember('team', 'ed', 'editor');
  await gallery.app.groups.setMember('team', 'meg', 'member');
  return { gallery, tokens };
}

/** Creates one notebook of each kind as olga; `word` is unique to each, `matrixword` common to all. */
async function makeNotebooks(world: IWorld): Promise<Record<NotebookName, string>> {
  const ids = {} as Record<NotebookName, string>;
  const bodies: Record<NotebookName, Record<string, unknown>> = {
    private: { visibility: 'private' },
    shared: { visibility: 'private' },
    group: { visibility: 'group', group: 'team' },
    public: { visibility: 'public' },
    groupOwned: { visibility: 'private', group: 'team', ownedByGroup: true }
  };
  for (const name of NOTEBOOKS) {
    const response = await world.gallery.request(world.tokens.owner, {
      method: 'POST',
      url: '/api/notebooks',
      payload: {
        notebook: sampleNotebook(`matrixword secret${name.toLowerCase()}word`),
        title: `The ${name} notebook`,
        ...bodies[name]
      }
    });
    expect(response.statusCode).toBe(201);
    ids[name] = response.json().id;
  }
  const share = await world.gallery.request(world.tokens.owner, {
    method: 'PUT',
    url: `/api/notebooks/${ids.shared}/sharing`,
    payload: { visibility: 'private', group: null, shares: [{ kind: 'user', name: 'sam', role: 'editor' }] }
  });
  expect(share.statusCode).toBe(200);
  return ids;
}

/** Everything an admin sees of a notebook: proof that a refused request changed nothing. */
async function snapshot(world: IWorld, id: string): Promise<[number, any][]> {
  const get = (url: string) => world.gallery.request(world.tokens.admin, { method: 'GET', url });
  const replies = await Promise.all([
    get(`/api/notebooks/${id}`),
    get(`/api/notebooks/${id}/sharing`),
    get(`/api/notebooks/${id}/revisions`),
    get(`/api/notebooks/${id}/change-requests`)
  ]);
  return replies.map(reply => [reply.statusCode, reply.json()]);
}

/** A change request by olga (or `caller`) on a notebook; returns its id. */
async function propose(world: IWorld, id: string, revision: string, caller: CallerName = 'owner'): Promise<string> {
  const response = await world.gallery.request(world.tokens[caller], {
    method: 'POST',
    url: `/api/notebooks/${id}/change-requests`,
    payload: { notebook: sampleNotebook(`proposed by ${caller}`), baseRevision: revision, message: 'Proposal' }
  });
  expect(response.statusCode).toBe(201);
  return response.json().id;
}

function readable(caller: CallerName): NotebookName[] {
  return NOTEBOOKS.filter(name => RANK[EXPECTED[caller][name]] >= RANK.read);
}

async function walk(world: IWorld, caller: CallerName, query: string): Promise<LightMyRequestResponse[]> {
  const pages: LightMyRequestResponse[] = [];
  let cursor: string | null = null;
  for (let i = 0; i < 20; i++) {
    const url: string = `/api/notebooks?limit=2&${query}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
    const page = await world.gallery.request(world.tokens[caller], { method: 'GET', url });
    pages.push(page);
    cursor = page.statusCode === 200 ? page.json().nextCursor : null;
    if (cursor === null) {
      return pages;
    }
  }
  throw new Error('the listing never ended');
}

describe.each([false, true])('permission matrix (anonymous reading %p)', anonymousRead => {
  /** Holds only the five notebooks, so listings can be compared exactly; writes happen in `writeWorld`. */
  let world: IWorld;
  let writeWorld: IWorld;
  let ids: Record<NotebookName, string>;
  /** The latest revision of each notebook of `world`. */
  let revisions: Record<NotebookName, string>;
  /** A change request olga proposed on each notebook of `world`. */
  let requests: Record<NotebookName, string>;

  // Fourteen scrypt hashes and two apps: far more than jest's 5 s default on a busy 2-core machine.
  beforeAll(async () => {
    [world, writeWorld] = await Promise.all([makeWorld(anonymousRead), makeWorld(anonymousRead)]);
    ids = await makeNotebooks(world);
    revisions = {} as Record<NotebookName, string>;
    requests = {} as Record<NotebookName, string>;
    for (const name of NOTEBOOKS) {
      revisions[name] = (await snapshot(world, ids[name]))[0][1].revision;
      requests[name] = await propose(world, ids[name], revisions[name]);
    }
  }, 120_000);

  afterAll(async () => {
    await world?.gallery.close();
    await writeWorld?.gallery.close();
  });

  const anonymousBlocked = (caller: CallerName) => caller === 'anonymous' && !anonymousRead;

  it('has a rule for every route in the OpenAPI document', async () => {
    const doc = (await world.gallery.app.inject({ method: 'GET', url: '/api/openapi.json' })).json();
    const routes = Object.entries(doc.paths as Record<string, Record<string, unknown>>).flatMap(([url, methods]) =>
      Object.keys(methods).map(method => `${method.toUpperCase()} ${url}`)
    );
    expect(routes.filter(route => !(route in ROUTES))).toEqual([]);
    expect(Object.keys(ROUTES).filter(route => !routes.includes(route))).toEqual([]);
  });

  it.each(CALLERS)('answers every other route as expected for %s', async caller => {
    for (const [route, rule] of Object.entries(ROUTES)) {
      if (!('statuses' in rule)) {
        continue;
      }
      const response = await writeWorld.gallery.request(writeWorld.tokens[caller], await rule.call(caller, writeWorld));
      expect([route, response.statusCode]).toEqual([route, rule.statuses[caller]]);
      await rule.after?.(caller, writeWorld);
    }
  });

  describe.each(CALLERS)('%s', caller => {
    it('lists exactly the notebooks it may read, page by page, with canEdit and canManage', async () => {
      const pages = await walk(world, caller, 'sort=title');
      if (anonymousBlocked(caller)) {
        expect(pages[0].statusCode).toBe(401);
        return;
      }
      const items = pages.flatMap(page => page.json().items);
      expect(items.map(item => item.id).sort()).toEqual(
        readable(caller)
          .map(name => ids[name])
          .sort()
      );
      for (const item of items) {
        const name = NOTEBOOKS.find(n => ids[n] === item.id) as NotebookName;
        expect([item.canEdit, item.canManage]).toEqual([
          RANK[EXPECTED[caller][name]] >= RANK.edit,
          EXPECTED[caller][name] === 'manage'
        ]);
      }
    });

    it('finds only readable notebooks when searching, and no snippet of another', async () => {
      if (anonymousBlocked(caller)) {
        return;
      }
      const items = (await walk(world, caller, 'q=matrixword')).flatMap(page => page.json().items);
      expect(items.map(item => item.id).sort()).toEqual(
        readable(caller)
          .map(name => ids[name])
          .sort()
      );
      for (const name of NOTEBOOKS) {
        const found = (await walk(world, caller, `q=secret${name.toLowerCase()}word`)).flatMap(
          page => page.json().items
        );
        const visible = readable(caller).includes(name);
        expect(found.map(item => item.id)).toEqual(visible ? [ids[name]] : []);
        expect(JSON.stringify(found).includes(`secret${name.toLowerCase()}word`)).toBe(visible);
      }
    });

    it('lists as similar to the public notebook exactly the other notebooks it may read', async () => {
      if (anonymousBlocked(caller)) {
        return;
      }
      const response = await world.gallery.request(world.tokens[caller], {
        method: 'GET',
        url: `/api/notebooks/${ids.public}/similar?limit=20`
      });
      const reply = response.json();
      expect(reply.similar.map((item: { id: string }) => item.id).sort()).toEqual(
        readable(caller)
          .filter(name => name !== 'public')
          .map(name => ids[name])
          .sort()
      );
      for (const name of NOTEBOOKS.filter(n => !readable(caller).includes(n))) {
        expect(JSON.stringify(reply).includes(`secret${name.toLowerCase()}word`)).toBe(false);
      }
    });

    it.each(NOTEBOOKS)('reads the %s notebook only when allowed, else 404', async name => {
      for (const [route, rule] of Object.entries(ROUTES)) {
        if (!('notebook' in rule) || rule.notebook !== 'read') {
          continue;
        }
        const response = await world.gallery.request(
          world.tokens[caller],
          rule.request(ids[name], { revision: revisions[name], sharingBody: {} })
        );
        const blocked = anonymousBlocked(caller) || (rule.login === true && caller === 'anonymous');
        const expected = blocked ? 401 : EXPECTED[caller][name] === 'none' ? 404 : rule.ok;
        expect([route, response.statusCode]).toEqual([route, expected]);
        if (expected === 404) {
          expect(response.json().error).toBe('NOTEBOOK_NOT_FOUND');
        }
      }
    });

    it('saves, changes, shares, transfers and deletes each notebook only when allowed; a refusal changes nothing', async () => {
      for (const [route, rule] of Object.entries(ROUTES)) {
        if (!('notebook' in rule) || rule.notebook === 'read') {
          continue;
        }
        const fresh = await makeNotebooks(writeWorld);
        for (const name of NOTEBOOKS) {
          const id = fresh[name];
          const before = await snapshot(writeWorld, id);
          const sharing = before[1];
          const ctx: IContext = {
            revision: before[0][1].revision,
            sharingBody: {
              ...sharing[1],
              shares: [...sharing[1].shares, { kind: 'user', name: 'uri', role: 'reader' }]
            }
          };
          const response = await writeWorld.gallery.request(writeWorld.tokens[caller], rule.request(id, ctx));
          const access = EXPECTED[caller][name];
          const expected =
            caller === 'anonymous'
              ? 401
              : access === 'none'
                ? 404
                : RANK[access] >= RANK[rule.notebook]
                  ? rule.ok
                  : 403;
          expect([route, name, response.statusCode]).toEqual([route, name, expected]);
          if (expected !== rule.ok) {
            expect(await snapshot(writeWorld, id)).toEqual(before);
          }
        }
      }
    });
  });

  describe.each(CALLERS)('%s and comments', caller => {
    it('edits, resolves, reopens and deletes olga’s comment only when allowed; else 403, or 404 where it may not read', async () => {
      for (const [route, rule] of Object.entries(ROUTES)) {
        if (!('comment' in rule)) {
          continue;
        }
        for (const name of NOTEBOOKS) {
          const comment = await world.gallery.request(world.tokens.owner, {
            method: 'POST',
            url: `/api/notebooks/${ids[name]}/comments`,
            payload: { body: `olga on ${name}`, anchor: { cellId: 'code-1' } }
          });
          expect(comment.statusCode).toBe(201);
          const commentId = comment.json().id;
          const response = await world.gallery.request(world.tokens[caller], rule.requestOn(commentId));
          const access = EXPECTED[caller][name];
          const allowed = caller === 'owner' || (rule.comment === 'moderate' && RANK[access] >= RANK.edit);
          const expected = caller === 'anonymous' ? 401 : access === 'none' ? 404 : allowed ? rule.ok : 403;
          expect([route, name, response.statusCode]).toEqual([route, name, expected]);
          if (expected === 404) {
            expect(response.json()).toEqual({
              error: 'COMMENT_NOT_FOUND',
              message: `Comment "${commentId}" not found`
            });
          }
        }
      }
    });
  });

  describe.each(CALLERS)('%s and change requests', caller => {
    it('sees a change request only where it may edit (404 elsewhere)', async () => {
      for (const [route, rule] of Object.entries(ROUTES)) {
        if (!('changeRequest' in rule) || rule.changeRequest !== 'view') {
          continue;
        }
        for (const name of NOTEBOOKS) {
          const response = await world.gallery.request(
            world.tokens[caller],
            rule.requestFor(ids[name], requests[name])
          );
          const access = EXPECTED[caller][name];
          const expected = caller === 'anonymous' ? 401 : RANK[access] >= RANK.edit ? rule.ok : 404;
          expect([route, name, response.statusCode]).toEqual([route, name, expected]);
          if (expected === 404) {
            expect(response.json().error).toBe(access === 'none' ? 'NOTEBOOK_NOT_FOUND' : 'CHANGE_REQUEST_NOT_FOUND');
          }
        }
      }
    });

    it('accepts and declines only where it may edit; a refusal changes nothing', async () => {
      for (const [route, rule] of Object.entries(ROUTES)) {
        if (!('changeRequest' in rule) || rule.changeRequest !== 'decide') {
          continue;
        }
        const fresh = await makeNotebooks(writeWorld);
        for (const name of NOTEBOOKS) {
          const id = fresh[name];
          const requestId = await propose(writeWorld, id, (await snapshot(writeWorld, id))[0][1].revision);
          const before = await snapshot(writeWorld, id);
          const response = await writeWorld.gallery.request(writeWorld.tokens[caller], rule.requestFor(id, requestId));
          const access = EXPECTED[caller][name];
          const expected = caller === 'anonymous' ? 401 : RANK[access] >= RANK.edit ? rule.ok : 404;
          expect([route, name, response.statusCode]).toEqual([route, name, expected]);
          if (expected !== rule.ok) {
            expect(await snapshot(writeWorld, id)).toEqual(before);
          }
        }
      }
    });
  });

  it('lists change requests across notebooks only where the caller reads (its own) or edits (to review)', async () => {
    const loggedInCallers = CALLERS.filter(caller => caller !== 'anonymous');
    for (const caller of loggedInCallers) {
      for (const name of readable(caller)) {
        await propose(world, ids[name], revisions[name], caller);
      }
    }
    const editable = (caller: CallerName) => NOTEBOOKS.filter(name => RANK[EXPECTED[caller][name]] >= RANK.edit);
    const notebooksOf = (items: { notebookId: string }[]) =>
      [...new Set(items.map(item => NOTEBOOKS.find(n => ids[n] === item.notebookId)))].sort();
    for (const caller of loggedInCallers) {
      const list = async (query: string) =>
        (
          await world.gallery.request(world.tokens[caller], { method: 'GET', url: `/api/change-requests?${query}` })
        ).json().items;
      const mine = await list('role=proposer');
      expect([caller, notebooksOf(mine)]).toEqual([caller, [...readable(caller)].sort()]);
      expect(mine.every((item: { proposer: string }) => item.proposer === USERS[caller as keyof typeof USERS])).toBe(
        true
      );
      const queue = await list('role=reviewer&status=open');
      expect([caller, notebooksOf(queue)]).toEqual([caller, editable(caller).sort()]);
      expect(queue.every((item: { canDecide: boolean }) => item.canDecide)).toBe(true);
      for (const item of mine) {
        const name = NOTEBOOKS.find(n => ids[n] === item.notebookId) as NotebookName;
        expect([caller, name, item.canDecide]).toEqual([caller, name, editable(caller).includes(name)]);
      }
      for (const name of readable(caller)) {
        const perNotebook = (
          await world.gallery.request(world.tokens[caller], {
            method: 'GET',
            url: `/api/notebooks/${ids[name]}/change-requests`
          })
        ).json().items as { proposer: string }[];
        const proposers = new Set(perNotebook.map(item => item.proposer));
        expect([caller, name, proposers.size > 1]).toEqual([caller, name, editable(caller).includes(name)]);
      }
    }
  });

  it('narrows the list by scope without ever widening it', async () => {
    const scoped = async (caller: CallerName, scope: string) =>
      (await walk(world, caller, `scope=${scope}`))
        .flatMap(page => page.json().items)
        .map(item => NOTEBOOKS.find(n => ids[n] === item.id))
        .sort();
    expect(await scoped('owner', 'mine')).toEqual(['group', 'private', 'public', 'shared']);
    expect(await scoped('sharee', 'shared')).toEqual(['shared']);
    expect(await scoped('member', 'group')).toEqual(['group', 'groupOwned']);
    expect(await scoped('stranger', 'public')).toEqual(['public']);
    expect(await scoped('stranger', 'group')).toEqual([]);
    expect(await scoped('admin', 'mine')).toEqual([]);
  });

  it('lets any logged-in user save a new notebook, private by default', async () => {
    for (const caller of CALLERS) {
      const response = await writeWorld.gallery.request(writeWorld.tokens[caller], {
        method: 'POST',
        url: '/api/notebooks',
        payload: { notebook: sampleNotebook('new'), title: 'New' }
      });
      expect([caller, response.statusCode]).toEqual([caller, caller === 'anonymous' ? 401 : 201]);
      if (caller !== 'anonymous') {
        expect(response.json()).toMatchObject({ visibility: 'private', ownerKind: 'user', owner: USERS[caller] });
      }
    }
  });
});

import * as fs from 'node:fs';
import * as path from 'node:path';
import { main } from '../../src/cli';
import { DATABASE_FILE } from '../../src/db/database';
import { RECORD_JOURNAL_FILE } from '../../src/storage/recordJournal';
import { RECORD_JOURNALS_MARKER } from '../../src/storage/recordJournalBackfill';
import { commentedNotebook } from '../comments/commentWorld';
import { fsck, git } from '../helpers/git';
import {
  callExpecting,
  makeDataDir,
  startTestGallery,
  SETUP_TIMEOUT_MS,
  type ITestGallery
} from '../helpers/testGallery';

/** Counters a rebuild may leave empty (they were never in git); everything else must come back equal. */
const COUNTERS = new Set(['views', 'downloads', 'opens', 'runs', 'trending', 'lastViewedAt']);

/** `value` without the counters, at any depth. */
function withoutCounters(value: unknown): unknown {
  if (Array.isArray(value)) {
    return value.map(withoutCounters);
  }
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([key]) => !COUNTERS.has(key))
        .map(([key, inner]) => [key, withoutCounters(inner)])
    );
  }
  return value;
}

/** Everything each user can read about every notebook through the API. */
async function galleryView(gallery: ITestGallery, tokens: Record<string, string>): Promise<unknown> {
  const call = callExpecting(gallery);
  const view: Record<string, unknown> = {};
  for (const [name, token] of Object.entries(tokens)) {
    const list = await call(token, { method: 'GET', url: '/api/notebooks?sort=updated&limit=100' }, 200);
    const notebooks: Record<string, unknown> = {};
    for (const item of list.items as { id: string }[]) {
      const base = `/api/notebooks/${item.id}`;
      const requests = await call(token, { method: 'GET', url: `${base}/change-requests` }, 200);
      notebooks[item.id] = {
        summary: await call(token, { method: 'GET', url: base }, 200),
        revisions: await call(token, { method: 'GET', url: `${base}/revisions` }, 200),
        content: await call(token, { method: 'GET', url: `${base}/content` }, 200),
        sharing: (await gallery.request(token, { method: 'GET', url: `${base}/sharing` })).json(),
        changeRequests: requests,
        reviews: await Promise.all(
          (requests.items as { id: string }[]).map(request =>
            call(token, { method: 'GET', url: `${base}/comments?changeRequest=${request.id}` }, 200)
          )
        ),
        comments: await call(token, { method: 'GET', url: `${base}/comments` }, 200)
      };
    }
    view[name] = { list: list.items, notebooks };
  }
  return withoutCounters(view);
}

/** Builds a gallery with history, metadata changes, shares, a group, change requests in every state and comments. */
async function buildHistory(gallery: ITestGallery): Promise<{ tokens: Record<string, string>; ids: string[] }> {
  const call = callExpecting(gallery);
  const [ann, bob, carl] = await Promise.all([gallery.login('ann'), gallery.login('bob'), gallery.login('carl')]);
  await call(ann, { method: 'POST', url: '/api/groups', payload: { name: 'team' } }, 201);
  await call(ann, { method: 'PUT', url: '/api/groups/team/members/carl', payload: { role: 'member' } }, 200);
  const create = (token: string, title: string, extra: Record<string, unknown> = {}) =>
    call(
      token,
      {
        method: 'POST',
        url: '/api/notebooks',
        payload: { notebook: commentedNotebook(title), title, tags: ['alpha'], ...extra }
      },
      201
    );
  const save = async (token: string, id: string, base: string, text: string) =>
    (
      await call(
        token,
        {
          method: 'PUT',
          url: `/api/notebooks/${id}`,
          payload: { notebook: commentedNotebook(text), baseRevision: base }
        },
        200
      )
    ).revision as string;

  const course = await create(ann, 'Course', { visibility: 'public', description: 'Week one' });
  let head = await save(ann, course.id, course.revision, 'Course, second take');
  head = await save(ann, course.id, head, 'Course, third take');
  await call(
    ann,
    {
      method: 'PATCH',
      url: `/api/notebooks/${course.id}`,
      payload: { title: 'Course notes', description: 'Weeks one and two', tags: ['alpha', 'teaching'] }
    },
    200
  );
  await call(
    ann,
    {
      method: 'PUT',
      url: `/api/notebooks/${course.id}/sharing`,
      payload: { visibility: 'public', group: null, shares: [{ kind: 'user', name: 'bob', role: 'editor' }] }
    },
    200
  );
  const propose = (token: string, text: string, base: string) =>
    call(
      token,
      {
        method: 'POST',
        url: `/api/notebooks/${course.id}/change-requests`,
        payload: { notebook: commentedNotebook(text), baseRevision: base, message: `Propose ${text}` }
      },
      201
    );
  const accepted = await propose(carl, 'Accepted text', head);
  const declined = await propose(carl, 'Declined text', head);
  const open = await propose(carl, 'Open text', head);
  const review = await call(
    ann,
    {
      method: 'POST',
      url: `/api/notebooks/${course.id}/comments`,
      payload: { body: 'Nice', changeRequestId: accepted.id, anchor: { cellId: 'code' } }
    },
    201
  );
  await call(
    ann,
    { method: 'POST', url: `/api/notebooks/${course.id}/change-requests/${accepted.id}/accept`, payload: {} },
    200
  );
  await call(
    ann,
    {
      method: 'POST',
      url: `/api/notebooks/${course.id}/change-requests/${declined.id}/decline`,
      payload: { comment: 'Not now' }
    },
    200
  );
  await call(
    bob,
    {
      method: 'POST',
      url: `/api/notebooks/${course.id}/comments`,
      payload: { body: 'Hmm', changeRequestId: open.id }
    },
    201
  );
  const root = await call(
    bob,
    {
      method: 'POST',
      url: `/api/notebooks/${course.id}/comments`,
      payload: { body: 'Why 2?', anchor: { cellId: 'code' } }
    },
    201
  );
  await call(
    ann,
    { method: 'POST', url: `/api/notebooks/${course.id}/comments`, payload: { body: 'Because', parentId: root.id } },
    201
  );
  await call(bob, { method: 'PATCH', url: `/api/comments/${root.id}`, payload: { body: 'Why 2, really?' } }, 200);
  await call(ann, { method: 'POST', url: `/api/comments/${root.id}/resolve` }, 200);
  const gone = await call(
    carl,
    { method: 'POST', url: `/api/notebooks/${course.id}/comments`, payload: { body: 'Oops' } },
    201
  );
  await call(carl, { method: 'DELETE', url: `/api/comments/${gone.id}` }, 204);
  expect(review.id).toBeDefined();

  const team = await create(ann, 'Team notes', { visibility: 'group', group: 'team' });
  await call(
    ann,
    { method: 'POST', url: `/api/notebooks/${team.id}/transfer`, payload: { owner: { kind: 'user', name: 'bob' } } },
    200
  );
  await call(bob, { method: 'PUT', url: `/api/notebooks/${course.id}/star` }, 200);
  await call(carl, { method: 'PUT', url: `/api/notebooks/${course.id}/star` }, 200);
  await call(carl, { method: 'PUT', url: `/api/notebooks/${team.id}/star` }, 200);
  await call(carl, { method: 'DELETE', url: `/api/notebooks/${course.id}/star` }, 200);
  const doomed = await create(bob, 'Doomed');
  await call(bob, { method: 'DELETE', url: `/api/notebooks/${doomed.id}` }, 204);
  const mine = await create(bob, 'Private scratch', { visibility: 'private' });
  return { tokens: { ann, bob, carl }, ids: [course.id, team.id, mine.id] };
}

let gallery: ITestGallery;
let dataDir: string;

beforeEach(async () => {
  dataDir = makeDataDir();
  gallery = await startTestGallery({}, dataDir);
}, SETUP_TIMEOUT_MS);

afterEach(async () => {
  await gallery.close();
});

/** Runs `notebook-gallery rebuild-index` on the test's data directory; returns its exit code and output. */
async function rebuildIndex(): Promise<{ status: number; stdout: string }> {
  let stdout = '';
  const write = jest.spyOn(process.stdout, 'write').mockImplementation(chunk => {
    stdout += String(chunk);
    return true;
  });
  const quiet = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
  try {
    return { status: await main(['rebuild-index', '--data-dir', dataDir]), stdout };
  } finally {
    write.mockRestore();
    quiet.mockRestore();
  }
}

describe('notebook-gallery rebuild-index', () => {
  it(
    'recreates what every user sees through the API, from the repositories',
    async () => {
      const { tokens, ids } = await buildHistory(gallery);
      const before = await galleryView(gallery, tokens);
      await gallery.app.close();

      const rebuilt = await rebuildIndex();
      expect(rebuilt.status).toBe(0);
      expect(rebuilt.stdout).toContain('Rebuilt 3 notebooks: 6 revisions, 3 change requests, 4 comments, 2 stars.');
      expect(rebuilt.stdout).toContain('Not recovered (never written to git): views, downloads and opens;');

      gallery = await startTestGallery({}, dataDir);
      expect(await galleryView(gallery, tokens)).toEqual(before);
      for (const id of ids) {
        // The journal lives beside git's files: the notebook's commits still hold the notebook alone.
        const journal = fs.readFileSync(path.join(gallery.repo(id), RECORD_JOURNAL_FILE), 'utf8');
        expect(journal).toContain('"op":"notebook.insert"');
        // Only the row's fields: never the notebook's bytes, which git already keeps.
        expect(journal).not.toContain('"prepared"');
        expect(git(gallery.repo(id), 'ls-tree', '--name-only', 'main')).toBe('notebook.ipynb');
        expect(fsck(gallery.repo(id)).status).toBe(0);
      }
    },
    SETUP_TIMEOUT_MS
  );

  it(
    'brings notebooks back after the database is lost, naming the accounts it had to add',
    async () => {
      await buildHistory(gallery);
      const view = async () =>
        galleryView(gallery, { root: await gallery.login('root', { admin: true }), dave: await gallery.login('dave') });
      const before = await view();
      await gallery.app.close();
      for (const suffix of ['', '-wal', '-shm']) {
        fs.rmSync(path.join(dataDir, `${DATABASE_FILE}${suffix}`), { force: true });
      }

      const rebuilt = await rebuildIndex();
      expect(rebuilt.status).toBe(0);
      expect(rebuilt.stdout).toContain('Accounts added, disabled and without a password: ann, bob, carl.');
      expect(rebuilt.stdout).toContain('Groups added without members: team.');

      gallery = await startTestGallery({}, dataDir);
      expect(await view()).toEqual(before);
      const users = await gallery.app.accounts.listUsers();
      expect(users.filter(user => user.disabled).map(user => user.username)).toEqual(['ann', 'bob', 'carl']);
    },
    SETUP_TIMEOUT_MS
  );

  it(
    'first writes the journals of notebooks saved before record journals existed, from their rows',
    async () => {
      const { tokens, ids } = await buildHistory(gallery);
      const before = await galleryView(gallery, tokens);
      await gallery.app.close();
      for (const id of ids) {
        fs.rmSync(path.join(gallery.repo(id), RECORD_JOURNAL_FILE));
      }
      fs.rmSync(path.join(dataDir, RECORD_JOURNALS_MARKER));

      const rebuilt = await rebuildIndex();
      expect(rebuilt.status).toBe(0);
      expect(rebuilt.stdout).not.toContain('has no record journal');
      expect(rebuilt.stdout).not.toContain('revisions were not in a record journal');

      gallery = await startTestGallery({}, dataDir);
      expect(await galleryView(gallery, tokens)).toEqual(before);
    },
    SETUP_TIMEOUT_MS
  );

  it('names a notebook whose repository is gone, and exits 1', async () => {
    const ann = await gallery.login('ann');
    const created = await callExpecting(gallery)(
      ann,
      { method: 'POST', url: '/api/notebooks', payload: { notebook: commentedNotebook(), title: 'Gone' } },
      201
    );
    await gallery.app.close();
    fs.rmSync(gallery.repo(created.id), { recursive: true });

    const rebuilt = await rebuildIndex();
    expect(rebuilt.status).toBe(1);
    expect(rebuilt.stdout).toContain(`notebook ${created.id} was in the database but has no repository in repos/`);
    expect(rebuilt.stdout).toContain('Rebuilt 0 notebooks');
    gallery = await startTestGallery({}, dataDir);
  });

  it('refuses to run while a server runs on the data directory', async () => {
    fs.writeFileSync(path.join(dataDir, 'server.pid'), `${process.pid}\n`);
    let stderr = '';
    const write = jest.spyOn(process.stderr, 'write').mockImplementation(chunk => {
      stderr += String(chunk);
      return true;
    });
    try {
      expect(await main(['rebuild-index', '--data-dir', dataDir])).toBe(1);
    } finally {
      write.mockRestore();
    }
    expect(stderr).toContain(`a gallery server (process ${process.pid}) is running on ${dataDir}`);
  });
});

describe('the start-up check adopting a repository whose row the database lost', () => {
  /** Starts the gallery again on the test's data directory, keeping its log lines. */
  async function restart(): Promise<string[]> {
    const lines: string[] = [];
    gallery = await startTestGallery({ 'log-level': 'warn' }, dataDir, {
      logStream: { write: (line: string) => lines.push(line) }
    });
    return lines;
  }

  /** {@link callExpecting} on the gallery running now (the tests restart it). */
  const call: ReturnType<typeof callExpecting> = (...args) => callExpecting(gallery)(...args);

  it(
    'brings the notebook back from its record journal, with its title, tags, sharing, change requests and comments',
    async () => {
      const [ann, bob, carl] = [await gallery.login('ann'), await gallery.login('bob'), await gallery.login('carl')];
      await call(
        bob,
        { method: 'POST', url: '/api/notebooks', payload: { notebook: commentedNotebook('Other'), title: 'Other' } },
        201
      );
      // The database as it was before the notebook below existed: putting it back is a lost write-ahead log.
      await gallery.app.close();
      const older = fs.readFileSync(path.join(dataDir, DATABASE_FILE));
      await restart();

      const course = await call(
        ann,
        {
          method: 'POST',
          url: '/api/notebooks',
          payload: { notebook: commentedNotebook('Course'), title: 'Course', tags: ['alpha'], visibility: 'private' }
        },
        201
      );
      await call(
        ann,
        {
          method: 'PATCH',
          url: `/api/notebooks/${course.id}`,
          payload: { title: 'Course notes', description: 'Week one', tags: ['alpha', 'teaching'] }
        },
        200
      );
      await call(
        ann,
        {
          method: 'PUT',
          url: `/api/notebooks/${course.id}/sharing`,
          payload: { visibility: 'private', group: null, shares: [{ kind: 'user', name: 'bob', role: 'editor' }] }
        },
        200
      );
      await call(
        bob,
        {
          method: 'POST',
          url: `/api/notebooks/${course.id}/change-requests`,
          payload: { notebook: commentedNotebook('Idea'), baseRevision: course.revision, message: 'An idea' }
        },
        201
      );
      await call(bob, { method: 'POST', url: `/api/notebooks/${course.id}/comments`, payload: { body: 'Nice' } }, 201);
      await call(bob, { method: 'PUT', url: `/api/notebooks/${course.id}/star` }, 200);
      const tokens = { ann, bob, carl };
      const before = await galleryView(gallery, tokens);
      await gallery.app.close();
      fs.writeFileSync(path.join(dataDir, DATABASE_FILE), older);
      for (const suffix of ['-wal', '-shm']) {
        fs.rmSync(path.join(dataDir, `${DATABASE_FILE}${suffix}`), { force: true });
      }

      const log = await restart();
      expect(log.map(line => JSON.parse(line).finding)).toContainEqual({
        code: 'ORPHAN_REPOSITORY',
        notebook: course.id,
        title: 'Course notes',
        owner: 'ann',
        message: expect.stringContaining('adopted from its record journal, with its title'),
        repaired: true
      });
      const after = await galleryView(gallery, tokens);
      expect(after).toEqual(before);
      const summary = await call(bob, { method: 'GET', url: `/api/notebooks/${course.id}` }, 200);
      expect(summary).toMatchObject({ title: 'Course notes', tags: ['alpha', 'teaching'], description: 'Week one' });
    },
    SETUP_TIMEOUT_MS
  );

  it('adopts one without a record journal from git alone, as a private notebook titled from its first commit', async () => {
    const ann = await gallery.login('ann');
    await gallery.app.close();
    const older = fs.readFileSync(path.join(dataDir, DATABASE_FILE));
    await restart();
    const created = await call(
      ann,
      {
        method: 'POST',
        url: '/api/notebooks',
        payload: { notebook: commentedNotebook('Plain'), title: 'Plain', tags: ['alpha'], visibility: 'public' }
      },
      201
    );
    await gallery.app.close();
    fs.rmSync(path.join(gallery.repo(created.id), RECORD_JOURNAL_FILE));
    fs.writeFileSync(path.join(dataDir, DATABASE_FILE), older);
    for (const suffix of ['-wal', '-shm']) {
      fs.rmSync(path.join(dataDir, `${DATABASE_FILE}${suffix}`), { force: true });
    }

    const log = await restart();
    expect(log.join('\n')).toContain('It has no record journal, so its description, tags, sharing');
    const summary = await call(ann, { method: 'GET', url: `/api/notebooks/${created.id}` }, 200);
    expect(summary).toMatchObject({ title: 'Plain', tags: [], visibility: 'private' });
  });
});

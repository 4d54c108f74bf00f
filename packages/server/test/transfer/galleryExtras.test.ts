import * as fs from 'node:fs';
import * as path from 'node:path';
import type { IGalleryRepositories } from '../../src/repositories/galleryRepositories';
import { openPostgresRepositories } from '../../src/repositories/postgres/pgRepositories';
import { openSqliteRepositories } from '../../src/repositories/sqlite/sqliteRepositories';
import { openExportSnapshot } from '../../src/compositionRoot';
import { gitIo } from '../../src/storage/gitRepository';
import { prepareNotebook } from '../../src/storage/preparedNotebook';
import type { IExportedNotebook } from '../../src/transfer/archiveFormat';
import { importAccounts } from '../../src/services/importedAccounts';
import { importChangeRequests, type IImportedChangeRequest } from '../../src/services/importedChangeRequests';
import { importComments } from '../../src/services/importedComments';
import { importSharesAndStars } from '../../src/services/importedSignals';
import { exportGallery } from '../../src/transfer/galleryExport';
import { GallerySource, type IGalleryImportExtras } from '../../src/transfer/gallerySource';
import type { IImportItem } from '../../src/transfer/importSource';
import { readTar } from '../../src/transfer/safeTarReader';
import { readAll } from './archiveEntries';
import { gallerySql } from '../helpers/backendSql';
import { fsck } from '../helpers/git';
import { makeDataDir, SETUP_TIMEOUT_MS, startTestGallery, type ITestGallery } from '../helpers/testGallery';
import { FAKE_CREDENTIALS } from '../../../core/test/secrets/fakeCredentials';
import { sampleNotebook } from '../helpers/fixtures';
import { buildSampleGallery, type ISampleGallery } from './sampleGallery';

/*
 * The import's extra steps for our own archive: each restores what it owns so that the API shows what it showed
 * before. The notebook's own history stays (the import service's part); the rows the steps restore are deleted
 * first, straight from the database, and then restored from an export taken before.
 */

jest.setTimeout(120_000);

const github = FAKE_CREDENTIALS.find(fake => fake.rule === 'github-pat')!;

let gallery: ITestGallery;
let sample: ISampleGallery;
let repositories: IGalleryRepositories;
/** The repositories the import's steps take, as the composition root hands them over. */
let parts: Pick<IGalleryRepositories, 'notebooks' | 'signals' | 'comments' | 'changeRequests'> &
  Pick<IGalleryRepositories['accounts'], 'users' | 'groups'>;
let archived: IExportedNotebook;
let proposals: IImportedChangeRequest[] = [];
let workDir = '';

beforeAll(async () => {
  gallery = await startTestGallery();
  sample = await buildSampleGallery(gallery);
  workDir = makeDataDir();
  const archive = path.join(workDir, 'physics.tar.gz');
  const snapshot = await openExportSnapshot(gallery.config);
  try {
    await exportGallery(snapshot.repository, gallery.dataDir, archive, { owner: null, tag: 'physics', group: null });
  } finally {
    await snapshot.close();
  }
  const entries = await readAll(archive);
  archived = JSON.parse(
    entries.find(entry => entry.name.endsWith('notebook.json'))!.bytes.toString('utf8')
  ) as IExportedNotebook;
  for await (const item of new GallerySource(archive, readTar(archive)).items()) {
    proposals = ((item as IImportItem).extras as IGalleryImportExtras).changeRequests;
  }
  // The repositories the import's steps write through, on a connection of their own to the gallery's database.
  const options = { fsync: false, readers: 1, queryBudgetMs: 60_000, embedder: null };
  const url = gallery.config.databaseUrl;
  repositories =
    url === null ? openSqliteRepositories(gallery.dataDir, options) : await openPostgresRepositories(url, options);
  parts = { ...repositories, users: repositories.accounts.users, groups: repositories.accounts.groups };
}, SETUP_TIMEOUT_MS);

afterAll(async () => {
  await repositories?.close();
  await gallery?.close();
  fs.rmSync(workDir, { recursive: true, force: true });
});

/** What users see of the notebook's sharing, stars, comments and change requests, through the API. */
async function seen(): Promise<Record<string, unknown>> {
  const get = async (url: string): Promise<unknown> => {
    const reply = await gallery.request(sample.tokens.ann, { url });
    expect(reply.statusCode).toBe(200);
    return reply.json();
  };
  const detail = (await get(`/api/notebooks/${sample.physics}`)) as Record<string, unknown>;
  const requests = (await get(`/api/notebooks/${sample.physics}/change-requests`)) as {
    items: { id: string }[];
  };
  return {
    stars: detail.stars,
    sharing: await get(`/api/notebooks/${sample.physics}/sharing`),
    comments: await get(`/api/notebooks/${sample.physics}/comments`),
    changeRequests: requests,
    details: await Promise.all(
      requests.items.map(item => get(`/api/notebooks/${sample.physics}/change-requests/${item.id}`))
    )
  };
}

describe("the import's extra steps for our own archive", () => {
  it('restore shares, stars, change requests (the same commits) and comments as the API showed them', async () => {
    const before = await seen();
    expect((before.changeRequests as { items: unknown[] }).items).toHaveLength(2);

    for (const table of ['comments', 'change_requests', 'notebook_shares']) {
      await gallerySql(gallery, `DELETE FROM ${table} WHERE notebook_id = ?`, [sample.physics]);
    }
    for (const star of archived.stars) {
      await parts.signals.setStar(sample.physics, star.username, false, star.createdAt);
    }
    fs.rmSync(path.join(gallery.repo(sample.physics), 'refs', 'change-requests'), { recursive: true });
    expect(await seen()).not.toEqual(before);

    await importSharesAndStars(parts, sample.physics, {
      shares: archived.shares.map(share => ({ kind: share.kind, name: share.principal, role: share.role })),
      stars: archived.stars
    });
    const requests = await importChangeRequests(
      { dataDir: gallery.dataDir, git: gitIo({ fsync: false }), changeRequests: parts.changeRequests },
      sample.physics,
      proposals,
      async notebook => prepareNotebook(notebook).bytes
    );
    expect(requests).toEqual({ restored: [sample.accepted, sample.open], present: [], skipped: [] });
    const comments = await importComments(
      parts,
      sample.physics,
      archived.comments,
      async id => (await parts.changeRequests.find(sample.physics, id)) !== undefined
    );
    expect(comments).toEqual({ restored: 4, present: 0, skipped: [] });

    expect(await seen()).toEqual(before);
    expect((await parts.changeRequests.find(sample.physics, sample.open))?.commitSha).toBe(
      archived.changeRequests.find(request => request.id === sample.open)?.commit
    );
    expect(fsck(gallery.repo(sample.physics)).status).toBe(0);

    // A second run adds nothing.
    expect(
      await importChangeRequests(
        { dataDir: gallery.dataDir, git: gitIo({ fsync: false }), changeRequests: parts.changeRequests },
        sample.physics,
        proposals,
        async notebook => prepareNotebook(notebook).bytes
      )
    ).toEqual({ restored: [], present: [sample.accepted, sample.open], skipped: [] });
    expect(await importComments(parts, sample.physics, archived.comments, async () => true)).toMatchObject({
      restored: 0,
      present: 4
    });
    expect(await seen()).toEqual(before);
  });

  it('skips a change request whose base revision is not in the history, saying why', async () => {
    const request = { ...proposals[1], id: 'not-here-0000000', baseRevision: 'f'.repeat(40) };
    const report = await importChangeRequests(
      { dataDir: gallery.dataDir, git: gitIo({ fsync: false }), changeRequests: parts.changeRequests },
      sample.physics,
      [request],
      async notebook => prepareNotebook(notebook).bytes
    );
    expect(report.skipped).toEqual([
      { id: 'not-here-0000000', reason: "its base revision fffffff is not in this notebook's history" }
    ]);
  });

  it('skips a restored proposal that holds a secret, saying how to confirm it, and restores it once confirmed', async () => {
    const caller = { user: { username: 'root', isAdmin: true }, groups: new Map() };
    const leaky = {
      ...proposals[1],
      id: 'leaky-0000000000',
      notebook: sampleNotebook('Pendulum, leaky', `g = github.Github("${github.value}")`)
    };
    const extras = { users: [], groups: [], shares: [], stars: [], comments: [], changeRequests: [leaky] };
    const refused = await gallery.app.gallery.archiveExtras.restore(caller, sample.physics, extras);
    expect(refused.changeRequests.restored).toEqual([]);
    expect(refused.changeRequests.skipped).toEqual([
      {
        id: leaky.id,
        reason: expect.stringMatching(
          /^its proposal looks like it holds a secret \(fingerprint \S+\); run again with --confirm-secret FINGERPRINT/
        )
      }
    ]);
    expect(await parts.changeRequests.find(sample.physics, leaky.id)).toBeUndefined();

    const fingerprint = /fingerprint (\S+)\)/.exec(refused.changeRequests.skipped[0].reason)![1];
    const confirmed = await gallery.app.gallery.archiveExtras.restore(caller, sample.physics, extras, [fingerprint]);
    expect(confirmed.changeRequests).toEqual({ restored: [leaky.id], present: [], skipped: [] });
  });

  it('makes missing users without a password (they cannot log in) and leaves existing accounts alone', async () => {
    const made = await importAccounts(parts, {
      users: [
        { username: 'ann', email: 'changed@example.org', createdAt: '2020-01-01T00:00:00.000Z' },
        { username: 'dora', email: 'dora@example.org', createdAt: '2020-01-02T00:00:00.000Z' }
      ],
      groups: [
        { name: 'lab', createdAt: '2020-01-01T00:00:00.000Z', members: [{ username: 'dora', role: 'owner' }] },
        { name: 'optics', createdAt: '2020-01-03T00:00:00.000Z', members: [{ username: 'dora', role: 'editor' }] }
      ]
    });
    expect(made).toEqual({ usersWithoutPassword: ['dora'], groupsCreated: ['optics'] });
    expect((await parts.users.find('ann'))?.email).not.toBe('changed@example.org');
    expect(await parts.users.find('dora')).toMatchObject({ isAdmin: false, createdAt: '2020-01-02T00:00:00.000Z' });
    for (const password of ['', '!', 'dora-password']) {
      const login = await gallery.app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { username: 'dora', password }
      });
      expect(login.statusCode).not.toBe(200);
    }
    expect(await parts.groups.members('optics')).toEqual([
      expect.objectContaining({ username: 'dora', role: 'editor' })
    ]);
    expect((await parts.groups.members('lab')).map(member => member.username)).not.toContain('dora');
  });
});

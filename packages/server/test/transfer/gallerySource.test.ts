import { serializeNotebook, type INotebook } from '@notebook-gallery/core';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { openExportSnapshot } from '../../src/compositionRoot';
import { gitIo, initRepository, writeNotebookCommit } from '../../src/storage/gitRepository';
import { signature } from '../../src/storage/notebookStore';
import { ARCHIVE_VERSION } from '../../src/transfer/archiveFormat';
import { exportGallery } from '../../src/transfer/galleryExport';
import { GallerySource, type IGalleryImportExtras } from '../../src/transfer/gallerySource';
import type { IImportItem, ImportSourceEntry } from '../../src/transfer/importSource';
import { makeDataDir, SETUP_TIMEOUT_MS, startTestGallery, type ITestGallery } from '../helpers/testGallery';
import { readTar } from '../../src/transfer/safeTarReader';
import { archiveOf, readAll } from './archiveEntries';
import { buildSampleGallery, type ISampleGallery } from './sampleGallery';

/*
 * Our own archive as an import source: what it yields for an export of the sample gallery, that replaying its
 * history (a merge included) with the yielded author, committer, date, message and parents writes the same commits,
 * and how it refuses what it must.
 */

jest.setTimeout(120_000);

let gallery: ITestGallery;
let sample: ISampleGallery;
let workDir = '';
let archive = '';

beforeAll(async () => {
  workDir = makeDataDir();
  gallery = await startTestGallery();
  sample = await buildSampleGallery(gallery);
  archive = path.join(workDir, 'gallery.tar.gz');
  const snapshot = await openExportSnapshot(gallery.config);
  try {
    await exportGallery(snapshot.repository, gallery.dataDir, archive, { owner: null, tag: null, group: null });
  } finally {
    await snapshot.close();
  }
}, SETUP_TIMEOUT_MS);

afterAll(async () => {
  await gallery?.close();
  fs.rmSync(workDir, { recursive: true, force: true });
});

async function collect(source: GallerySource): Promise<ImportSourceEntry[]> {
  const entries: ImportSourceEntry[] = [];
  for await (const entry of source.items()) {
    entries.push(entry);
  }
  return entries;
}

describe('our own archive as an import source', () => {
  it('yields every notebook with its revisions, authors, dates and messages, and the extras', async () => {
    const source = new GallerySource(archive, readTar(archive));
    const items = (await collect(source)) as IImportItem[];
    expect(items.map(item => [item.kind, item.sourceKey])).toEqual(
      [sample.physics, sample.plain].sort().map(id => ['item', id])
    );
    expect(await source.count()).toBe(2);

    const physics = items.find(item => item.sourceKey === sample.physics)!;
    const listed = (await gallery.request(sample.tokens.ann, { url: `/api/notebooks/${sample.physics}/revisions` }))
      .json()
      .items.reverse() as { revision: string; author: string; message: string; createdAt: string }[];
    expect(
      physics.revisions.map(revision => ({
        revision: revision.revisionKey,
        author: revision.author.username,
        message: revision.message,
        createdAt: revision.date.toISOString()
      }))
    ).toEqual(listed.map(({ revision, author, message, createdAt }) => ({ revision, author, message, createdAt })));
    expect(physics.revisions[0].author).toEqual({
      username: 'ann',
      name: 'ann',
      email: 'ann@users.noreply.notebook-gallery'
    });
    expect(physics.metadata).toEqual({
      title: 'Pendulum',
      description: 'A swinging mass',
      tags: ['physics', 'demo'],
      visibility: 'group',
      owner: 'ann',
      group: 'lab',
      ownedByGroup: false
    });
    const extras = physics.extras as IGalleryImportExtras;
    expect(extras).toMatchObject({
      wantedId: sample.physics,
      shares: [{ kind: 'user', name: 'cat', role: 'editor' }],
      stars: ['bob', 'cat']
    });
    expect(extras.comments).toHaveLength(4);
    expect(extras.users.map(user => user.username)).toEqual(['ann', 'bob', 'cat']);
    const open = extras.changeRequests.find(request => request.id === sample.open)!;
    expect(JSON.stringify(open.notebook)).toContain('Pendulum, chaotic');
  });

  it('yields the merge that accepted a change request with its committer and second parent', async () => {
    const items = (await collect(new GallerySource(archive, readTar(archive)))) as IImportItem[];
    const physics = items.find(item => item.sourceKey === sample.physics)!;
    const accepted = (physics.extras as IGalleryImportExtras).changeRequests.find(
      request => request.id === sample.accepted
    )!;
    const merges = physics.revisions.filter(revision => revision.mergeParent !== undefined);
    expect(merges.map(revision => revision.revisionKey)).toEqual([accepted.acceptedRevision]);
    expect(merges[0]).toMatchObject({
      mergeParent: accepted.commit,
      author: { username: 'cat', name: 'cat' },
      committer: { name: 'ann', email: 'ann@users.noreply.notebook-gallery' }
    });
    // A revision its author committed carries no committer of its own.
    expect(physics.revisions.filter(revision => revision.committer !== undefined)).toEqual(merges);
  });

  it('yields revisions that, written again with their author, committer, date, message and parents, are the same commits', async () => {
    const items = (await collect(new GallerySource(archive, readTar(archive)))) as IImportItem[];
    const io = gitIo({ fsync: false });
    for (const item of items) {
      const gitdir = path.join(workDir, `replay-${item.sourceKey}.git`);
      await initRepository(io, gitdir);
      let parent: string | null = null;
      for (const revision of item.revisions) {
        const bytes = Buffer.from(serializeNotebook(revision.notebook as INotebook), 'utf8');
        if (revision.mergeParent !== undefined) {
          // The proposal it merges, written first as the import does.
          const proposal = (item.extras as IGalleryImportExtras).changeRequests.find(
            request => request.commit === revision.mergeParent
          )!;
          const written = await writeNotebookCommit(
            io,
            gitdir,
            Buffer.from(serializeNotebook(proposal.notebook as INotebook), 'utf8'),
            {
              parents: [proposal.baseRevision],
              author: signature(proposal.proposer, proposal.createdAt),
              message: proposal.message
            }
          );
          expect(written.commit).toBe(revision.mergeParent);
        }
        const { committer } = revision;
        const { commit }: { commit: string } = await writeNotebookCommit(io, gitdir, bytes, {
          parents: [...(parent === null ? [] : [parent]), ...(revision.mergeParent ? [revision.mergeParent] : [])],
          author: signature(revision.author.username!, revision.date.toISOString()),
          committer:
            committer === undefined
              ? undefined
              : { name: committer.name, email: committer.email, timestamp: committer.date.getTime() / 1000 },
          message: revision.message
        });
        expect(commit).toBe(revision.revisionKey);
        parent = commit;
      }
    }
  });

  it('refuses an archive of a newer format version before yielding anything', async () => {
    const entries = await readAll(archive);
    const manifest = JSON.parse(entries[0].bytes.toString('utf8'));
    const newer = await archiveOf(path.join(workDir, 'newer.tar.gz'), [
      { name: 'manifest.json', bytes: Buffer.from(JSON.stringify({ ...manifest, version: ARCHIVE_VERSION + 1 })) },
      ...entries.slice(1)
    ]);
    const yielded: ImportSourceEntry[] = [];
    await expect(
      (async () => {
        for await (const entry of new GallerySource(newer, readTar(newer)).items()) {
          yielded.push(entry);
        }
      })()
    ).rejects.toThrow(
      `was refused, nothing was imported: it has export format version ${ARCHIVE_VERSION + 1} (written by notebook-gallery ${manifest.writtenBy}), but ` +
        `this gallery reads versions up to ${ARCHIVE_VERSION}; upgrade notebook-gallery to import it`
    );
    expect(yielded).toEqual([]);
  });

  it('reports a damaged bundle with its path and goes on with the next notebook', async () => {
    const entries = await readAll(archive);
    const [firstId, secondId] = [sample.physics, sample.plain].sort();
    const damaged = await archiveOf(
      path.join(workDir, 'damaged.tar.gz'),
      entries.map(entry =>
        entry.name === `notebooks/${firstId}/history.bundle`
          ? { name: entry.name, bytes: entry.bytes.subarray(0, entry.bytes.byteLength - 40) }
          : entry
      )
    );
    const yielded = await collect(new GallerySource(damaged, readTar(damaged)));
    expect(yielded).toEqual([
      { kind: 'error', path: `notebooks/${firstId}`, reason: expect.any(String) },
      expect.objectContaining({ kind: 'item', sourceKey: secondId })
    ]);
  });
});

import type { INotebook } from '@notebook-gallery/core';
import * as fs from 'node:fs';
import type { ICaller } from '../../src/auth/permissions';
import { openGallery, type IGallery } from '../../src/compositionRoot';
import { RevisionConflictError } from '../../src/errors/RevisionConflictError';
import { sampleNotebook } from '../helpers/fixtures';
import { makeDataDir } from '../helpers/testGallery';

/*
 * Two galleries over one data directory, as two replicas would be: each has its own per-notebook lock, so both may
 * read the same head and write their commits. The transaction that records a revision checks the head again, so
 * only the first save on that base is recorded; the second is a revision conflict, and nothing of it is kept.
 */

let dataDir: string;
const opened: IGallery[] = [];
const ann: ICaller = { user: { username: 'ann', isAdmin: false }, groups: new Map() };

beforeEach(() => {
  dataDir = makeDataDir();
});

afterEach(async () => {
  for (const gallery of opened.splice(0)) {
    await gallery.close();
  }
  fs.rmSync(dataDir, { recursive: true, force: true });
});

it('records only the first of two saves on the same base made through two galleries; the second is a conflict', async () => {
  let release!: () => void;
  const released = new Promise<void>(resolve => (release = resolve));
  let reached!: () => void;
  const objectsWritten = new Promise<void>(resolve => (reached = resolve));
  let held = false;
  const first = await openGallery({ dataDir, fsync: false, readWorkers: 1 });
  opened.push(first);
  // The second one stops each save after its commit is written, before its rows are: until the test lets it go on.
  const second = await openGallery({
    dataDir,
    fsync: false,
    readWorkers: 1,
    saveHook: async point => {
      if (point === 'after-objects' && held) {
        reached();
        await released;
      }
    }
  });
  opened.push(second);
  await first.accounts.add('ann', 'ann-password');
  const created = await first.notebooks.create(ann, {
    notebook: sampleNotebook('v1') as INotebook,
    title: 'Contested'
  });

  held = true;
  const slow = second.notebooks.saveRevision(ann, created.id, {
    notebook: sampleNotebook('from the second gallery') as INotebook,
    baseRevision: created.revision
  });
  await objectsWritten;
  const fast = await first.notebooks.saveRevision(ann, created.id, {
    notebook: sampleNotebook('from the first gallery') as INotebook,
    baseRevision: created.revision
  });
  expect(fast.revisionNumber).toBe(2);
  release();
  await expect(slow).rejects.toBeInstanceOf(RevisionConflictError);
  await expect(slow).rejects.toMatchObject({ statusCode: 409 });

  const revisions = (await first.notebooks.listRevisions(ann, created.id)).items;
  expect(revisions.map(revision => revision.revision)).toEqual([fast.revision, created.revision]);
  expect((await second.notebooks.get(ann, created.id)).revision).toBe(fast.revision);
});

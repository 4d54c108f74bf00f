/**
 * A gallery link taken twice never makes a second copy (issue 14, the course-hub case): the decision between a new
 * copy, an unedited copy brought up to date, an edited copy merged cell by cell, and a conflict, over a scripted
 * gallery and an in-memory Jupyter folder.
 */
import { ErrorCode, type IMergeConflict, type INotebook } from '@notebook-gallery/core';
import { takeLinkedCopy, type ILinkedCopyOptions } from '../src/commands/linkedCopy';
import { isNotebookGone } from '../src/galleryError';
import { CopyRegistry } from '../src/services/copyRegistry';
import { FakeContents } from './fakeContents';
import { FakeGallery, MemoryStorage, REV1, REV2, SERVER, clientFor, storedNotebook, summary, trans } from './helpers';

const FIRST = storedNotebook('load()', 'plot()', 'answer = None');
const SECOND = storedNotebook('load(cache=True)', 'plot()', 'answer = None');

/** A gallery holding nb-1 "Week 1" at revision 1, or at revision 2 once `publish()` is called. */
function course() {
  let latest: 1 | 2 = 1;
  const revisions: Record<string, INotebook> = { [REV1]: FIRST, [REV2]: SECOND };
  const gallery = new FakeGallery()
    .on('GET', '/api/notebooks/nb-1', () => ({
      status: 200,
      body: summary({ title: 'Week 1', revision: latest === 1 ? REV1 : REV2, revisionNumber: latest })
    }))
    .on('GET', '/api/notebooks/nb-1/content', request => ({
      status: 200,
      body: revisions[new URL(request.url).searchParams.get('revision') ?? (latest === 1 ? REV1 : REV2)]
    }))
    .on('GET', '/api/notebooks/gone', {
      status: 404,
      body: { error: ErrorCode.NOTEBOOK_NOT_FOUND, message: 'No notebook with id gone' }
    });
  const { client } = clientFor(gallery);
  const contents = new FakeContents();
  const registry = new CopyRegistry({ scope: '/', storage: new MemoryStorage() });
  const asked: IMergeConflict[][] = [];
  const options = (ask = true): ILinkedCopyOptions => ({
    client,
    contents: contents.manager,
    registry,
    folder: 'gallery',
    trans,
    openPanel: () => null,
    resolveConflicts: ask
      ? async conflicts => {
          asked.push([...conflicts]);
          return Object.fromEntries(conflicts.map(conflict => [conflict.id, 'local' as const]));
        }
      : null
  });
  return { gallery, contents, registry, asked, options, publish: () => (latest = 2) };
}

const sources = (notebook: INotebook | undefined) =>
  (notebook?.cells ?? []).map(cell => (Array.isArray(cell.source) ? cell.source.join('') : cell.source));

/** The user's edit of cell `index` of the copy at `path`, saved to the file. */
function edit(contents: FakeContents, path: string, index: number, source: string): void {
  const notebook = contents.files.get(path)!;
  notebook.cells[index] = { ...notebook.cells[index], source };
}

describe('taking a gallery link', () => {
  it('makes a new copy, as the sidebar’s Open does, and records it for Update available', async () => {
    const { contents, registry, options } = course();
    const copy = await takeLinkedCopy('nb-1', options());

    expect(copy).toEqual({
      kind: 'created',
      id: 'nb-1',
      title: 'Week 1',
      path: 'gallery/week-1.ipynb',
      revision: REV1,
      revisionNumber: 1
    });
    expect(sources(contents.files.get('gallery/week-1.ipynb'))).toEqual(['load()', 'plot()', 'answer = None']);
    expect(contents.files.get('gallery/week-1.ipynb')?.metadata.gallery).toEqual({
      id: 'nb-1',
      revision: REV1,
      server: SERVER
    });
    expect(registry.copiesOf('nb-1', SERVER).map(known => known.path)).toEqual(['gallery/week-1.ipynb']);
  });

  it('a second click opens the same copy: no second file, nothing written when it is current', async () => {
    const { contents, options } = course();
    await takeLinkedCopy('nb-1', options());
    const again = await takeLinkedCopy('nb-1', options());

    expect(again.kind).toBe('current');
    expect(again.path).toBe('gallery/week-1.ipynb');
    expect(contents.notebooksIn('gallery')).toEqual(['week-1.ipynb']);
    expect(contents.saved).toEqual(['gallery/week-1.ipynb']);
  });

  it('brings an unedited copy up to the latest version', async () => {
    const { contents, options, publish } = course();
    await takeLinkedCopy('nb-1', options());
    publish();
    const again = await takeLinkedCopy('nb-1', options());

    expect(again).toMatchObject({ kind: 'updated', path: 'gallery/week-1.ipynb', revision: REV2, revisionNumber: 2 });
    expect(sources(contents.files.get('gallery/week-1.ipynb'))).toEqual([
      'load(cache=True)',
      'plot()',
      'answer = None'
    ]);
    expect(contents.files.get('gallery/week-1.ipynb')?.metadata.gallery).toMatchObject({ revision: REV2 });
    expect(contents.notebooksIn('gallery')).toEqual(['week-1.ipynb']);
  });

  it('merges the new version into an edited copy cell by cell, keeping the edit and asking nothing', async () => {
    const { contents, registry, asked, options, publish } = course();
    await takeLinkedCopy('nb-1', options());
    edit(contents, 'gallery/week-1.ipynb', 2, 'answer = 42');
    publish();
    const again = await takeLinkedCopy('nb-1', options());

    expect(again.kind).toBe('merged');
    expect(sources(contents.files.get('gallery/week-1.ipynb'))).toEqual(['load(cache=True)', 'plot()', 'answer = 42']);
    expect(asked).toEqual([]);
    expect(registry.get('gallery/week-1.ipynb')?.revision).toBe(REV2);
    expect(contents.notebooksIn('gallery')).toEqual(['week-1.ipynb']);
  });

  it('asks about a real conflict only, and keeps what the user chose', async () => {
    const { contents, asked, options, publish } = course();
    await takeLinkedCopy('nb-1', options());
    edit(contents, 'gallery/week-1.ipynb', 0, 'load(path="mine.csv")');
    publish();
    const again = await takeLinkedCopy('nb-1', options());

    expect(asked).toHaveLength(1);
    expect(again.kind).toBe('merged');
    expect(sources(contents.files.get('gallery/week-1.ipynb'))).toEqual([
      'load(path="mine.csv")',
      'plot()',
      'answer = None'
    ]);
  });

  it('without a way to ask (a tag link), leaves a conflicting copy exactly as it was', async () => {
    const { contents, registry, options, publish } = course();
    await takeLinkedCopy('nb-1', options());
    edit(contents, 'gallery/week-1.ipynb', 0, 'load(path="mine.csv")');
    const before = structuredClone(contents.files.get('gallery/week-1.ipynb'));
    publish();
    const again = await takeLinkedCopy('nb-1', options(false));

    expect(again).toMatchObject({ kind: 'conflicted', path: 'gallery/week-1.ipynb', revisionNumber: 2 });
    expect(contents.files.get('gallery/week-1.ipynb')).toEqual(before);
    // Still behind: Update available keeps offering version 2.
    expect(registry.get('gallery/week-1.ipynb')?.revision).toBe(REV1);
  });

  it('finds the copy the registry knows wherever the user moved it, and forgets one that is gone', async () => {
    const { contents, registry, options } = course();
    await takeLinkedCopy('nb-1', options());
    const moved = contents.files.get('gallery/week-1.ipynb')!;
    contents.files.delete('gallery/week-1.ipynb');
    contents.files.set('homework/mine.ipynb', moved);
    contents.folders.add('homework');
    // A copy deleted since, known first.
    registry.remember('gallery/deleted.ipynb', { id: 'nb-1', revision: REV1, server: SERVER });
    registry.rename('gallery/week-1.ipynb', 'homework/mine.ipynb');

    const again = await takeLinkedCopy('nb-1', options());
    expect(again).toMatchObject({ kind: 'current', path: 'homework/mine.ipynb' });
    expect(contents.notebooksIn('gallery')).toEqual([]);
    expect(registry.get('gallery/deleted.ipynb')).toBeUndefined();
  });

  it('finds a copy made in another browser (not in this registry) by its provenance in the copies folder', async () => {
    const first = course();
    await takeLinkedCopy('nb-1', first.options());
    first.registry.forget('gallery/week-1.ipynb');

    const again = await takeLinkedCopy('nb-1', first.options());
    expect(again).toMatchObject({ kind: 'current', path: 'gallery/week-1.ipynb' });
    expect(first.contents.notebooksIn('gallery')).toEqual(['week-1.ipynb']);
    expect(first.registry.get('gallery/week-1.ipynb')?.id).toBe('nb-1');
  });

  it('says a deleted or unshared notebook is gone, writing nothing', async () => {
    const { contents, options } = course();
    const taken = takeLinkedCopy('gone', options());
    await expect(taken).rejects.toThrow('No notebook with id gone');
    expect(isNotebookGone(await taken.catch(error => error))).toBe(true);
    expect(contents.saved).toEqual([]);
  });
});

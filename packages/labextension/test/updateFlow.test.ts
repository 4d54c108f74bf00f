import type { IMergeConflict, INotebook, MergeChoice } from '@notebook-gallery/core';
import { updateCopy, type EditedCopyChoice, type IUpdatePrompts } from '../src/services/updateFlow';
import { FakeGallery, SERVER, clientFor, summary, trans, REV1, REV2, storedNotebook as stored } from './helpers';

/** A student's copy of revision 1 with these sources, run once (an output on every cell). */
function copy(...sources: string[]): INotebook {
  const notebook = stored(...sources);
  notebook.metadata = {
    language_info: { name: 'python', version: '3.12' },
    gallery: { id: 'nb-1', revision: REV1, server: SERVER }
  };
  notebook.cells = notebook.cells.map(cell => ({
    ...cell,
    execution_count: 1,
    outputs: [{ output_type: 'stream', name: 'stdout', text: `ran ${cell.source}` }]
  })) as never;
  return notebook;
}

/** A gallery at revision 2 of nb-1, whose revision 1 was `first`. */
function galleryWith(first: INotebook, latest: INotebook): FakeGallery {
  return new FakeGallery()
    .on('GET', '/api/notebooks/nb-1', {
      status: 200,
      body: summary({ revision: REV2, revisionNumber: 2, title: 'Week 1' })
    })
    .on('GET', '/api/notebooks/nb-1/content', request =>
      new URL(request.url).searchParams.get('revision') === REV1
        ? { status: 200, body: first }
        : { status: 200, body: latest }
    );
}

function prompts(answers: { edited?: EditedCopyChoice | null; choice?: MergeChoice } = {}) {
  const asked = { edited: 0, conflicts: [] as IMergeConflict[][] };
  const ui: IUpdatePrompts = {
    chooseForEditedCopy: async () => {
      asked.edited++;
      return answers.edited === undefined ? 'merge' : answers.edited;
    },
    resolveConflicts: async conflicts => {
      asked.conflicts.push([...conflicts]);
      return Object.fromEntries(conflicts.map(conflict => [conflict.id, answers.choice ?? 'local']));
    }
  };
  return { ui, asked };
}

const text = (notebook: INotebook) =>
  notebook.cells.map(cell => (Array.isArray(cell.source) ? cell.source.join('') : cell.source));

describe('updating a copy to the gallery’s latest revision', () => {
  const first = stored('load()', 'plot()', 'answer = None');
  const latest = stored('load(cache=True)', 'plot()', 'answer = None');

  it('replaces an unedited copy without asking, keeping outputs of unchanged cells', async () => {
    const { client } = clientFor(galleryWith(first, latest));
    const { ui, asked } = prompts();
    const outcome = await updateCopy(copy('load()', 'plot()', 'answer = None'), { client, trans, prompts: ui });

    expect(outcome?.kind).toBe('replaced');
    if (outcome?.kind !== 'replaced') return;
    expect(text(outcome.notebook)).toEqual(['load(cache=True)', 'plot()', 'answer = None']);
    expect(outcome.notebook.metadata.gallery).toEqual({ id: 'nb-1', revision: REV2, server: SERVER });
    expect(outcome.notebook.cells[0]).toMatchObject({ outputs: [], execution_count: null });
    expect(outcome.notebook.cells[1]).toMatchObject({ execution_count: 1 });
    expect(asked.edited).toBe(0);
  });

  it('merges the instructor’s change into an edited copy and keeps the student’s edit', async () => {
    const { client } = clientFor(galleryWith(first, latest));
    const { ui, asked } = prompts({ edited: 'merge' });
    const outcome = await updateCopy(copy('load()', 'plot()', 'answer = 42'), { client, trans, prompts: ui });

    expect(asked.edited).toBe(1);
    expect(asked.conflicts).toEqual([]);
    expect(outcome?.kind).toBe('merged');
    if (outcome?.kind !== 'merged') return;
    expect(text(outcome.notebook)).toEqual(['load(cache=True)', 'plot()', 'answer = 42']);
    expect(outcome.notebook.metadata.gallery).toEqual({ id: 'nb-1', revision: REV2, server: SERVER });
    expect(outcome.notebook.cells[2]).toMatchObject({ execution_count: 1 });
  });

  it('asks about lines both changed, and applies the choice', async () => {
    const { client } = clientFor(galleryWith(first, latest));
    const { ui, asked } = prompts({ edited: 'merge', choice: 'remote' });
    const outcome = await updateCopy(copy('load(fast=True)', 'plot()', 'answer = 42'), { client, trans, prompts: ui });

    expect(asked.conflicts).toEqual([
      [expect.objectContaining({ cellId: 'a', local: 'load(fast=True)', remote: 'load(cache=True)' })]
    ]);
    expect(outcome?.kind === 'merged' && text(outcome.notebook)).toEqual(['load(cache=True)', 'plot()', 'answer = 42']);
  });

  it('can keep the copy as it is and hand back the new version to put beside it', async () => {
    const { client } = clientFor(galleryWith(first, latest));
    const outcome = await updateCopy(copy('load()', 'plot()', 'answer = 42'), {
      client,
      trans,
      prompts: prompts({ edited: 'beside' }).ui
    });
    expect(outcome?.kind).toBe('beside');
    if (outcome?.kind !== 'beside') return;
    expect(text(outcome.notebook)).toEqual(['load(cache=True)', 'plot()', 'answer = None']);
    expect(outcome.notebook.metadata.gallery).toEqual({ id: 'nb-1', revision: REV2, server: SERVER });
  });

  it('does nothing to an edited copy when only unedited copies may change, and nothing when cancelled', async () => {
    const { client } = clientFor(galleryWith(first, latest));
    const { ui, asked } = prompts({ edited: null });
    const edited = copy('load()', 'plot()', 'answer = 42');
    expect((await updateCopy(edited, { client, trans, prompts: ui, uneditedOnly: true }))?.kind).toBe('edited');
    expect(asked.edited).toBe(0);
    expect(await updateCopy(edited, { client, trans, prompts: ui })).toBeNull();
  });

  it('says a copy of the latest revision is current without fetching any content', async () => {
    const gallery = galleryWith(first, latest);
    const { client } = clientFor(gallery);
    const current = copy('load(cache=True)', 'plot()', 'answer = None');
    current.metadata.gallery = { id: 'nb-1', revision: REV2, server: SERVER };
    expect(await updateCopy(current, { client, trans, prompts: prompts().ui })).toEqual({ kind: 'current' });
    expect(gallery.requests('GET', '/api/notebooks/nb-1/content')).toEqual([]);
  });
});

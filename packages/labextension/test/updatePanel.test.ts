// The model alone: the package index also loads widgets that need a real browser.
import { NotebookModel } from '@jupyterlab/notebook/lib/model';
import type { NotebookPanel } from '@jupyterlab/notebook';
import type { Contents } from '@jupyterlab/services';
import type { IMergeConflict, INotebook, MergeChoice } from '@notebook-gallery/core';
import { updatePanel } from '../src/commands/updateCopy';
import { CopyRegistry } from '../src/services/copyRegistry';
import type { IUpdatePrompts } from '../src/services/updateFlow';
import {
  FakeGallery,
  MemoryStorage,
  SERVER,
  clientFor,
  summary,
  trans,
  REV1,
  REV2,
  storedNotebook as stored
} from './helpers';

/** A student's unedited copy of revision 1, open in JupyterLab: a real notebook model behind a document context. */
function openCopy(first: INotebook) {
  const model = new NotebookModel();
  // Core's nbformat types allow any metadata value; JupyterLab's want JSON values, which these are.
  model.fromJSON({
    ...first,
    metadata: { ...first.metadata, gallery: { id: 'nb-1', revision: REV1, server: SERVER } }
  } as Parameters<NotebookModel['fromJSON']>[0]);
  let saves = 0;
  const context = {
    path: 'week1.ipynb',
    ready: Promise.resolve(),
    model,
    save: async () => {
      saves++;
    }
  };
  return { model, panel: { context } as unknown as NotebookPanel, saves: () => saves };
}

/**
 * A gallery at revision 2 whose reply with the latest content arrives after the student typed `typing` into the copy
 * (cell index and new source), as happens when a student starts typing right after opening.
 */
function galleryWhileTyping(first: INotebook, latest: INotebook, type: () => void): FakeGallery {
  return new FakeGallery()
    .on('GET', '/api/notebooks/nb-1', {
      status: 200,
      body: summary({ revision: REV2, revisionNumber: 2, title: 'Week 1' })
    })
    .on('GET', '/api/notebooks/nb-1/content', request => {
      if (new URL(request.url).searchParams.get('revision') === REV1) {
        return { status: 200, body: first };
      }
      type();
      return { status: 200, body: latest };
    });
}

function prompts(choice: MergeChoice) {
  const asked: IMergeConflict[][] = [];
  const ui: IUpdatePrompts = {
    chooseForEditedCopy: async () => 'merge',
    resolveConflicts: async conflicts => {
      asked.push([...conflicts]);
      return Object.fromEntries(conflicts.map(conflict => [conflict.id, choice]));
    }
  };
  return { ui, asked };
}

const sources = (model: NotebookModel) => Array.from(model.cells, cell => cell.sharedModel.getSource());
const revisionOf = (model: NotebookModel) => (model.getMetadata('gallery') as { revision: string }).revision;

describe('updating an open copy while the student types', () => {
  const first = stored('load()', 'plot()', 'answer = None');
  const latest = stored('load(cache=True)', 'plot()', 'answer = None');
  const options = (gallery: FakeGallery, ui: IUpdatePrompts) => ({
    client: clientFor(gallery).client,
    trans,
    contents: {} as Contents.IManager,
    registry: new CopyRegistry({ scope: '/', storage: new MemoryStorage() }),
    prompts: ui
  });

  it('leaves the copy and the offered update alone on an automatic update', async () => {
    const { model, panel, saves } = openCopy(first);
    const gallery = galleryWhileTyping(first, latest, () => model.cells.get(2).sharedModel.setSource('answer = 4'));
    const result = await updatePanel(panel, { ...options(gallery, prompts('local').ui), uneditedOnly: true });

    expect(result?.kind).toBe('edited');
    expect(sources(model)).toEqual(['load()', 'plot()', 'answer = 4']);
    expect(revisionOf(model)).toBe(REV1);
    expect(saves()).toBe(0);
  });

  it('merges the typing into the new version on an update the student asked for', async () => {
    const { model, panel, saves } = openCopy(first);
    const gallery = galleryWhileTyping(first, latest, () => model.cells.get(2).sharedModel.setSource('answer = 4'));
    const { ui, asked } = prompts('local');
    const result = await updatePanel(panel, options(gallery, ui));

    expect(result?.kind).toBe('replaced');
    expect(sources(model)).toEqual(['load(cache=True)', 'plot()', 'answer = 4']);
    expect(revisionOf(model)).toBe(REV2);
    expect(asked).toEqual([]);
    expect(saves()).toBe(1);
  });

  it('asks when the student typed in the line the update changes', async () => {
    const { model, panel } = openCopy(first);
    const gallery = galleryWhileTyping(first, latest, () =>
      model.cells.get(0).sharedModel.setSource('load(fast=True)')
    );
    const { ui, asked } = prompts('local');
    await updatePanel(panel, options(gallery, ui));

    expect(asked).toEqual([[expect.objectContaining({ local: 'load(fast=True)', remote: 'load(cache=True)' })]]);
    expect(sources(model)).toEqual(['load(fast=True)', 'plot()', 'answer = None']);
  });
});

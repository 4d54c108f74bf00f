import {
  ErrorCode,
  NotebookFormatError,
  mergeNotebooks,
  stripNotebook,
  validateNotebook,
  type IMergeConflict,
  type INotebook,
  type MergeChoice
} from '@notebook-gallery/core';
import { GalleryError } from '../src/galleryError';
import { saveNotebook, type INotebookDetails, type ISavePrompts } from '../src/services/saveFlow';
import { FakeGallery, SERVER, clientFor, summary, trans } from './helpers';

const SECRET = 'SECRET-42-OUTPUT';
const BASE = 'a'.repeat(40);

/** A notebook as JupyterLab holds it: an output with a secret, and (optionally) where it came from. */
function notebook(provenance?: { id: string; revision: string; server: string }): INotebook {
  return {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: provenance ? { gallery: provenance } : {},
    cells: [
      { id: 'c1', cell_type: 'markdown', metadata: {}, source: '# Quarterly analysis' },
      {
        id: 'c2',
        cell_type: 'code',
        metadata: { trusted: true },
        execution_count: 3,
        source: 'print(secret)',
        outputs: [{ output_type: 'stream', name: 'stdout', text: SECRET }]
      }
    ]
  } as INotebook;
}

/** Prompts that answer as a user would and record what they were asked. */
function prompts(
  answers: Partial<{
    details: Partial<INotebookDetails> | null;
    message: string | null;
    saveAsNew: boolean;
    /** Picks the same choice for every conflict; null cancels. */
    choice: MergeChoice | null;
  }> = {}
) {
  const asked = {
    details: [] as Array<{ heading: string; initial: INotebookDetails; groups: readonly string[] }>,
    messages: [] as string[],
    confirms: [] as string[],
    conflicts: [] as IMergeConflict[][]
  };
  const ui: ISavePrompts = {
    notebookDetails: async (heading, initial, groups) => {
      asked.details.push({ heading, initial, groups });
      return answers.details === null ? null : { ...initial, ...answers.details };
    },
    revisionMessage: async title => {
      asked.messages.push(title);
      return answers.message === undefined ? 'tidied up' : answers.message;
    },
    confirmSaveAsNew: async heading => {
      asked.confirms.push(heading);
      return answers.saveAsNew ?? true;
    },
    resolveConflicts: async conflicts => {
      asked.conflicts.push([...conflicts]);
      const choice = answers.choice === undefined ? 'local' : answers.choice;
      return choice === null ? null : Object.fromEntries(conflicts.map(conflict => [conflict.id, choice]));
    }
  };
  return { ui, asked };
}

function galleryForNew(): FakeGallery {
  return new FakeGallery()
    .on('GET', '/api/auth/config', { status: 200, body: { defaultVisibility: 'private' } })
    .on('GET', '/api/groups', { status: 200, body: { items: [{ name: 'finance' }] } })
    .on('POST', '/api/notebooks', request => ({
      status: 201,
      body: { ...summary({ id: 'nb-new', title: request.body.title }), changed: true }
    }));
}

describe('saving to the gallery', () => {
  it('uploads a new notebook without its outputs, titled from its first heading', async () => {
    const gallery = galleryForNew();
    const { client } = clientFor(gallery);
    const { ui, asked } = prompts();
    const saved = await saveNotebook({ notebook: notebook(), name: 'Untitled' }, { client, trans, prompts: ui });

    expect(saved?.id).toBe('nb-new');
    expect(asked.details[0].initial.title).toBe('Quarterly analysis');
    expect(asked.details[0].groups).toEqual(['finance']);
    const [upload] = gallery.requests('POST', '/api/notebooks');
    expect(JSON.stringify(upload.body)).not.toContain(SECRET);
    expect(upload.body.notebook.cells[1]).toMatchObject({ outputs: [], execution_count: null, metadata: {} });
    expect(upload.body).toMatchObject({ title: 'Quarterly analysis', visibility: 'private', tags: [] });
  });

  it('refuses an invalid notebook with the server’s message and path, before any request', async () => {
    const broken = notebook();
    (broken.cells[0] as unknown as { source: unknown }).source = 42;
    let expected: NotebookFormatError | null = null;
    try {
      validateNotebook(broken);
    } catch (error) {
      expected = error as NotebookFormatError;
    }
    expect(expected).toBeInstanceOf(NotebookFormatError);

    const gallery = galleryForNew();
    const { client } = clientFor(gallery);
    const { ui, asked } = prompts();
    const error = await saveNotebook({ notebook: broken, name: 'x' }, { client, trans, prompts: ui }).catch(
      (reason: unknown) => reason
    );

    expect(error).toBeInstanceOf(GalleryError);
    expect((error as GalleryError).message).toBe(expected!.message);
    expect((error as GalleryError).message).toMatch(/^cells\[0\]/);
    expect((error as GalleryError).code).toBe(expected!.code);
    expect((error as GalleryError).details).toEqual({ path: expected!.path });
    expect(gallery.sent).toHaveLength(0);
    expect(asked.details).toHaveLength(0);
  });

  it('refuses something that is not a notebook at all', async () => {
    const gallery = galleryForNew();
    const { client } = clientFor(gallery);
    const error = await saveNotebook({ notebook: [1, 2], name: 'x' }, { client, trans, prompts: prompts().ui }).catch(
      (reason: unknown) => reason
    );
    expect(GalleryError.is(error, ErrorCode.NOT_A_NOTEBOOK)).toBe(true);
    expect(gallery.sent).toHaveLength(0);
  });

  it('uploads nothing when the user cancels the details', async () => {
    const gallery = galleryForNew();
    const { client } = clientFor(gallery);
    const saved = await saveNotebook(
      { notebook: notebook(), name: 'x' },
      { client, trans, prompts: prompts({ details: null }).ui }
    );
    expect(saved).toBeNull();
    expect(gallery.requests('POST', '/api/notebooks')).toHaveLength(0);
  });

  it('saves a new revision of the notebook it came from, based on the revision it was copied at', async () => {
    const gallery = new FakeGallery()
      .on('GET', '/api/notebooks/nb-1', { status: 200, body: summary() })
      .on('PUT', '/api/notebooks/nb-1', { status: 200, body: { ...summary({ revisionNumber: 2 }), changed: true } });
    const { client } = clientFor(gallery);
    const { ui, asked } = prompts({ message: 'fixed the axis' });
    const saved = await saveNotebook(
      { notebook: notebook({ id: 'nb-1', revision: BASE, server: `${SERVER}/` }), name: 'x' },
      { client, trans, prompts: ui }
    );
    expect(saved?.revisionNumber).toBe(2);
    expect(asked.messages).toEqual(['Sales forecast']);
    const [put] = gallery.requests('PUT', '/api/notebooks/nb-1');
    expect(put.body).toMatchObject({ baseRevision: BASE, message: 'fixed the axis', merge: true });
    expect(put.body.notebook.metadata).toEqual({});
    expect(JSON.stringify(put.body)).not.toContain(SECRET);
  });

  it('on a conflict (409) offers a new notebook based on the gallery’s, and never overwrites', async () => {
    const gallery = galleryForNew()
      .on('GET', '/api/notebooks/nb-1', { status: 200, body: summary({ tags: ['q3'] }) })
      .on('PUT', '/api/notebooks/nb-1', {
        status: 409,
        body: { error: ErrorCode.REVISION_CONFLICT, message: 'stale', currentRevision: 'b'.repeat(40) }
      });
    const { client } = clientFor(gallery);
    const { ui, asked } = prompts();
    const saved = await saveNotebook(
      { notebook: notebook({ id: 'nb-1', revision: BASE, server: SERVER }), name: 'x' },
      { client, trans, prompts: ui }
    );
    expect(asked.confirms).toEqual(['Someone saved a newer version']);
    expect(saved?.id).toBe('nb-new');
    const [created] = gallery.requests('POST', '/api/notebooks');
    expect(created.body).toMatchObject({
      parent: { id: 'nb-1', revision: BASE },
      title: 'Sales forecast',
      tags: ['q3']
    });
  });

  it('on a conflict the user may cancel, and then nothing more is uploaded', async () => {
    const gallery = galleryForNew()
      .on('GET', '/api/notebooks/nb-1', { status: 200, body: summary() })
      .on('PUT', '/api/notebooks/nb-1', {
        status: 409,
        body: { error: ErrorCode.REVISION_CONFLICT, message: 'stale' }
      });
    const { client } = clientFor(gallery);
    const saved = await saveNotebook(
      { notebook: notebook({ id: 'nb-1', revision: BASE, server: SERVER }), name: 'x' },
      { client, trans, prompts: prompts({ saveAsNew: false }).ui }
    );
    expect(saved).toBeNull();
    expect(gallery.requests('POST', '/api/notebooks')).toHaveLength(0);
  });

  it('offers a new notebook when the user may not edit the original, or it was deleted', async () => {
    for (const reply of [
      { status: 200, body: summary({ canEdit: false, owner: 'bob' }) },
      { status: 404, body: { error: ErrorCode.NOTEBOOK_NOT_FOUND, message: 'gone' } }
    ]) {
      const gallery = galleryForNew().on('GET', '/api/notebooks/nb-1', reply);
      const { client } = clientFor(gallery);
      const { ui, asked } = prompts();
      await saveNotebook(
        { notebook: notebook({ id: 'nb-1', revision: BASE, server: SERVER }), name: 'x' },
        { client, trans, prompts: ui }
      );
      expect(asked.confirms).toHaveLength(1);
      expect(gallery.requests('PUT', '/api/notebooks/nb-1')).toHaveLength(0);
      expect(gallery.requests('POST', '/api/notebooks')).toHaveLength(1);
    }
  });

  it('treats a copy from another gallery as a new notebook here', async () => {
    const gallery = galleryForNew();
    const { client } = clientFor(gallery);
    await saveNotebook(
      { notebook: notebook({ id: 'nb-1', revision: BASE, server: 'https://elsewhere.example' }), name: 'x' },
      { client, trans, prompts: prompts().ui }
    );
    expect(gallery.requests('GET', '/api/notebooks/nb-1')).toHaveLength(0);
    expect(gallery.requests('POST', '/api/notebooks')[0].body.parent).toBeUndefined();
  });
});

/** A stripped three-cell notebook as the gallery stores it, with `sources` for cells a, b and c. */
function stored(sources: [string, string, string]): INotebook {
  return {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: {},
    cells: sources.map((source, index) => ({
      id: ['a', 'b', 'c'][index],
      cell_type: 'code',
      metadata: {},
      execution_count: null,
      outputs: [],
      source
    }))
  } as INotebook;
}

/** The same notebook as the user's copy holds it: an output on cell a, and where it came from. */
function copyOf(notebook: INotebook, revision: string): INotebook {
  const copy = structuredClone(notebook);
  copy.metadata.gallery = { id: 'nb-1', revision, server: SERVER };
  copy.cells[0] = { ...copy.cells[0], outputs: [{ output_type: 'stream', name: 'stdout', text: SECRET }] } as never;
  return copy;
}

/** A cell's source as one string, however it is split. */
function sourceText(cell: { source: string | string[] }): string {
  return Array.isArray(cell.source) ? cell.source.join('') : cell.source;
}

const REV1 = '1'.repeat(40);
const REV2 = '2'.repeat(40);
const REV3 = '3'.repeat(40);

describe('saving when someone else saved meanwhile', () => {
  const base = stored(['x = 1', 'y = 2', 'z = 3']);

  it('shows the merge the server made and says with whom', async () => {
    const merged = stored(['x = 10', 'y = 2', 'z = 30']);
    const gallery = new FakeGallery()
      .on('GET', '/api/notebooks/nb-1', { status: 200, body: summary() })
      .on('PUT', '/api/notebooks/nb-1', {
        status: 200,
        body: {
          ...summary({ revision: REV3, revisionNumber: 3 }),
          changed: true,
          merged: true,
          mergedWith: { revision: REV2, number: 2, author: 'bob' },
          notebook: merged
        }
      });
    const { client } = clientFor(gallery);
    const mine = copyOf(stored(['x = 10', 'y = 2', 'z = 3']), REV1);
    const saved = await saveNotebook({ notebook: mine, name: 'x' }, { client, trans, prompts: prompts().ui });

    expect(saved?.revision).toBe(REV3);
    expect(saved?.merge).toEqual({ notebook: merged, mergedWith: { revision: REV2, number: 2, author: 'bob' } });
    expect(gallery.requests('PUT', '/api/notebooks/nb-1')[0].body).toMatchObject({ baseRevision: REV1, merge: true });
  });

  it('asks about each conflict, then saves the chosen result on the revision it was settled against', async () => {
    const theirs = stored(['x = 1', 'y = 20', 'z = 3']);
    const mine = copyOf(stored(['x = 1', 'y = 200', 'z = 4']), REV1);
    const { conflicts } = mergeNotebooks(base, stripNotebook(mine), theirs);
    const gallery = new FakeGallery()
      .on('GET', '/api/notebooks/nb-1', { status: 200, body: summary() })
      .on('GET', '/api/notebooks/nb-1/content', request =>
        request.url.includes(REV1) ? { status: 200, body: base } : { status: 200, body: theirs }
      )
      .on('PUT', '/api/notebooks/nb-1', request =>
        request.body.baseRevision === REV1
          ? {
              status: 409,
              body: { error: ErrorCode.REVISION_CONFLICT, message: 'stale', currentRevision: REV2, conflicts }
            }
          : { status: 200, body: { ...summary({ revision: REV3, revisionNumber: 3 }), changed: true } }
      );
    const { client } = clientFor(gallery);
    const { ui, asked } = prompts({ choice: 'both' });
    const saved = await saveNotebook({ notebook: mine, name: 'x' }, { client, trans, prompts: ui });

    expect(asked.conflicts).toHaveLength(1);
    expect(asked.conflicts[0]).toEqual([
      expect.objectContaining({ kind: 'source', cellId: 'b', base: 'y = 2', local: 'y = 200', remote: 'y = 20' })
    ]);
    const puts = gallery.requests('PUT', '/api/notebooks/nb-1');
    expect(puts.map(put => put.body.baseRevision)).toEqual([REV1, REV2]);
    const sources = puts[1].body.notebook.cells.map(sourceText);
    // Both: mine then theirs in cell b; my own edit to cell c merged cleanly.
    expect(sources).toEqual(['x = 1', 'y = 200\ny = 20', 'z = 4']);
    expect(JSON.stringify(puts[1].body)).not.toContain(SECRET);
    expect(saved?.merge?.mergedWith).toBeNull();
    expect(saved?.merge?.notebook.cells.map(cell => cell.source)).toEqual(
      puts[1].body.notebook.cells.map((c: any) => c.source)
    );
  });

  it('saves nothing when the user cancels the conflicts', async () => {
    const theirs = stored(['x = 1', 'y = 20', 'z = 3']);
    const mine = copyOf(stored(['x = 1', 'y = 200', 'z = 3']), REV1);
    const { conflicts } = mergeNotebooks(base, stripNotebook(mine), theirs);
    const gallery = new FakeGallery()
      .on('GET', '/api/notebooks/nb-1', { status: 200, body: summary() })
      .on('GET', '/api/notebooks/nb-1/content', request =>
        request.url.includes(REV1) ? { status: 200, body: base } : { status: 200, body: theirs }
      )
      .on('PUT', '/api/notebooks/nb-1', {
        status: 409,
        body: { error: ErrorCode.REVISION_CONFLICT, message: 'stale', currentRevision: REV2, conflicts }
      });
    const { client } = clientFor(gallery);
    const { ui, asked } = prompts({ choice: null });
    const saved = await saveNotebook({ notebook: mine, name: 'x' }, { client, trans, prompts: ui });

    expect(saved).toBeNull();
    expect(asked.conflicts).toHaveLength(1);
    expect(asked.confirms).toEqual([]);
    expect(gallery.requests('PUT', '/api/notebooks/nb-1')).toHaveLength(1);
  });

  it('settles again when someone saves once more while the user was choosing', async () => {
    const second = stored(['x = 1', 'y = 20', 'z = 3']);
    const third = stored(['x = 1', 'y = 20', 'z = 30']);
    const mine = copyOf(stored(['x = 1', 'y = 200', 'z = 300']), REV1);
    const contents: Record<string, INotebook> = { [REV1]: base, [REV2]: second, [REV3]: third };
    const gallery = new FakeGallery()
      .on('GET', '/api/notebooks/nb-1', { status: 200, body: summary() })
      .on('GET', '/api/notebooks/nb-1/content', request => ({
        status: 200,
        body: contents[new URL(request.url).searchParams.get('revision')!]
      }))
      .on('PUT', '/api/notebooks/nb-1', request => {
        const from = request.body.baseRevision as string;
        if (from === REV3) {
          return { status: 200, body: { ...summary({ revision: '4'.repeat(40), revisionNumber: 4 }), changed: true } };
        }
        const current = from === REV1 ? REV2 : REV3;
        const { conflicts } = mergeNotebooks(contents[from], request.body.notebook, contents[current]);
        return {
          status: 409,
          body: { error: ErrorCode.REVISION_CONFLICT, message: 'stale', currentRevision: current, conflicts }
        };
      });
    const { client } = clientFor(gallery);
    const { ui, asked } = prompts({ choice: 'local' });
    const saved = await saveNotebook({ notebook: mine, name: 'x' }, { client, trans, prompts: ui });

    expect(asked.conflicts.map(list => list.map(conflict => conflict.cellId))).toEqual([['b'], ['c']]);
    const puts = gallery.requests('PUT', '/api/notebooks/nb-1');
    expect(puts.map(put => put.body.baseRevision)).toEqual([REV1, REV2, REV3]);
    expect(puts[2].body.notebook.cells.map(sourceText)).toEqual(['x = 1', 'y = 200', 'z = 300']);
    expect(saved?.revisionNumber).toBe(4);
  });
});

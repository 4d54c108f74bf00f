import { ErrorCode, NotebookFormatError, validateNotebook, type INotebook } from '@notebook-gallery/core';
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
  answers: Partial<{ details: Partial<INotebookDetails> | null; message: string | null; saveAsNew: boolean }> = {}
) {
  const asked = {
    details: [] as Array<{ heading: string; initial: INotebookDetails; groups: readonly string[] }>,
    messages: [] as string[],
    confirms: [] as string[]
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
    expect(put.body).toMatchObject({ baseRevision: BASE, message: 'fixed the axis' });
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

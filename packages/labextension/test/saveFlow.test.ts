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
import type { NotebookPanel } from '@jupyterlab/notebook';
import { saveToGallery } from '../src/commands/saveToGallery';
import { GalleryError } from '../src/galleryError';
import type { ListingProblems } from '../src/services/listingLimits';
import {
  saveNotebook,
  type INotebookDetails,
  type ISavePrompts,
  type SaveDrafts,
  type SaveOutcome
} from '../src/services/saveFlow';
import { FakeGallery, SERVER, clientFor, summary, trans, type ISentRequest, type Reply } from './helpers';

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

/** The saved notebook of an outcome, or null when the save ended otherwise. */
function savedOf(outcome: SaveOutcome | null) {
  return outcome?.kind === 'saved' ? outcome.saved : null;
}

/** Prompts that answer as a user would and record what they were asked. */
function prompts(
  answers: Partial<{
    /** One answer for every time the details are asked, or one per time (the last repeats). */
    details: Partial<INotebookDetails> | null | Array<Partial<INotebookDetails> | null>;
    message: string | null;
    saveAsNew: boolean;
    readerChoice: 'propose' | 'fork' | null;
    proposal: string | null;
    /** Picks the same choice for every conflict; null cancels. */
    choice: MergeChoice | null;
  }> = {}
) {
  const asked = {
    details: [] as Array<{
      heading: string;
      initial: INotebookDetails;
      groups: readonly string[];
      problems: ListingProblems | undefined;
    }>,
    messages: [] as string[],
    confirms: [] as string[],
    readerChoices: [] as string[],
    proposals: [] as string[],
    conflicts: [] as IMergeConflict[][]
  };
  const ui: ISavePrompts = {
    notebookDetails: async (heading, initial, groups, problems) => {
      asked.details.push({ heading, initial, groups, problems });
      const all = Array.isArray(answers.details)
        ? answers.details
        : [answers.details === undefined ? {} : answers.details];
      const answer = all[Math.min(asked.details.length - 1, all.length - 1)];
      return answer === null ? null : { ...initial, ...answer };
    },
    revisionMessage: async title => {
      asked.messages.push(title);
      return answers.message === undefined ? 'tidied up' : answers.message;
    },
    confirmSaveAsNew: async heading => {
      asked.confirms.push(heading);
      return answers.saveAsNew ?? true;
    },
    proposeOrFork: async reading => {
      asked.readerChoices.push(reading.title);
      return answers.readerChoice === undefined ? 'fork' : answers.readerChoice;
    },
    proposalMessage: async reading => {
      asked.proposals.push(reading.title);
      return answers.proposal === undefined ? 'Fixed the axis labels' : answers.proposal;
    },
    resolveConflicts: async conflicts => {
      asked.conflicts.push([...conflicts]);
      const choice = answers.choice === undefined ? 'local' : answers.choice;
      return choice === null ? null : Object.fromEntries(conflicts.map(conflict => [conflict.id, choice]));
    }
  };
  return { ui, asked };
}

/** A gallery that creates notebooks, or answers creating with `create` when given. */
function galleryForNew(create?: Reply | ((request: ISentRequest) => Reply)): FakeGallery {
  return new FakeGallery()
    .on('GET', '/api/auth/config', { status: 200, body: { defaultVisibility: 'private' } })
    .on('GET', '/api/groups', { status: 200, body: { items: [{ name: 'finance' }] } })
    .on(
      'POST',
      '/api/notebooks',
      create ??
        (request => ({
          status: 201,
          body: { ...summary({ id: 'nb-new', title: request.body.title }), changed: true }
        }))
    );
}

describe('saving to the gallery', () => {
  it('uploads a new notebook without its outputs, titled from its first heading', async () => {
    const gallery = galleryForNew();
    const { client } = clientFor(gallery);
    const { ui, asked } = prompts();
    const saved = savedOf(
      await saveNotebook({ notebook: notebook(), name: 'Untitled' }, { client, trans, prompts: ui })
    );

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
    const saved = savedOf(
      await saveNotebook(
        { notebook: notebook({ id: 'nb-1', revision: BASE, server: `${SERVER}/` }), name: 'x' },
        { client, trans, prompts: ui }
      )
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
    const saved = savedOf(
      await saveNotebook(
        { notebook: notebook({ id: 'nb-1', revision: BASE, server: SERVER }), name: 'x' },
        { client, trans, prompts: ui }
      )
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

  it('offers a new notebook when the original was deleted', async () => {
    const gallery = galleryForNew().on('GET', '/api/notebooks/nb-1', {
      status: 404,
      body: { error: ErrorCode.NOTEBOOK_NOT_FOUND, message: 'gone' }
    });
    const { client } = clientFor(gallery);
    const { ui, asked } = prompts();
    await saveNotebook(
      { notebook: notebook({ id: 'nb-1', revision: BASE, server: SERVER }), name: 'x' },
      { client, trans, prompts: ui }
    );
    expect(asked.confirms).toHaveLength(1);
    expect(gallery.requests('PUT', '/api/notebooks/nb-1')).toHaveLength(0);
    expect(gallery.requests('POST', '/api/notebooks')).toHaveLength(1);
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

describe('what the user typed in the details', () => {
  it('reopens with what was typed, and a sentence beside the field, when the gallery refuses the listing', async () => {
    const long = 'T'.repeat(231);
    let posts = 0;
    const gallery = galleryForNew(request =>
      ++posts === 1
        ? {
            status: 400,
            // What a gallery from before the readable messages answers: the dialog must not show it.
            body: { error: ErrorCode.VALIDATION_FAILED, message: 'body/title must NOT have more than 200 characters' }
          }
        : { status: 201, body: { ...summary({ id: 'nb-new', title: request.body.title }), changed: true } }
    );
    const { client } = clientFor(gallery);
    const { ui, asked } = prompts({
      details: [{ title: long, tags: ['sales'], visibility: 'public' }, { title: 'Short enough' }]
    });
    const saved = savedOf(await saveNotebook({ notebook: notebook(), name: 'x' }, { client, trans, prompts: ui }));

    expect(asked.details).toHaveLength(2);
    expect(asked.details[0].problems).toEqual({});
    expect(asked.details[1].initial).toMatchObject({ title: long, tags: ['sales'], visibility: 'public' });
    expect(asked.details[1].problems).toEqual({
      title: 'The title is too long: at most 200 characters (you have 231).'
    });
    expect(saved?.title).toBe('Short enough');
  });

  it('puts a refusal the dialog cannot explain on the field the gallery names, in the gallery’s words', async () => {
    const gallery = galleryForNew(request =>
      request.body.tags.length > 0
        ? {
            status: 400,
            body: {
              error: ErrorCode.VALIDATION_FAILED,
              message: 'Tag 1 must not be only spaces.',
              field: 'tags[0]'
            }
          }
        : { status: 201, body: { ...summary({ id: 'nb-new' }), changed: true } }
    );
    const { client } = clientFor(gallery);
    const { ui, asked } = prompts({ details: [{ tags: ['odd'] }, { tags: [] }] });
    await saveNotebook({ notebook: notebook(), name: 'x' }, { client, trans, prompts: ui });
    expect(asked.details[1].problems).toEqual({ tags: 'Tag 1 must not be only spaces.' });
  });

  it('keeps what was typed when a save fails otherwise, and offers it on the next try of that file', async () => {
    const drafts: SaveDrafts = new Map();
    const failing = galleryForNew('network-error');
    const first = prompts({ details: { title: 'My analysis', description: 'Q3 numbers', tags: ['q3'] } });
    const error = await saveNotebook(
      { notebook: notebook(), name: 'x', path: 'work/q3.ipynb' },
      { client: clientFor(failing).client, trans, prompts: first.ui, drafts }
    ).catch((reason: unknown) => reason);
    expect(GalleryError.is(error, ErrorCode.NETWORK_ERROR)).toBe(true);

    const second = prompts({ details: {} });
    const saved = savedOf(
      await saveNotebook(
        { notebook: notebook(), name: 'x', path: 'work/q3.ipynb' },
        { client: clientFor(galleryForNew()).client, trans, prompts: second.ui, drafts }
      )
    );
    expect(second.asked.details[0].initial).toMatchObject({
      title: 'My analysis',
      description: 'Q3 numbers',
      tags: ['q3']
    });
    expect(saved?.title).toBe('My analysis');
    // Saved: the next save of the file starts afresh.
    expect(drafts.size).toBe(0);
  });
});

describe('a notebook too big to save', () => {
  /** A notebook whose second cell holds a pasted image of `bytes` base64 characters. */
  function withImage(bytes: number): INotebook {
    const big = notebook();
    big.cells.splice(1, 0, {
      id: 'img',
      cell_type: 'markdown',
      metadata: {},
      source: '![chart](attachment:chart.png)',
      attachments: { 'chart.png': { 'image/png': 'A'.repeat(bytes) } }
    } as never);
    return big;
  }

  const TOO_LARGE = {
    status: 413,
    body: {
      error: ErrorCode.PAYLOAD_TOO_LARGE,
      message: 'The request body is larger than this gallery accepts: at most 50 MB (52428800 bytes).',
      limitBytes: 50 * 1024 * 1024
    }
  };

  it('says the limit, the size, which cell holds the large attachment, that outputs are not uploaded, and what to do', async () => {
    const gallery = galleryForNew(TOO_LARGE);
    const { client } = clientFor(gallery);
    const error = await saveNotebook(
      { notebook: withImage(3 * 1024 * 1024), name: 'x' },
      { client, trans, prompts: prompts().ui }
    ).catch((reason: unknown) => reason);

    expect(GalleryError.is(error, ErrorCode.PAYLOAD_TOO_LARGE)).toBe(true);
    expect((error as GalleryError).message).toBe(
      'This notebook is too big to save to the gallery: the upload is 3 MB, and the gallery accepts at most 50 MB. ' +
        'Outputs are never uploaded, but attachments (images pasted or dragged into Markdown cells) are. ' +
        'The large attachment is “chart.png” in cell 2 (3 MB). ' +
        'Make the image smaller (a lower resolution, or JPEG instead of PNG), remove it, or put it in a file or on a ' +
        'web page and link to it, then save again.'
    );
    expect((error as GalleryError).details).toMatchObject({
      limitBytes: 50 * 1024 * 1024,
      attachments: [{ cell: 2, name: 'chart.png', bytes: expect.any(Number) }]
    });
  });

  it('refuses before uploading anything when the gallery’s configuration says its limit', async () => {
    const limited = { status: 200, body: { defaultVisibility: 'private', uploadLimitBytes: 1024 * 1024 } };
    const fresh = new FakeGallery()
      .on('GET', '/api/auth/config', limited)
      .on('GET', '/api/groups', { status: 200, body: { items: [] } });
    const copy = withImage(2 * 1024 * 1024);
    copy.metadata.gallery = { id: 'nb-1', revision: BASE, server: SERVER };
    const ofCopy = new FakeGallery()
      .on('GET', '/api/auth/config', limited)
      .on('GET', '/api/notebooks/nb-1', { status: 200, body: summary() });
    for (const [gallery, big] of [
      [fresh, withImage(2 * 1024 * 1024)],
      [ofCopy, copy]
    ] as const) {
      const { ui, asked } = prompts();
      const error = await saveNotebook(
        { notebook: big, name: 'x' },
        { client: clientFor(gallery).client, trans, prompts: ui }
      ).catch((reason: unknown) => reason);
      expect(GalleryError.is(error, ErrorCode.PAYLOAD_TOO_LARGE)).toBe(true);
      expect((error as GalleryError).message).toMatch(
        /^This notebook is too big to save to the gallery: the upload is 2 MB, and the gallery accepts at most 1 MB\. .*“chart\.png” in cell 2 \(2 MB\)/
      );
      expect(gallery.sent.filter(request => request.method !== 'GET')).toEqual([]);
      expect([...asked.details, ...asked.messages]).toEqual([]);
    }
  });

  it('says so for a new version too, and without a limit when the reply names none (a proxy’s 413)', async () => {
    const gallery = new FakeGallery()
      .on('GET', '/api/notebooks/nb-1', { status: 200, body: summary() })
      .on('PUT', '/api/notebooks/nb-1', { status: 413, text: '<html>413 Request Entity Too Large</html>' });
    const { client } = clientFor(gallery);
    const big = withImage(2 * 1024 * 1024);
    big.metadata.gallery = { id: 'nb-1', revision: BASE, server: SERVER };
    const error = await saveNotebook({ notebook: big, name: 'x' }, { client, trans, prompts: prompts().ui }).catch(
      (reason: unknown) => reason
    );
    expect((error as GalleryError).message).toMatch(
      /^This notebook is too big to save to the gallery: the upload is 2 MB, more than the gallery accepts\. .*“chart\.png” in cell 2 \(2 MB\)/
    );
  });
});

describe('saving a notebook the user may only read', () => {
  const readable = () =>
    galleryForNew()
      .on('GET', '/api/notebooks/nb-1', { status: 200, body: summary({ canEdit: false, owner: 'bob' }) })
      .on('POST', '/api/notebooks/nb-1/change-requests', request => ({
        status: 201,
        body: {
          id: 'cr-1',
          notebookId: 'nb-1',
          notebookTitle: 'Sales forecast',
          proposer: 'alice',
          message: request.body.message,
          baseRevision: request.body.baseRevision,
          status: 'open',
          createdAt: '2026-03-04T10:00:00.000Z',
          decidedAt: null,
          decidedBy: null,
          comment: null,
          acceptedRevision: null,
          canDecide: false
        }
      }));

  it('offers to propose the changes to the owner or to fork, and forks when asked', async () => {
    const gallery = readable();
    const { client } = clientFor(gallery);
    const { ui, asked } = prompts({ readerChoice: 'fork' });
    const saved = savedOf(
      await saveNotebook(
        { notebook: notebook({ id: 'nb-1', revision: BASE, server: SERVER }), name: 'x' },
        { client, trans, prompts: ui }
      )
    );
    expect(asked.readerChoices).toEqual(['Sales forecast']);
    expect(saved?.id).toBe('nb-new');
    expect(gallery.requests('POST', '/api/notebooks')[0].body.parent).toEqual({ id: 'nb-1', revision: BASE });
    expect(gallery.requests('POST', '/api/notebooks/nb-1/change-requests')).toHaveLength(0);
  });

  it('uploads nothing when the reader cancels the choice', async () => {
    const gallery = readable();
    const { client } = clientFor(gallery);
    const outcome = await saveNotebook(
      { notebook: notebook({ id: 'nb-1', revision: BASE, server: SERVER }), name: 'x' },
      { client, trans, prompts: prompts({ readerChoice: null }).ui }
    );
    expect(outcome).toBeNull();
    expect(gallery.sent.filter(request => request.method !== 'GET')).toEqual([]);
  });

  it('Save to Gallery sends the copy, without outputs, as a change request to the owner when the reader proposes', async () => {
    const gallery = readable();
    const { client } = clientFor(gallery);
    const { ui, asked } = prompts({ readerChoice: 'propose', proposal: 'Label the axes' });
    const copy = notebook({ id: 'nb-1', revision: BASE, server: SERVER });
    const saves: string[] = [];
    const panel = {
      context: {
        path: 'gallery/sales-forecast.ipynb',
        model: { toJSON: () => structuredClone(copy), setMetadata: () => saves.push('metadata') },
        save: async () => saves.push('save')
      }
    } as unknown as NotebookPanel;

    const outcome = await saveToGallery(panel, { client, trans, prompts: ui });

    expect(outcome).toMatchObject({ kind: 'proposed', request: { id: 'cr-1', message: 'Label the axes' } });
    expect(asked.readerChoices).toEqual(['Sales forecast']);
    expect(asked.proposals).toEqual(['Sales forecast']);
    const [sent] = gallery.requests('POST', '/api/notebooks/nb-1/change-requests');
    expect(sent.body).toMatchObject({ baseRevision: BASE, message: 'Label the axes' });
    expect(JSON.stringify(sent.body)).not.toContain(SECRET);
    expect(gallery.requests('POST', '/api/notebooks')).toHaveLength(0);
    // The summary the save flow fetched is reused, and the local file is left as it was.
    expect(gallery.requests('GET', '/api/notebooks/nb-1')).toHaveLength(1);
    expect(saves).toEqual([]);
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
    const saved = savedOf(await saveNotebook({ notebook: mine, name: 'x' }, { client, trans, prompts: prompts().ui }));

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
    const saved = savedOf(await saveNotebook({ notebook: mine, name: 'x' }, { client, trans, prompts: ui }));

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
    const saved = savedOf(await saveNotebook({ notebook: mine, name: 'x' }, { client, trans, prompts: ui }));

    expect(asked.conflicts.map(list => list.map(conflict => conflict.cellId))).toEqual([['b'], ['c']]);
    const puts = gallery.requests('PUT', '/api/notebooks/nb-1');
    expect(puts.map(put => put.body.baseRevision)).toEqual([REV1, REV2, REV3]);
    expect(puts[2].body.notebook.cells.map(sourceText)).toEqual(['x = 1', 'y = 200', 'z = 300']);
    expect(saved?.revisionNumber).toBe(4);
  });
});

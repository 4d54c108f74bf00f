import type { IChangeRequest, INotebook } from '@notebook-gallery/core';
import { CommandRegistry } from '@lumino/commands';
import { Widget } from '@lumino/widgets';
import { proposeChanges } from '../src/commands/proposeChanges';
import { GalleryError } from '../src/galleryError';
import { GalleryModel } from '../src/services/galleryModel';
import { CommandIDs } from '../src/tokens';
import { ChangeRequestStatus } from '../src/widgets/changeRequestStatus';
import { ChangeRequestView } from '../src/widgets/changeRequestView';
import { FakeGallery, SERVER, clientFor, summary, trans } from './helpers';

const BASE = 'b'.repeat(40);

function request(overrides: Partial<IChangeRequest> = {}): IChangeRequest {
  return {
    id: 'cr-1',
    notebookId: 'nb-1',
    notebookTitle: 'Tax model',
    proposer: 'bob',
    message: 'Fix the VAT rate',
    baseRevision: BASE,
    status: 'open',
    createdAt: '2026-03-04T10:00:00.000Z',
    decidedAt: null,
    decidedBy: null,
    comment: null,
    acceptedRevision: null,
    canDecide: true,
    ...overrides
  };
}

/** Bob's copy of nb-1 with an output the gallery must never receive. */
function bobsCopy(server = SERVER): INotebook {
  return {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: { gallery: { id: 'nb-1', revision: BASE, server } },
    cells: [
      {
        id: 'calc',
        cell_type: 'code',
        source: 'vat = 0.21\n',
        metadata: {},
        execution_count: 3,
        outputs: [{ output_type: 'stream', name: 'stdout', text: 'PRIVATE OUTPUT' }]
      }
    ]
  };
}

const tick = () => new Promise(resolve => setTimeout(resolve, 0));
const buttonNamed = (root: HTMLElement, name: string): HTMLButtonElement | undefined =>
  Array.from(root.querySelectorAll('button')).find(button => button.textContent === name);

afterEach(() => {
  document.body.replaceChildren();
});

describe('proposeChanges', () => {
  it('sends the stripped copy, based on the revision it came from, with the message the user typed', async () => {
    const gallery = new FakeGallery()
      .on('GET', '/api/notebooks/nb-1', { status: 200, body: summary({ canEdit: false, canManage: false }) })
      .on('POST', '/api/notebooks/nb-1/change-requests', { status: 201, body: request() });
    const { client } = clientFor(gallery, { loggedIn: true });
    const asked: string[] = [];
    const sent = await proposeChanges(bobsCopy(), {
      client,
      trans,
      askMessage: async about => {
        asked.push(about.title);
        return 'Fix the VAT rate';
      }
    });
    expect(sent?.id).toBe('cr-1');
    expect(asked).toEqual(['Sales forecast']);
    const [post] = gallery.requests('POST', '/api/notebooks/nb-1/change-requests');
    expect(post.body.baseRevision).toBe(BASE);
    expect(post.body.message).toBe('Fix the VAT rate');
    expect(JSON.stringify(post.body.notebook)).not.toContain('PRIVATE OUTPUT');
    expect(post.body.notebook.metadata.gallery).toBeUndefined();
    expect(post.body.notebook.cells[0].source).toBe('vat = 0.21\n');
  });

  it('sends nothing when the user cancels', async () => {
    const gallery = new FakeGallery().on('GET', '/api/notebooks/nb-1', {
      status: 200,
      body: summary({ canEdit: false })
    });
    const { client } = clientFor(gallery);
    expect(await proposeChanges(bobsCopy(), { client, trans, askMessage: async () => null })).toBeNull();
    expect(gallery.requests('POST', '/api/notebooks/nb-1/change-requests')).toEqual([]);
  });

  it('points an editor to Save to Gallery, and a notebook from elsewhere to the sidebar', async () => {
    const gallery = new FakeGallery().on('GET', '/api/notebooks/nb-1', {
      status: 200,
      body: summary({ title: 'Tax model', canEdit: true })
    });
    const { client } = clientFor(gallery);
    const options = { client, trans, askMessage: async () => 'x' };
    await expect(proposeChanges(bobsCopy(), options)).rejects.toThrow(
      'You can edit “Tax model” yourself: choose Save to Gallery to save your changes as a new version.'
    );
    await expect(proposeChanges(bobsCopy('http://elsewhere.example'), options)).rejects.toThrow(
      /was not opened from the gallery at .*Open the notebook from the Gallery sidebar/
    );
    await expect(proposeChanges(bobsCopy(), options)).rejects.toBeInstanceOf(GalleryError);
  });
});

describe('ChangeRequestView', () => {
  function detailGallery(overrides: Partial<IChangeRequest> = {}): FakeGallery {
    return new FakeGallery()
      .on('GET', '/api/notebooks/nb-1/change-requests/cr-1', {
        status: 200,
        body: {
          ...request(overrides),
          diff: {
            cells: [
              {
                status: 'modified',
                moved: false,
                id: 'calc',
                cellType: 'code',
                fromIndex: 0,
                toIndex: 0,
                source: [
                  { op: 'removed', text: 'vat = 0.19', from: 0 },
                  { op: 'added', text: 'vat = 0.21', to: 0 }
                ]
              }
            ],
            metadata: [],
            summary: { added: 0, removed: 0, modified: 1, moved: 0, unchanged: 0 }
          }
        }
      })
      .on('GET', '/api/notebooks/nb-1/revisions', {
        status: 200,
        body: {
          items: [{ revision: BASE, number: 4, author: 'alice', message: '', createdAt: '2026-03-01T00:00:00Z' }]
        }
      });
  }

  async function openView(gallery: FakeGallery, username = 'alice') {
    const { client, storage } = clientFor(gallery, { loggedIn: false });
    storage.setItem(
      `notebook-gallery:auth:${SERVER}`,
      JSON.stringify({ token: 't', tokenId: null, expiresAt: null, user: { username, isAdmin: false } })
    );
    client.auth.useServer(SERVER);
    const view = new ChangeRequestView({ client, trans, notebookId: 'nb-1', requestId: 'cr-1' });
    Widget.attach(view, document.body);
    await view.refresh();
    return view;
  }

  it('shows who proposed what, from which version, and the diff', async () => {
    const view = await openView(detailGallery());
    expect(view.node.querySelector('h2')?.textContent).toBe('Proposed changes to “Tax model”');
    expect(view.node.textContent).toContain('starting from version 4');
    expect(view.node.querySelector('blockquote')?.textContent).toBe('Fix the VAT rate');
    expect(view.node.textContent).toContain('Status: Waiting for review');
    expect(view.diffView.node.querySelector('h3')?.textContent).toBe('Changes from version 4 to bob’s proposal');
    expect(view.diffView.node.textContent).toContain('Cell 1 changed');
  });

  it('accepts with the reviewer’s comment and says which version it became', async () => {
    const gallery = detailGallery().on('POST', '/api/notebooks/nb-1/change-requests/cr-1/accept', {
      status: 200,
      body: { ...summary({ revisionNumber: 5 }), changed: true, merged: false }
    });
    const view = await openView(gallery);
    const decisions: string[] = [];
    view.decided.connect((_, decision) => decisions.push(decision.action));
    const comment = view.node.querySelector('textarea') as HTMLTextAreaElement;
    expect(view.node.querySelector(`label[for="${comment.id}"]`)?.textContent).toBe('Comment for bob');
    comment.value = 'Thanks!';
    buttonNamed(view.node, 'Accept as a new version')!.click();
    await tick();
    await tick();
    await tick();
    expect(gallery.requests('POST', '/api/notebooks/nb-1/change-requests/cr-1/accept')[0].body).toEqual({
      comment: 'Thanks!'
    });
    expect(view.node.querySelector('[role="status"]')?.textContent).toBe('Accepted: it is now version 5.');
    expect(decisions).toEqual(['accept']);
  });

  it('shows the way forward when accepting conflicts with later changes, and keeps the buttons', async () => {
    const gallery = detailGallery().on('POST', '/api/notebooks/nb-1/change-requests/cr-1/accept', {
      status: 409,
      body: {
        error: 'REVISION_CONFLICT',
        message: 'The notebook changed the same lines since. Ask bob to propose again from the latest version.',
        currentRevision: 'c'.repeat(40),
        conflicts: []
      }
    });
    const view = await openView(gallery);
    buttonNamed(view.node, 'Accept as a new version')!.click();
    await tick();
    await tick();
    expect(view.node.querySelector('[role="alert"]')?.textContent).toBe(
      'The change request could not be accepted. The notebook changed the same lines since. Ask bob to propose again from the latest version.'
    );
    expect(buttonNamed(view.node, 'Decline')?.disabled).toBe(false);
  });

  it('declines with a comment', async () => {
    const gallery = detailGallery().on('POST', '/api/notebooks/nb-1/change-requests/cr-1/decline', {
      status: 200,
      body: request({ status: 'declined', comment: 'Rates change in July', decidedBy: 'alice' })
    });
    const view = await openView(gallery);
    (view.node.querySelector('textarea') as HTMLTextAreaElement).value = 'Rates change in July';
    buttonNamed(view.node, 'Decline')!.click();
    await tick();
    await tick();
    expect(gallery.requests('POST', '/api/notebooks/nb-1/change-requests/cr-1/decline')[0].body).toEqual({
      comment: 'Rates change in July'
    });
  });

  it('lets the proposer withdraw, without accept or decline', async () => {
    const view = await openView(detailGallery({ canDecide: false }), 'bob');
    expect(buttonNamed(view.node, 'Accept as a new version')).toBeUndefined();
    expect(buttonNamed(view.node, 'Withdraw my request')).toBeDefined();
  });

  it('shows a decided request’s outcome and comment, with nothing left to decide', async () => {
    const view = await openView(
      detailGallery({ status: 'declined', decidedBy: 'alice', comment: 'Rates change in July', canDecide: true })
    );
    expect(view.node.textContent).toContain('Status: Declined by alice');
    expect(view.node.textContent).toContain('Comment from alice: “Rates change in July”');
    expect(view.node.querySelector('textarea')).toBeNull();
  });
});

describe('ChangeRequestStatus in the sidebar', () => {
  function statusFor(gallery: FakeGallery) {
    gallery.on('GET', '/api/notebooks', { status: 200, body: { items: [], nextCursor: null } });
    const { client } = clientFor(gallery);
    const model = new GalleryModel(client);
    const commands = new CommandRegistry();
    const opened: unknown[] = [];
    commands.addCommand(CommandIDs.openChangeRequest, { execute: args => void opened.push(args) });
    const status = new ChangeRequestStatus({ model, commands, trans });
    Widget.attach(status, document.body);
    return { status, model, opened };
  }

  it('lists requests to review and the proposer’s own with their status, reloading with the list', async () => {
    const gallery = new FakeGallery().on('GET', '/api/change-requests', r => {
      const role = new URL(r.url).searchParams.get('role');
      return role === 'reviewer'
        ? { status: 200, body: { items: [request()] } }
        : {
            status: 200,
            body: {
              items: [
                request({
                  id: 'cr-2',
                  notebookId: 'nb-2',
                  notebookTitle: 'Budget',
                  proposer: 'alice',
                  status: 'declined',
                  decidedBy: 'carol',
                  comment: 'Not this quarter',
                  canDecide: false
                })
              ]
            }
          };
    });
    const { status, model, opened } = statusFor(gallery);
    await model.refresh();
    await tick();
    expect(status.isHidden).toBe(false);
    const headings = Array.from(status.node.querySelectorAll('h3')).map(h => h.textContent);
    expect(headings).toEqual(['1 change request to review', 'Your change requests']);
    const [review, mine] = Array.from(status.node.querySelectorAll<HTMLButtonElement>('button'));
    expect(review.getAttribute('aria-label')).toBe('Review “Fix the VAT rate” on Tax model from bob');
    expect(mine.getAttribute('aria-label')).toBe('“Fix the VAT rate” on Budget: Declined by carol');
    expect(mine.textContent).toContain('“Not this quarter”');
    mine.click();
    expect(opened).toEqual([{ id: 'nb-2', requestId: 'cr-2' }]);
    const queries = gallery.requests('GET', '/api/change-requests').map(r => new URL(r.url).search);
    expect(queries.sort()).toEqual(['?role=proposer', '?role=reviewer&status=open']);
  });

  it('stays out of the way when there are none, or the gallery has no change requests', async () => {
    const empty = statusFor(new FakeGallery().on('GET', '/api/change-requests', { status: 200, body: { items: [] } }));
    await empty.status.refresh();
    expect(empty.status.isHidden).toBe(true);
    document.body.replaceChildren();

    const old = statusFor(
      new FakeGallery().on('GET', '/api/change-requests', {
        status: 404,
        body: { error: 'NOT_FOUND', message: 'Route GET:/api/change-requests not found' }
      })
    );
    await old.status.refresh();
    expect(old.status.isHidden).toBe(true);
  });
});

import type {
  IChangeRequest,
  INotebook,
  INotebookDiff,
  IRevision,
  IRevisionDiffResponse
} from '@notebook-gallery/core';
import { Widget } from '@lumino/widgets';
import { HistoryPanel, type IHistoryActions } from '../src/widgets/historyPanel';
import { FakeGallery, clientFor, summary, trans } from './helpers';

const V1 = '1'.repeat(40);
const V2 = '2'.repeat(40);
const V3 = '3'.repeat(40);

const revisions: IRevision[] = [
  { revision: V3, number: 3, author: 'bob', message: 'Use the 2026 rates', createdAt: '2026-03-03T10:00:00.000Z' },
  { revision: V2, number: 2, author: 'alice', message: '', createdAt: '2026-02-02T10:00:00.000Z' },
  { revision: V1, number: 1, author: 'alice', message: 'First version', createdAt: '2026-01-01T10:00:00.000Z' }
];

const oneChange: INotebookDiff = {
  cells: [
    {
      status: 'modified',
      moved: false,
      id: 'calc',
      cellType: 'code',
      fromIndex: 0,
      toIndex: 0,
      source: [
        { op: 'removed', text: 'rate = 0.19', from: 0 },
        { op: 'added', text: 'rate = 0.21', to: 0 }
      ]
    }
  ],
  metadata: [],
  summary: { added: 0, removed: 0, modified: 1, moved: 0, unchanged: 0 }
};

function notebook(source: string): INotebook {
  return {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: {},
    cells: [{ id: 'calc', cell_type: 'code', source, metadata: {}, outputs: [], execution_count: null }]
  };
}

/** What the first revision is compared with: a fork's parent, or nothing (hidden when the fork's parent is gone). */
type FirstBase = Pick<IRevisionDiffResponse, 'parent' | 'parentHidden'>;

/**
 * A fake gallery holding notebook nb-1 with three revisions; `canEdit` is the caller's right, `first` what the
 * server compares the first revision with.
 */
function galleryFor(
  canEdit: boolean,
  requests: IChangeRequest[] = [],
  first: FirstBase = { parent: null, parentHidden: false }
): FakeGallery {
  return new FakeGallery()
    .on('GET', '/api/notebooks/nb-1', {
      status: 200,
      body: summary({ title: 'Tax model', revision: V3, revisionNumber: 3, canEdit, canManage: canEdit })
    })
    .on('GET', '/api/notebooks/nb-1/revisions', { status: 200, body: { items: revisions } })
    .on('GET', '/api/notebooks/nb-1/diff', request => {
      const to = new URL(request.url).searchParams.get('to');
      const number = revisions.find(r => r.revision === to)!.number;
      return {
        status: 200,
        body: {
          from: number === 1 ? null : { revision: 'x', number: number - 1 },
          to: { revision: to, number },
          ...(number === 1 ? first : { parent: null, parentHidden: false }),
          diff: oneChange
        }
      };
    })
    .on('GET', '/api/notebooks/nb-1/lineage', {
      status: 200,
      body: {
        parent: { id: 'nb-0', title: 'Tax template', owner: 'carol', revision: 'p' },
        parentHidden: false,
        forks: [{ id: 'nb-9', title: 'Tax model (Dana)', owner: 'dana', revision: 'f' }]
      }
    })
    .on('GET', '/api/notebooks/nb-1/change-requests', { status: 200, body: { items: requests } })
    .on('GET', '/api/notebooks/nb-1/content', { status: 200, body: notebook('rate = 0.21\n') });
}

function fakeActions(): IHistoryActions & { calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    openRevision: (_summary, revision) => calls.push(`open ${revision.number}`),
    download: async (_summary, revision) => void calls.push(`download ${revision.number}`),
    restore: async (_summary, revision) => {
      calls.push(`restore ${revision.number}`);
      return true;
    },
    openHistory: id => calls.push(`history ${id}`),
    openChangeRequest: (id, requestId) => calls.push(`request ${id} ${requestId}`),
    proposeChanges: id => calls.push(`propose ${id}`),
    notebookGone: id => {
      calls.push(`gone ${id}`);
      return [];
    },
    openLocalCopy: path => calls.push(`open copy ${path}`)
  };
}

async function openPanel(gallery: FakeGallery, localCopy: unknown | null = null) {
  const { client } = clientFor(gallery);
  const actions = fakeActions();
  const panel = new HistoryPanel({ notebookId: 'nb-1', client, trans, actions, localCopy: () => localCopy });
  Widget.attach(panel, document.body);
  await panel.refresh();
  return { panel, actions };
}

const versionLabels = (panel: HistoryPanel): string[] =>
  Array.from(panel.node.querySelectorAll('.jp-NotebookGallery-revisionButton')).map(
    button => button.getAttribute('aria-label') ?? ''
  );
const buttonNamed = (root: HTMLElement, name: string): HTMLButtonElement | undefined =>
  Array.from(root.querySelectorAll('button')).find(button => button.textContent === name);
const diffRequests = (gallery: FakeGallery): Array<string | null> =>
  gallery.requests('GET', '/api/notebooks/nb-1/diff').map(r => new URL(r.url).searchParams.get('to'));

afterEach(() => {
  document.body.replaceChildren();
});

describe('HistoryPanel', () => {
  it('lists every version with its number, author, time and message, newest first', async () => {
    const { panel } = await openPanel(galleryFor(true));
    expect(panel.node.querySelector('h2')?.textContent).toBe('History of “Tax model”');
    expect(panel.title.label).toBe('History: Tax model');
    const labels = versionLabels(panel);
    expect(labels).toHaveLength(3);
    expect(labels[0]).toMatch(/^Version 3, latest, by bob, .+, Use the 2026 rates$/);
    expect(labels[1]).toMatch(/^Version 2, by alice, .+, no message$/);
    expect(labels[2]).toMatch(/^Version 1, by alice, .+, First version$/);
    const times = Array.from(panel.node.querySelectorAll('.jp-NotebookGallery-revisionButton time'));
    expect(times.map(time => time.getAttribute('datetime'))).toEqual(revisions.map(r => r.createdAt));
  });

  it('shows what changed in the latest version first, and in any version chosen', async () => {
    const gallery = galleryFor(true);
    const { panel } = await openPanel(gallery);
    expect(diffRequests(gallery)).toEqual([V3]);
    expect(panel.diffView.node.querySelector('h3')?.textContent).toBe('Changes from version 2 to version 3');
    expect(panel.diffView.node.textContent).toContain('Cell 1 changed');

    const first = panel.node.querySelector<HTMLButtonElement>(`[data-revision="${V1}"]`)!;
    first.click();
    await new Promise(resolve => setTimeout(resolve, 0));
    expect(diffRequests(gallery)).toEqual([V3, V1]);
    expect(panel.diffView.node.querySelector('h3')?.textContent).toBe('Changes from an empty notebook to version 1');
    expect(panel.node.querySelector(`[data-revision="${V1}"]`)?.getAttribute('aria-current')).toBe('true');
  });

  it("compares a fork's first version with the parent's version it was made from, and says so", async () => {
    const gallery = galleryFor(true, [], {
      parent: { id: 'nb-0', title: 'Week 1', owner: 'alice', ownerKind: 'user', revision: 'p', number: 3 },
      parentHidden: false
    });
    const { panel } = await openPanel(gallery);
    await panel.select(V1);
    const view = panel.diffView.node;
    expect(view.querySelector('h3')?.textContent).toBe('Changes from alice’s “Week 1”, version 3 to version 1');
    expect(view.querySelector('.jp-NotebookGallery-diffBase')?.textContent).toBe(
      'This notebook is a fork: its first version is compared with alice’s “Week 1”, version 3, the version it was made from.'
    );
    // A later version is compared with the one before it, without the note.
    await panel.select(V2);
    expect(view.querySelector('h3')?.textContent).toBe('Changes from version 1 to version 2');
    expect(view.querySelector('.jp-NotebookGallery-diffBase')).toBeNull();
  });

  it("says why a fork's first version is compared with an empty notebook when its parent is gone or hidden", async () => {
    const { panel } = await openPanel(galleryFor(true, [], { parent: null, parentHidden: true }));
    await panel.select(V1);
    const view = panel.diffView.node;
    expect(view.querySelector('h3')?.textContent).toBe('Changes from an empty notebook to version 1');
    expect(view.querySelector('.jp-NotebookGallery-diffBase')?.textContent).toBe(
      'This notebook is a fork, but the notebook it was made from has been deleted or is not shared with you, so its first version is compared with an empty notebook.'
    );
  });

  it('offers restore to editors for older versions only, and reloads after a restore', async () => {
    const gallery = galleryFor(true);
    const { panel, actions } = await openPanel(gallery);
    expect(buttonNamed(panel.node, 'Restore…')).toBeUndefined();

    await panel.select(V1);
    const restore = buttonNamed(panel.node, 'Restore…');
    expect(restore).toBeDefined();
    restore!.click();
    await new Promise(resolve => setTimeout(resolve, 0));
    await new Promise(resolve => setTimeout(resolve, 0));
    expect(actions.calls).toEqual(['restore 1']);
    expect(gallery.requests('GET', '/api/notebooks/nb-1/revisions')).toHaveLength(2);

    buttonNamed(panel.node, 'Open read-only')!.click();
    buttonNamed(panel.node, 'Download')!.click();
    expect(actions.calls).toEqual(['restore 1', 'open 1', 'download 1']);
  });

  it('shows where the notebook was forked from and its forks, each opening that history', async () => {
    const { panel, actions } = await openPanel(galleryFor(true));
    const lineage = panel.node.querySelector('.jp-NotebookGallery-lineage') as HTMLElement;
    expect(lineage.textContent).toContain('Forked from Tax template by carol');
    expect(lineage.textContent).toContain('1 fork');
    buttonNamed(lineage, 'Tax template by carol')!.click();
    buttonNamed(lineage, 'Tax model (Dana) by dana')!.click();
    expect(actions.calls).toEqual(['history nb-0', 'history nb-9']);
  });

  it('tells a reader what they can do instead of restoring: propose changes', async () => {
    const { panel, actions } = await openPanel(galleryFor(false));
    await panel.select(V1);
    expect(buttonNamed(panel.node, 'Restore…')).toBeUndefined();
    const requests = panel.node.querySelector('.jp-NotebookGallery-historyRequests') as HTMLElement;
    expect(requests.textContent).toContain('You may read this notebook but not edit it.');
    buttonNamed(requests, 'Propose changes…')!.click();
    expect(actions.calls).toEqual(['propose nb-1']);
  });

  it('lists the open change requests for an editor to review', async () => {
    const request: IChangeRequest = {
      id: 'cr-1',
      notebookId: 'nb-1',
      notebookTitle: 'Tax model',
      proposer: 'bob',
      message: 'Fix the VAT rate',
      baseRevision: V3,
      status: 'open',
      createdAt: '2026-03-04T10:00:00.000Z',
      decidedAt: null,
      decidedBy: null,
      comment: null,
      acceptedRevision: null,
      canDecide: true
    };
    const gallery = galleryFor(true, [request]);
    const { panel, actions } = await openPanel(gallery);
    expect(new URL(gallery.requests('GET', '/api/notebooks/nb-1/change-requests')[0].url).search).toBe('?status=open');
    const requests = panel.node.querySelector('.jp-NotebookGallery-historyRequests') as HTMLElement;
    expect(requests.querySelector('h3')?.textContent).toBe('Change requests to review');
    const item = requests.querySelector('.jp-NotebookGallery-requestButton') as HTMLButtonElement;
    expect(item.getAttribute('aria-label')).toMatch(/^Fix the VAT rate, proposed by bob .+, Waiting for review$/);
    item.click();
    expect(actions.calls).toEqual(['request nb-1 cr-1']);
  });

  it('asks for the copy to be opened before comparing with it', async () => {
    const { panel } = await openPanel(galleryFor(true), null);
    buttonNamed(panel.node, 'Compare with your copy')!.click();
    await new Promise(resolve => setTimeout(resolve, 0));
    expect(panel.diffView.node.textContent).toBe(
      'Your copy of this notebook is not open. Open it (from the Gallery sidebar or the file browser), then choose Compare with your copy again.'
    );
  });

  it('compares the selected version with the open copy, ignoring outputs', async () => {
    const copy = notebook('rate = 0.25\n');
    copy.metadata = { gallery: { id: 'nb-1', revision: V3, server: 'x' } };
    (copy.cells[0] as any).outputs = [{ output_type: 'stream', name: 'stdout', text: 'LOCAL OUTPUT' }];
    const gallery = galleryFor(true);
    const { panel } = await openPanel(gallery, copy);
    buttonNamed(panel.node, 'Compare with your copy')!.click();
    await new Promise(resolve => setTimeout(resolve, 10));
    expect(new URL(gallery.requests('GET', '/api/notebooks/nb-1/content')[0].url).search).toBe(`?revision=${V3}`);
    const view = panel.diffView.node;
    expect(view.querySelector('h3')?.textContent).toBe('Changes from version 3 to your copy');
    expect(view.querySelector('.jp-NotebookGallery-diffSummary')?.textContent).toBe('1 cell changed');
    expect(view.textContent).toContain('rate = 0.25');
    expect(view.textContent).not.toContain('LOCAL OUTPUT');
  });

  // A notebook that is gone gets no Try again (goneNotebook.test.ts); a failure that may pass does.
  it('says what failed and offers to try again when the history cannot be loaded', async () => {
    const gallery = new FakeGallery().on('GET', '/api/notebooks/nb-1', {
      status: 503,
      body: { error: 'SERVICE_UNAVAILABLE', message: 'The gallery is restarting; try again in a minute.' }
    });
    gallery.on('GET', '/api/notebooks/nb-1/revisions', { status: 200, body: { items: [] } });
    const { panel } = await openPanel(gallery);
    const alert = panel.node.querySelector('[role="alert"]') as HTMLElement;
    expect(alert.textContent).toContain(
      'The history could not be loaded. The gallery is restarting; try again in a minute.'
    );
    expect(buttonNamed(alert, 'Try again')).toBeDefined();
    expect(alert.textContent).not.toMatch(/at .+\.ts/);
  });
});

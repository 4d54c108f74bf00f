/**
 * A notebook deleted from the gallery (or no longer shared) while a list still shows it (issue 13): every path says
 * so in the same words instead of "No notebook with id …", refreshes the list, and offers the user's local copy; and
 * the owner's *Delete from gallery…* says what it affects before it deletes.
 */
import type { IDeletionImpact } from '@notebook-gallery/core';
import type { IDocumentManager } from '@jupyterlab/docmanager';
import { CommandRegistry } from '@lumino/commands';
import { Widget } from '@lumino/widgets';
import { deleteFromGallery } from '../src/commands/deleteFromGallery';
import { notebookGone } from '../src/commands/goneNotebook';
import { deletionText } from '../src/dialogs/deleteDialog';
import { notebookGoneText } from '../src/galleryError';
import { CopyRegistry } from '../src/services/copyRegistry';
import { GalleryModel } from '../src/services/galleryModel';
import { CommandIDs } from '../src/tokens';
import { GalleryBrowser } from '../src/widgets/galleryBrowser';
import { HistoryPanel, type IHistoryActions } from '../src/widgets/historyPanel';
import { FakeGallery, MemoryStorage, SERVER, clientFor, listed, settle, summary, trans } from './helpers';

const GONE = {
  status: 404,
  body: { error: 'NOTEBOOK_NOT_FOUND', message: 'No notebook with id "yFMNFtrQVUiSK23m"' }
};
const ONE_SENTENCE = 'This notebook is no longer in the gallery: it was deleted, or you can no longer read it.';

afterEach(() => {
  document.body.replaceChildren();
});

/** A gallery whose list still shows n1 (a stale list) while the notebook itself is gone. */
function staleGallery(): FakeGallery {
  let listings = 0;
  return new FakeGallery()
    .on('GET', '/api/notebooks', () => ({
      status: 200,
      // The first listing still has it; the refresh no longer does.
      body: { items: listings++ === 0 ? [summary({ id: 'n1', title: 'Optics' })] : [], nextCursor: null }
    }))
    .on('GET', '/api/notebooks/facets', { status: 200, body: { tags: [], owners: [], languages: [] } })
    .on('POST', '/api/notebooks/n1/activity', GONE)
    .on('GET', '/api/notebooks/n1', GONE);
}

function buttonNamed(root: ParentNode, name: string): HTMLButtonElement | undefined {
  return Array.from(root.querySelectorAll('button')).find(button => button.textContent === name);
}

describe('the one message for a notebook that is gone', () => {
  it('is a sentence in words, not the server’s id', () => {
    expect(notebookGoneText(trans)).toBe(ONE_SENTENCE);
  });

  it('in the preview: no Try again, the list refreshed, and the local copy offered', async () => {
    const gallery = staleGallery();
    const { client } = clientFor(gallery);
    const model = new GalleryModel(client);
    const commands = new CommandRegistry();
    const opened: unknown[] = [];
    commands.addCommand('docmanager:open', { execute: args => void opened.push(args) });
    const browser = new GalleryBrowser({
      model,
      commands,
      trans,
      searchDelay: 10_000,
      localCopies: id => (id === 'n1' ? ['gallery/optics.ipynb'] : [])
    });
    Widget.attach(browser, document.body);
    const first = listed(model);
    void model.refresh();
    await first;
    expect(model.items.map(item => item.id)).toEqual(['n1']);

    const refreshed = listed(model);
    browser.node.querySelector<HTMLButtonElement>('[data-action="preview"]')!.click();
    await refreshed;
    await settle();
    const alert = browser.node.querySelector<HTMLElement>('.jp-NotebookGallery-preview [role="alert"]')!;
    expect(alert.textContent).toContain(ONE_SENTENCE);
    expect(alert.textContent).toContain(
      'Your copy at gallery/optics.ipynb stays on this machine, but it no longer receives updates.'
    );
    expect(alert.textContent).not.toContain('yFMNFtrQVUiSK23m');
    expect(buttonNamed(alert, 'Try again')).toBeUndefined();
    // The list behind the preview no longer offers it.
    expect(model.items).toEqual([]);
    buttonNamed(alert, 'Open your copy')!.click();
    expect(opened).toEqual([{ path: 'gallery/optics.ipynb' }]);
  });

  it('from a command (open, share, delete): a dialog that refreshes the list and opens the local copy', async () => {
    const gallery = staleGallery();
    const { client } = clientFor(gallery);
    const model = new GalleryModel(client);
    const registry = new CopyRegistry({ scope: '/', storage: new MemoryStorage() });
    registry.remember('gallery/optics.ipynb', { id: 'n1', revision: 'a'.repeat(40), server: SERVER });
    const revealed: string[] = [];
    const docManager = { openOrReveal: (path: string) => void revealed.push(path) } as unknown as IDocumentManager;
    const gone = notebookGone({ client, model, registry, docManager, trans });
    // JupyterLab's dialog focuses itself when the browser is idle; jsdom has no idle callbacks.
    (window as any).requestIdleCallback ??= (callback: () => void) => setTimeout(callback, 0);

    const shown = gone('n1');
    await settle(50);
    const dialog = document.querySelector<HTMLElement>('.jp-Dialog')!;
    expect(dialog.querySelector('.jp-Dialog-header')?.textContent).toBe('Notebook no longer in the gallery');
    expect(dialog.textContent).toContain(ONE_SENTENCE);
    expect(dialog.textContent).toContain('Your copy at gallery/optics.ipynb stays on this machine');
    expect(gallery.requests('GET', '/api/notebooks')).toHaveLength(1);
    buttonNamed(dialog, 'Open your copy')!.click();
    await shown;
    expect(revealed).toEqual(['gallery/optics.ipynb']);
  });

  it('in the history panel: the same sentence, no Try again that cannot help, the list refreshed, and the copy', async () => {
    const gallery = new FakeGallery()
      .on('GET', '/api/notebooks/n1', GONE)
      .on('GET', '/api/notebooks/n1/revisions', GONE);
    const { client } = clientFor(gallery);
    const calls: string[] = [];
    const panel = new HistoryPanel({
      notebookId: 'n1',
      client,
      trans,
      actions: {
        notebookGone: (id: string) => {
          calls.push(`gone ${id}`);
          return ['gallery/optics.ipynb'];
        },
        openLocalCopy: (path: string) => void calls.push(`open ${path}`)
      } as unknown as IHistoryActions,
      localCopy: () => null
    });
    Widget.attach(panel, document.body);
    await panel.refresh();
    const alert = panel.node.querySelector<HTMLElement>('[role="alert"]')!;
    expect(alert.textContent).toContain(ONE_SENTENCE);
    expect(alert.textContent).toContain('Your copy at gallery/optics.ipynb stays on this machine');
    expect(buttonNamed(alert, 'Try again')).toBeUndefined();
    expect(calls).toContain('gone n1');
    buttonNamed(alert, 'Open your copy')!.click();
    expect(calls).toContain('open gallery/optics.ipynb');
    panel.dispose();
  });

  it('in the history panel without a local copy: only the sentence', async () => {
    const gallery = new FakeGallery()
      .on('GET', '/api/notebooks/n1', GONE)
      .on('GET', '/api/notebooks/n1/revisions', GONE);
    const { client } = clientFor(gallery);
    const panel = new HistoryPanel({
      notebookId: 'n1',
      client,
      trans,
      actions: { notebookGone: () => [], openLocalCopy: () => undefined } as unknown as IHistoryActions,
      localCopy: () => null
    });
    Widget.attach(panel, document.body);
    await panel.refresh();
    const alert = panel.node.querySelector<HTMLElement>('[role="alert"]')!;
    expect(alert.textContent).toBe(ONE_SENTENCE);
    expect(buttonNamed(alert, 'Open your copy')).toBeUndefined();
    panel.dispose();
  });
});

describe('Delete from gallery…', () => {
  const impact: IDeletionImpact = { revisions: 4, forks: 2, openedBy: 3 };

  function galleryOf(): FakeGallery {
    return new FakeGallery()
      .on('GET', '/api/notebooks/n1', { status: 200, body: summary({ id: 'n1', title: 'Optics', revisionNumber: 4 }) })
      .on('GET', '/api/notebooks/n1/deletion-impact', { status: 200, body: impact })
      .on('DELETE', '/api/notebooks/n1', { status: 204 });
  }

  it('asks first, naming the notebook and what it affects, and deletes once confirmed', async () => {
    const gallery = galleryOf();
    const { client } = clientFor(gallery);
    const asked: unknown[] = [];
    const deleted = await deleteFromGallery('n1', {
      client,
      confirm: async (asking, affected) => {
        asked.push([asking.title, affected]);
        return true;
      }
    });
    expect(asked).toEqual([['Optics', impact]]);
    expect(deleted?.title).toBe('Optics');
    expect(gallery.requests('DELETE', '/api/notebooks/n1')).toHaveLength(1);
  });

  it('deletes nothing when the user cancels', async () => {
    const gallery = galleryOf();
    const { client } = clientFor(gallery);
    expect(await deleteFromGallery('n1', { client, confirm: async () => false })).toBeNull();
    expect(gallery.requests('DELETE', '/api/notebooks/n1')).toHaveLength(0);
  });

  it('says how many versions go, which copies stay, and that local copies stop receiving updates', () => {
    expect(deletionText(trans, impact)).toEqual([
      'All 4 versions of it are deleted for everyone who can see it.',
      '2 forks saved from it in the gallery stay, as notebooks of their own.',
      '3 people opened a copy. Local copies stay on people’s machines, but stop receiving updates.',
      'This cannot be undone from JupyterLab.'
    ]);
    expect(deletionText(trans, { revisions: 1, forks: 0, openedBy: 0 })).toEqual([
      'Its only version is deleted for everyone who can see it.',
      'Nobody has opened a copy yet. Any local copy stays where it is, but stops receiving updates.',
      'This cannot be undone from JupyterLab.'
    ]);
  });

  it('is offered in the preview to its owner, and the preview closes once it is deleted', async () => {
    const item = summary({ id: 'n1', title: 'Optics', canManage: true });
    const gallery = new FakeGallery()
      .on('GET', '/api/notebooks', { status: 200, body: { items: [item], nextCursor: null } })
      .on('GET', '/api/notebooks/facets', { status: 200, body: { tags: [], owners: [], languages: [] } })
      .on('GET', '/api/notebooks/n1', { status: 200, body: item })
      .on('GET', '/api/notebooks/n1/content', {
        status: 200,
        body: { nbformat: 4, nbformat_minor: 5, metadata: {}, cells: [] }
      })
      .on('POST', '/api/notebooks/n1/activity', { status: 204 })
      .on('GET', '/api/notebooks/n1/similar', { status: 200, body: { similar: [], alsoOpened: [] } });
    const { client } = clientFor(gallery);
    const model = new GalleryModel(client);
    const commands = new CommandRegistry();
    const asked: unknown[] = [];
    commands.addCommand(CommandIDs.delete, {
      execute: args => {
        asked.push(args);
        return true;
      }
    });
    const browser = new GalleryBrowser({ model, commands, trans, searchDelay: 10_000 });
    Widget.attach(browser, document.body);
    const answered = listed(model);
    void model.refresh();
    await answered;
    await browser.preview('n1');
    const pane = browser.node.querySelector<HTMLElement>('.jp-NotebookGallery-preview')!;
    const remove = Array.from(pane.querySelectorAll('button')).find(
      button => button.getAttribute('aria-label') === 'Delete from gallery: Optics'
    )!;
    remove.click();
    await settle();
    expect(asked).toEqual([{ id: 'n1' }]);
    expect(pane.hidden).toBe(true);
  });
});

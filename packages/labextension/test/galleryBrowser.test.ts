import { CommandRegistry } from '@lumino/commands';
import { Widget } from '@lumino/widgets';
import { CopyRegistry } from '../src/services/copyRegistry';
import { CopyUpdates } from '../src/services/copyUpdates';
import { GalleryModel } from '../src/services/galleryModel';
import { CommandIDs } from '../src/tokens';
import { GalleryBrowser } from '../src/widgets/galleryBrowser';
import { FakeGallery, MemoryStorage, SERVER, clientFor, summary, trans } from './helpers';

/** The sidebar's browser on a fake gallery where every listing is empty, attached as the sidebar shows it. */
function browserFor(gallery: FakeGallery) {
  gallery.on('GET', '/api/notebooks', { status: 200, body: { items: [], nextCursor: null } });
  const { client } = clientFor(gallery);
  const model = new GalleryModel(client);
  const browser = new GalleryBrowser({ model, commands: new CommandRegistry(), trans, searchDelay: 10_000 });
  Widget.attach(browser, document.body);
  const search = browser.node.querySelector('input[type="search"]') as HTMLInputElement;
  const show = browser.node.querySelector('select') as HTMLSelectElement;
  const listed = () =>
    gallery.requests('GET', '/api/notebooks').map(request => Object.fromEntries(new URL(request.url).searchParams));
  return { model, browser, search, show, listed };
}

/** Resolves once the model has an answer. */
function ready(model: GalleryModel): Promise<void> {
  return new Promise(resolve => {
    const check = (): void => {
      if (model.status === 'ready') {
        model.stateChanged.disconnect(check);
        resolve();
      }
    };
    model.stateChanged.connect(check);
  });
}

afterEach(() => {
  document.body.replaceChildren();
});

describe('GalleryBrowser', () => {
  it('searches what was typed when the filter changes before the typing pause ends, and keeps the text', async () => {
    const { model, search, show, listed } = browserFor(new FakeGallery());
    search.focus();
    search.value = 'payroll';
    search.dispatchEvent(new Event('input'));
    // Focus moves to the filter right away, as a click on "Show" does.
    search.blur();
    const answered = ready(model);
    show.value = 'shared';
    show.dispatchEvent(new Event('change'));
    await answered;

    expect(listed()).toEqual([{ q: 'payroll', scope: 'shared', limit: '50' }]);
    expect(search.value).toBe('payroll');
    expect(model.query).toBe('payroll');
  });

  it('never puts an older query back into the box while the list re-renders', async () => {
    const { model, search } = browserFor(new FakeGallery());
    let answered = ready(model);
    search.value = 'payroll';
    search.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter' }));
    await answered;

    // The user clears the box; before they press Enter, focus leaves it and the list reloads (a login, a refresh).
    search.value = '';
    search.blur();
    answered = ready(model);
    void model.refresh();
    await answered;
    expect(search.value).toBe('');

    answered = ready(model);
    search.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter' }));
    await answered;
    expect(model.query).toBe('');
    expect(model.items).toEqual([]);
  });

  it('lists the notebooks the model holds', async () => {
    const gallery = new FakeGallery().on('GET', '/api/notebooks', {
      status: 200,
      body: { items: [summary({ id: 'n1', title: 'Sales by region' })], nextCursor: null }
    });
    const { client } = clientFor(gallery);
    const model = new GalleryModel(client);
    const browser = new GalleryBrowser({ model, commands: new CommandRegistry(), trans });
    Widget.attach(browser, document.body);
    await model.refresh();
    expect(browser.node.textContent).toContain('Sales by region');
  });

  it('offers Update available on a notebook whose copy here is behind, and updates that copy', async () => {
    const gallery = new FakeGallery().on('GET', '/api/notebooks', {
      status: 200,
      body: {
        items: [
          summary({ id: 'n1', title: 'Week 1', revision: '2'.repeat(40), revisionNumber: 2 }),
          summary({ id: 'n2', title: 'Week 2', revision: '5'.repeat(40), revisionNumber: 5 })
        ],
        nextCursor: null
      }
    });
    const { client } = clientFor(gallery);
    const model = new GalleryModel(client);
    const registry = new CopyRegistry({ scope: '/', storage: new MemoryStorage() });
    registry.remember('gallery/week-1.ipynb', { id: 'n1', revision: '1'.repeat(40), server: SERVER });
    registry.remember('gallery/week-2.ipynb', { id: 'n2', revision: '5'.repeat(40), server: SERVER });
    const updates = new CopyUpdates(client, registry);
    model.stateChanged.connect(() => updates.noteListed(model.items));
    const commands = new CommandRegistry();
    const executed: unknown[] = [];
    commands.addCommand(CommandIDs.update, { execute: args => void executed.push(args) });
    const browser = new GalleryBrowser({ model, commands, trans, updates });
    Widget.attach(browser, document.body);
    await model.refresh();

    const buttons = Array.from(browser.node.querySelectorAll<HTMLButtonElement>('.jp-NotebookGallery-update'));
    expect(buttons.map(button => button.getAttribute('aria-label'))).toEqual([
      'Update available: update your copy of Week 1'
    ]);
    buttons[0].click();
    expect(executed).toEqual([{ id: 'n1' }]);

    registry.remember('gallery/week-1.ipynb', { id: 'n1', revision: '2'.repeat(40), server: SERVER });
    expect(browser.node.querySelectorAll('.jp-NotebookGallery-update')).toHaveLength(0);
  });

  it('keeps the rows in place when a check for updates (run as the user clicks into the sidebar) changes nothing', async () => {
    const gallery = new FakeGallery()
      .on('GET', '/api/notebooks', {
        status: 200,
        body: { items: [summary({ id: 'n1', title: 'Week 1', revision: '2'.repeat(40) })], nextCursor: null }
      })
      .on('GET', '/api/notebooks/n1', {
        status: 200,
        body: summary({ id: 'n1', title: 'Week 1', revision: '2'.repeat(40) })
      });
    const { client } = clientFor(gallery);
    const model = new GalleryModel(client);
    const registry = new CopyRegistry({ scope: '/', storage: new MemoryStorage() });
    registry.remember('gallery/week-1.ipynb', { id: 'n1', revision: '2'.repeat(40), server: SERVER });
    const updates = new CopyUpdates(client, registry);
    model.stateChanged.connect(() => updates.noteListed(model.items));
    const browser = new GalleryBrowser({ model, commands: new CommandRegistry(), trans, updates });
    Widget.attach(browser, document.body);
    await model.refresh();
    const row = browser.node.querySelector<HTMLButtonElement>('.jp-NotebookGallery-item')!;

    // The press of a click focuses the row, the check answers before the release: the row must still be there.
    await updates.checkOnFocus();
    expect(gallery.requests('GET', '/api/notebooks/n1')).toHaveLength(1);
    expect(browser.node.querySelector('.jp-NotebookGallery-item')).toBe(row);
    expect(row.isConnected).toBe(true);
    browser.dispose();
  });
});

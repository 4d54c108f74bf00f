import { CommandRegistry } from '@lumino/commands';
import { Widget } from '@lumino/widgets';
import { GalleryModel } from '../src/services/galleryModel';
import { GalleryBrowser } from '../src/widgets/galleryBrowser';
import { FakeGallery, clientFor, summary, trans } from './helpers';

/** The sidebar's browser on a fake gallery where every listing is empty, attached as the sidebar shows it. */
function browserFor(gallery: FakeGallery) {
  gallery.on('GET', '/api/notebooks', { status: 200, body: { items: [], nextCursor: null } });
  const { client } = clientFor(gallery);
  const model = new GalleryModel(client);
  const browser = new GalleryBrowser({ model, commands: new CommandRegistry(), trans, searchDelay: 10_000 });
  Widget.attach(browser, document.body);
  const search = browser.node.querySelector('input[type="search"]') as HTMLInputElement;
  const show = browser.node.querySelector('select') as HTMLSelectElement;
  const listed = () => gallery.sent.map(request => Object.fromEntries(new URL(request.url).searchParams));
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
});

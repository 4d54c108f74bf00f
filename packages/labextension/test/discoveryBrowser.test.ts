/** The sidebar's discovery parts in jsdom over a scripted gallery: chips, sort, stars, tag suggestions, empty states. */
import { toggleWord, type IFacetsResponse, type INotebookListItem } from '@notebook-gallery/core';
import { CommandRegistry } from '@lumino/commands';
import { Widget } from '@lumino/widgets';
import { GalleryModel } from '../src/services/galleryModel';
import { GalleryBrowser } from '../src/widgets/galleryBrowser';
import { FakeGallery, clientFor, listed, settle, summary, trans, type ISentRequest } from './helpers';

const NO_FACETS: IFacetsResponse = { tags: [], owners: [], languages: [] };

/** A browser over `gallery` answering every listing with `items`, attached as the sidebar shows it. */
async function browserFor(
  gallery: FakeGallery,
  items: INotebookListItem[] | ((request: ISentRequest) => INotebookListItem[]),
  facets: IFacetsResponse = NO_FACETS
) {
  gallery.on('GET', '/api/notebooks/facets', { status: 200, body: facets }).on('GET', '/api/notebooks', request => ({
    status: 200,
    body: { items: typeof items === 'function' ? items(request) : items, nextCursor: null }
  }));
  const { client } = clientFor(gallery);
  const model = new GalleryModel(client);
  const browser = new GalleryBrowser({ model, commands: new CommandRegistry(), trans, searchDelay: 10_000 });
  Widget.attach(browser, document.body);
  const answered = listed(model);
  void model.refresh();
  await answered;
  await settle();
  const search = browser.node.querySelector('input[type="search"]') as HTMLInputElement;
  const lists = () =>
    gallery.requests('GET', '/api/notebooks').map(request => Object.fromEntries(new URL(request.url).searchParams));
  return { model, browser, search, lists };
}

afterEach(() => {
  document.body.replaceChildren();
});

describe('facet chips', () => {
  const facets: IFacetsResponse = {
    tags: [
      { value: 'maps', count: 3 },
      { value: 'time series', count: 2 }
    ],
    owners: [{ value: 'alice', count: 4 }],
    languages: [{ value: 'python', count: 5 }]
  };

  it('add their filter to the query and search; pressed again, take it out', async () => {
    const { model, browser, search, lists } = await browserFor(new FakeGallery(), [summary()], facets);
    const chip = (name: RegExp) =>
      Array.from(browser.node.querySelectorAll<HTMLButtonElement>('.jp-NotebookGallery-chip')).find(button =>
        name.test(button.getAttribute('aria-label') ?? '')
      )!;
    expect(chip(/^maps, 3 notebooks$/).getAttribute('aria-pressed')).toBe('false');

    search.value = 'sales';
    let answered = listed(model);
    chip(/^time series/).click();
    await answered;
    expect(search.value).toBe('sales tag:"time series"');
    expect(lists().at(-1)).toEqual({ q: 'sales tag:"time series"', limit: '50' });
    await settle();
    expect(chip(/^time series/).getAttribute('aria-pressed')).toBe('true');

    answered = listed(model);
    chip(/^alice/).click();
    await answered;
    answered = listed(model);
    chip(/^python/).click();
    await answered;
    expect(model.query).toBe('sales tag:"time series" owner:alice lang:python');

    answered = listed(model);
    chip(/^time series/).click();
    await answered;
    expect(search.value).toBe('sales owner:alice lang:python');
  });

  it('are grouped and named for screen readers', async () => {
    const { browser } = await browserFor(new FakeGallery(), [summary()], facets);
    const groups = Array.from(browser.node.querySelectorAll('.jp-NotebookGallery-facetGroup'));
    expect(groups.map(group => document.getElementById(group.getAttribute('aria-labelledby')!)?.textContent)).toEqual([
      'Tags',
      'Owners',
      'Languages'
    ]);
  });

  it('match query words without regard to case or quotes', () => {
    expect(toggleWord('plot Tag:Maps', 'tag:maps')).toBe('plot');
    expect(toggleWord('plot tag:"time series"', 'tag:"time series"')).toBe('plot');
    expect(toggleWord('', 'owner:alice')).toBe('owner:alice');
  });
});

describe('the sort and the Starred filter', () => {
  it('list in the chosen order, and only starred notebooks under Show → Starred', async () => {
    const { browser, model, lists } = await browserFor(new FakeGallery(), [summary()]);
    const [show, sort] = Array.from(browser.node.querySelectorAll('select'));
    let answered = listed(model);
    sort.value = 'stars';
    sort.dispatchEvent(new Event('change'));
    await answered;
    answered = listed(model);
    show.value = 'starred';
    show.dispatchEvent(new Event('change'));
    await answered;
    expect(lists().slice(1)).toEqual([
      { sort: 'stars', limit: '50' },
      { sort: 'stars', starred: 'true', limit: '50' }
    ]);
    expect(model.starred).toBe(true);
    expect(model.scope).toBeNull();
  });
});

describe('star buttons', () => {
  it('toggle with aria-pressed and the count the server answers, and keep the focus', async () => {
    let stars = 2;
    const gallery = new FakeGallery()
      .on('PUT', '/api/notebooks/nb-1/star', () => ({ status: 200, body: { starred: true, stars: ++stars } }))
      .on('DELETE', '/api/notebooks/nb-1/star', () => ({ status: 200, body: { starred: false, stars: --stars } }));
    const { browser } = await browserFor(gallery, [summary({ stars: 2 })]);
    const star = () => browser.node.querySelector<HTMLButtonElement>('.jp-NotebookGallery-star')!;
    expect(star().getAttribute('aria-label')).toBe('Star Sales forecast');
    expect(star().getAttribute('aria-pressed')).toBe('false');
    expect(star().textContent).toBe('☆2');

    star().focus();
    star().click();
    await settle();
    expect(star().getAttribute('aria-pressed')).toBe('true');
    expect(star().textContent).toBe('★3');
    expect(document.activeElement).toBe(star());

    star().click();
    await settle();
    expect(star().getAttribute('aria-pressed')).toBe('false');
    expect(star().textContent).toBe('☆2');
    expect(gallery.sent.filter(request => request.path.endsWith('/star')).map(request => request.method)).toEqual([
      'PUT',
      'DELETE'
    ]);
  });

  it('say why a star failed, and keep the last confirmed state', async () => {
    const gallery = new FakeGallery().on('PUT', '/api/notebooks/nb-1/star', {
      status: 404,
      body: { error: 'NOTEBOOK_NOT_FOUND', message: 'Notebook nb-1 was not found.' }
    });
    const { browser } = await browserFor(gallery, [summary({ stars: 2 })]);
    const star = browser.node.querySelector<HTMLButtonElement>('.jp-NotebookGallery-star')!;
    star.click();
    await settle();
    expect(star.getAttribute('aria-pressed')).toBe('false');
    expect(browser.node.querySelector('.jp-NotebookGallery-actionError')?.textContent).toBe(
      'Notebook nb-1 was not found.'
    );
  });
});

describe('search results', () => {
  it('mark the matched words of the snippet, as text', async () => {
    const snippet = 'Plot <b>sales</b> on a map of sales regions';
    const second = snippet.lastIndexOf('sales');
    const { browser } = await browserFor(new FakeGallery(), [
      {
        ...summary(),
        snippet,
        snippetHighlights: [
          [second, second + 5],
          [5, 17]
        ]
      }
    ]);
    const description = browser.node.querySelector('.jp-NotebookGallery-itemDescription')!;
    expect(Array.from(description.querySelectorAll('mark')).map(mark => mark.textContent)).toEqual([
      '<b>sales</b>',
      'sales'
    ]);
    expect(description.textContent).toBe(snippet);
    expect(description.querySelector('b')).toBeNull();
  });

  it('show a health badge whose state is in its text and explained in its title', async () => {
    const { browser } = await browserFor(new FakeGallery(), [
      summary({
        health: { status: 'unhealthy', score: 0.25, runs: 4, lastRunAt: null, lastSuccessAt: null }
      })
    ]);
    const badge = browser.node.querySelector<HTMLElement>('.jp-NotebookGallery-health')!;
    expect(badge.textContent).toBe('✗Unhealthy');
    expect(badge.title).toBe(
      'Unhealthy: runs of this notebook fail, or stop early on an error. Health score 25%. 4 reported runs. No run without errors reported yet.'
    );
  });
});

describe('empty states', () => {
  const emptyText = (browser: GalleryBrowser) =>
    Array.from(browser.node.querySelectorAll('.jp-NotebookGallery-empty p')).map(p => p.textContent);

  it('suggest removing filters and checking the spelling when a search finds nothing', async () => {
    const { browser, model, search } = await browserFor(new FakeGallery(), []);
    search.value = 'histgram tag:plots';
    const answered = listed(model);
    search.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter' }));
    await answered;
    expect(emptyText(browser)).toEqual([
      'No notebooks match “histgram tag:plots”.',
      'Remove a filter (tag:plots) to widen the search.',
      'Check the spelling, or try fewer or other words: "plot histogram" rather than a sentence.'
    ]);
  });

  it('say how to star a notebook when nothing is starred', async () => {
    const { browser, model } = await browserFor(new FakeGallery(), []);
    const answered = listed(model);
    void model.setFilter({ starred: true });
    await answered;
    expect(emptyText(browser)).toEqual([
      'You have not starred any notebooks yet.',
      'Select the star (☆) beside a notebook in the list or in its preview; starred notebooks are listed here.'
    ]);
  });
});

describe('tag suggestions', () => {
  async function typing(text: string) {
    const gallery = new FakeGallery().on('GET', '/api/tags', request => {
      const prefix = new URL(request.url).searchParams.get('prefix');
      return {
        status: 200,
        body: {
          items: [
            { tag: `${prefix}aps`, count: 5 },
            { tag: `${prefix}achine learning`, count: 2 }
          ]
        }
      };
    });
    const parts = await browserFor(gallery, [summary()]);
    const { search } = parts;
    search.focus();
    search.value = text;
    search.setSelectionRange(text.length, text.length);
    search.dispatchEvent(new Event('input'));
    await settle(150);
    const listbox = document.getElementById(search.getAttribute('aria-controls')!)!;
    const key = (name: string) => search.dispatchEvent(new KeyboardEvent('keydown', { key: name, cancelable: true }));
    return { ...parts, gallery, listbox, key };
  }

  it('appear while typing after tag:, and arrows and Enter pick one', async () => {
    const { search, listbox, key, model, gallery, lists } = await typing('sales tag:m');
    expect(
      gallery.requests('GET', '/api/tags').map(request => new URL(request.url).searchParams.get('prefix'))
    ).toEqual(['m']);
    expect(search.getAttribute('role')).toBe('combobox');
    expect(search.getAttribute('aria-expanded')).toBe('true');
    const options = Array.from(listbox.querySelectorAll('[role="option"]'));
    expect(options.map(option => option.textContent)).toEqual(['maps5', 'machine learning2']);

    key('ArrowDown');
    expect(search.getAttribute('aria-activedescendant')).toBe(options[0].id);
    key('ArrowDown');
    expect(search.getAttribute('aria-activedescendant')).toBe(options[1].id);
    expect(options[1].getAttribute('aria-selected')).toBe('true');
    key('ArrowDown');
    expect(search.getAttribute('aria-activedescendant')).toBe(options[0].id);
    key('ArrowUp');
    expect(search.getAttribute('aria-activedescendant')).toBe(options[1].id);

    const answered = listed(model);
    key('Enter');
    await answered;
    expect(search.value).toBe('sales tag:"machine learning" ');
    expect(search.getAttribute('aria-expanded')).toBe('false');
    expect(search.hasAttribute('aria-activedescendant')).toBe(false);
    expect(lists().at(-1)).toEqual({ q: 'sales tag:"machine learning"', limit: '50' });
  });

  it('close on Escape, and Enter without a choice searches what was typed', async () => {
    const { search, listbox, key, model, lists } = await typing('tag:m');
    key('Escape');
    expect(listbox.hidden).toBe(true);
    expect(search.value).toBe('tag:m');
    const answered = listed(model);
    key('Enter');
    await answered;
    expect(lists().at(-1)).toEqual({ q: 'tag:m', limit: '50' });
  });

  it('are not asked for outside a tag: word', async () => {
    const { gallery, search } = await typing('maps');
    expect(gallery.requests('GET', '/api/tags')).toHaveLength(0);
    expect(search.getAttribute('aria-expanded')).toBe('false');
  });
});

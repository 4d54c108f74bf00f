/**
 * The preview pane in jsdom, with JupyterLab's real rendermime and markdown parser: markdown is rendered and
 * sanitized, code stays text, views are counted, similar notebooks preview in turn, and Escape goes back.
 */
import type { INotebook } from '@notebook-gallery/core';
import { EditorLanguageRegistry } from '@jupyterlab/codemirror';
import { createMarkdownParser } from '@jupyterlab/markedparser-extension';
import { RenderMimeRegistry, standardRendererFactories } from '@jupyterlab/rendermime';
import { CommandRegistry } from '@lumino/commands';
import { Widget } from '@lumino/widgets';
import { GalleryModel } from '../src/services/galleryModel';
import { CommandIDs } from '../src/tokens';
import { GalleryBrowser } from '../src/widgets/galleryBrowser';
import { FakeGallery, clientFor, listed, settle, summary, trans, type Reply } from './helpers';

const MARKDOWN = [
  '# Sales by region\n',
  '\n',
  'A **map** of sales. <script>window.pwned = true</script>',
  '<img src="x" onerror="window.pwned = true"> <a href="javascript:alert(1)">link</a>'
].join('');
const CODE = 'import pandas as pd\nprint("<b>not bold</b>")';

const notebook: INotebook = {
  nbformat: 4,
  nbformat_minor: 5,
  metadata: {},
  cells: [
    { id: 'm', cell_type: 'markdown', metadata: {}, source: MARKDOWN },
    { id: 'c', cell_type: 'code', metadata: {}, execution_count: null, outputs: [], source: CODE }
  ]
} as INotebook;

const rendermime = new RenderMimeRegistry({
  initialFactories: standardRendererFactories,
  markdownParser: createMarkdownParser(new EditorLanguageRegistry())
});

async function previewing(similarReply?: Reply) {
  const item = summary({
    id: 'n1',
    title: 'Sales by region',
    description: 'Maps of sales',
    tags: ['maps'],
    stars: 4,
    health: { status: 'healthy', score: 0.9, runs: 7, lastRunAt: null, lastSuccessAt: '2026-01-02T00:00:00.000Z' },
    environment: {
      kernelName: 'python3',
      language: 'python',
      languageVersion: '3.12.1',
      packages: ['pandas', 'folium']
    }
  });
  const gallery = new FakeGallery()
    .on('GET', '/api/notebooks', { status: 200, body: { items: [item], nextCursor: null } })
    .on('GET', '/api/notebooks/facets', { status: 200, body: { tags: [], owners: [], languages: [] } })
    .on('GET', '/api/notebooks/n1', { status: 200, body: item })
    .on('GET', '/api/notebooks/n2', { status: 200, body: summary({ id: 'n2', title: 'Regional maps' }) })
    .on('GET', '/api/notebooks/n1/content', { status: 200, body: notebook })
    .on('GET', '/api/notebooks/n2/content', { status: 200, body: notebook })
    .on('POST', '/api/notebooks/n1/activity', { status: 204 })
    .on('POST', '/api/notebooks/n2/activity', { status: 204 })
    .on(
      'GET',
      '/api/notebooks/n1/similar',
      similarReply ?? {
        status: 200,
        body: {
          similar: [{ ...summary({ id: 'n2', title: 'Regional maps' }), score: 0.8, reasons: ['pandas', 'folium'] }],
          alsoOpened: []
        }
      }
    )
    .on('GET', '/api/notebooks/n2/similar', { status: 200, body: { similar: [], alsoOpened: [] } });
  const { client } = clientFor(gallery);
  const model = new GalleryModel(client);
  const commands = new CommandRegistry();
  const opened: unknown[] = [];
  commands.addCommand(CommandIDs.open, { execute: args => void opened.push(args) });
  const linked: Array<[string, unknown]> = [];
  for (const id of [CommandIDs.copyLink, CommandIDs.openInBrowser]) {
    commands.addCommand(id, { execute: args => void linked.push([id, args]) });
  }
  const browser = new GalleryBrowser({ model, commands, trans, rendermime, searchDelay: 10_000 });
  Widget.attach(browser, document.body);
  const answered = listed(model);
  void model.refresh();
  await answered;
  const previewButton = browser.node.querySelector<HTMLButtonElement>('[data-action="preview"]')!;
  previewButton.focus();
  previewButton.click();
  await settle(50);
  const pane = browser.node.querySelector<HTMLElement>('.jp-NotebookGallery-preview')!;
  return { gallery, browser, pane, previewButton, opened, linked };
}

afterEach(() => {
  document.body.replaceChildren();
  delete (window as any).pwned;
});

describe('NotebookPreview', () => {
  it('renders markdown through the sanitizer: no script, no event handler, no javascript: link', async () => {
    const { pane } = await previewing();
    const markdown = pane.querySelector('.jp-NotebookGallery-previewMarkdown')!;
    expect(markdown.querySelector('h1')?.textContent).toContain('Sales by region');
    expect(markdown.querySelector('strong')?.textContent).toBe('map');
    expect(markdown.querySelector('script')).toBeNull();
    expect(markdown.innerHTML).not.toMatch(/onerror|javascript:|pwned/);
    expect((window as any).pwned).toBeUndefined();
  });

  it('shows code as text, never as markup', async () => {
    const { pane } = await previewing();
    const code = pane.querySelector('.jp-NotebookGallery-previewCode')!;
    expect(code.textContent).toBe(CODE);
    expect(code.querySelector('b')).toBeNull();
  });

  it('shows what the notebook is and needs, counts a view, and opens a copy', async () => {
    const { pane, gallery, opened } = await previewing();
    expect(pane.hidden).toBe(false);
    expect(document.activeElement?.textContent).toBe('Sales by region');
    expect(document.activeElement?.tagName).toBe('H2');
    const facts = Array.from(pane.querySelectorAll('dt')).map(dt => [
      dt.textContent,
      dt.nextElementSibling?.textContent
    ]);
    expect(facts).toEqual([
      ['Kernel', 'python3'],
      ['Language', 'python 3.12.1'],
      ['Packages', 'pandas, folium'],
      [
        'Health',
        expect.stringMatching(
          /^✓HealthyHealthy: runs of this notebook reach the end without errors, and one did recently\. Health score 90%\. 7 reported runs\. Last ran without errors .+\.$/
        )
      ],
      ['Use', '0 views · 0 opens · 4 stars']
    ]);
    expect(pane.querySelector('.jp-NotebookGallery-star')?.getAttribute('aria-label')).toBe('Star Sales by region');
    expect(gallery.requests('POST', '/api/notebooks/n1/activity').map(request => request.body)).toEqual([
      { kind: 'view' }
    ]);
    Array.from(pane.querySelectorAll('button'))
      .find(button => button.textContent === 'Open a copy')!
      .click();
    expect(opened).toEqual([{ id: 'n1' }]);
  });

  it('offers Copy link and Open in browser for the notebook, named for screen readers', async () => {
    const { pane, linked } = await previewing();
    const copy = pane.querySelector<HTMLButtonElement>('.jp-NotebookGallery-copyLink')!;
    const browse = pane.querySelector<HTMLButtonElement>('.jp-NotebookGallery-openInBrowser')!;
    expect(copy.getAttribute('aria-label')).toBe('Copy link to Sales by region');
    expect(browse.getAttribute('aria-label')).toBe('Open Sales by region in the browser');
    expect([copy.tagName, copy.tabIndex, browse.tagName, browse.tabIndex]).toEqual(['BUTTON', 0, 'BUTTON', 0]);
    copy.click();
    browse.click();
    expect(linked).toEqual([
      [CommandIDs.copyLink, { id: 'n1' }],
      [CommandIDs.openInBrowser, { id: 'n1' }]
    ]);
  });

  it('lists similar notebooks, each previewing in turn', async () => {
    const { pane } = await previewing();
    const headings = Array.from(pane.querySelectorAll('h3')).map(h3 => h3.textContent);
    expect(headings).toEqual(['Similar notebooks', 'People who opened this also opened']);
    expect(pane.textContent).toContain('Nobody who opened this notebook has opened others yet.');
    const similar = pane.querySelector<HTMLButtonElement>('.jp-NotebookGallery-similarButton')!;
    expect(similar.getAttribute('aria-label')).toBe('Preview Regional maps, by alice, pandas, folium');
    similar.click();
    await settle(50);
    expect(pane.querySelector('h2')?.textContent).toBe('Regional maps');
  });

  it('says when the gallery server does not suggest similar notebooks yet', async () => {
    const { pane } = await previewing({
      status: 404,
      body: { error: 'NOT_FOUND', message: 'No route GET /api/notebooks/n1/similar' }
    });
    expect(pane.querySelector('.jp-NotebookGallery-similarSlot')?.textContent).toBe(
      'This gallery server does not suggest similar notebooks yet.'
    );
    expect(pane.querySelector('h2')?.textContent).toBe('Sales by region');
  });

  it('stays open when the sidebar is shown again, with the focus on its title', async () => {
    const { pane, browser } = await previewing();
    (document.activeElement as HTMLElement).blur();
    browser.focusCurrent();
    expect(pane.hidden).toBe(false);
    expect(document.activeElement).toBe(pane.querySelector('h2'));
  });

  it('stays open when the sidebar is shown while it is still loading (gallery:preview reveals the sidebar)', async () => {
    const { pane, browser } = await previewing();
    browser.closePreview();
    const shown = browser.preview('n1');
    // The sidebar's activation arrives before the notebook does.
    browser.focusCurrent();
    expect(pane.hidden).toBe(false);
    await shown;
    expect(pane.hidden).toBe(false);
    expect(pane.querySelector('h2')?.textContent).toBe('Sales by region');
  });

  it('closes on Escape and gives the focus back to the item', async () => {
    const { pane, browser, previewButton } = await previewing();
    pane.querySelector('h2')!.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true }));
    expect(pane.hidden).toBe(true);
    expect(browser.node.querySelector<HTMLElement>('.jp-NotebookGallery-results')!.hidden).toBe(false);
    expect(document.activeElement).toBe(previewButton);
  });
});
